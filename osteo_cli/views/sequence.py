"""Views of `osteo sequence`: the steps, the timeline and the problems found."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from osteo_cli.queries.sequence import number
from osteo_cli.render.document import Document, Grid, View
from osteo_cli.views.common import footer, meta, ref, sources_grid, with_sources
from osteo_cli.views.figures import timeline

if TYPE_CHECKING:
    from osteo_cli.knowledge import Loaded
    from osteo_cli.queries.sequence import Plan, Step


def _duration_text(step: Step) -> str:
    months = f"{number(step.months)} months"
    gap = f"after a gap of {number(step.gap)} months, " if step.gap else ""
    whole = step.whole_doses
    if whole is not None and step.agent.dosing.interval and step.agent.dosing.interval.unit in ("month", "year"):
        return f"{gap}{months} ({whole} dose{'s' if whole != 1 else ''})"
    return gap + months


def sequence_document(loaded: Loaded, plan: Plan, columns: int | None = None) -> Document:
    kb = loaded.kb
    steps = Grid(
        ("#", "Drug", "Family", "Category", "From", "For"),
        [
            (str(i), s.agent.name, s.family.name, s.family.category, f"month {number(s.start)}", _duration_text(s))
            for i, s in enumerate(plan.steps, start=1)
        ],
    )
    grids = [steps]
    if plan.findings:
        grids.append(
            Grid(
                ("Step", "Finding", "Sources"),
                [
                    (str(f.step + 1), f"{f.severity.capitalize()}: {f.message}", ", ".join(f.sources))
                    for f in plan.findings
                ],
                title="Findings",
            )
        )
        grids.append(sources_grid(kb, (s for f in plan.findings for s in f.sources)))
    verdict = _verdict(len(plan.problems), len(plan.cautions))
    ending = " Then stop." if plan.stopped else ""
    courses = f"{len(plan.steps)} course{'s' if len(plan.steps) != 1 else ''}"
    title = f"Plan: {number(plan.months)} months, {courses}.{ending}"
    return Document(grids, title=title, figure=timeline(plan, columns=columns), notes=[verdict], footer=footer(loaded))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _verdict(problems: int, cautions: int) -> str:
    if problems and cautions:
        return f"{_plural(problems, 'problem')} and {_plural(cautions, 'caution')} to review in this plan."
    if problems:
        return f"{_plural(problems, 'problem')} found in this plan."
    if cautions:
        return f"No problem found, but {_plural(cautions, 'caution')} to review with the prescriber."
    return "No problem found: no limit is passed, and every drug that must be followed is."


def sequence_json(loaded: Loaded, plan: Plan) -> dict[str, Any]:
    body = {
        **meta(loaded),
        "ok": not plan.problems,
        "months": float(plan.months),
        "stopped": plan.stopped,
        "steps": [
            {
                "typed": s.typed,
                "agent": ref(s.agent),
                "family": ref(s.family),
                "category": s.family.category,
                "start_month": float(s.start),
                "months": float(s.months),
                "doses": s.whole_doses,
                "gap_months_before": float(s.gap),
            }
            for s in plan.steps
        ],
        "problems": [
            {"rule": f.rule, "severity": f.severity, "step": f.step + 1, "message": f.message, "sources": f.sources}
            for f in plan.findings
        ],
    }
    return with_sources(loaded.kb, body)


def sequence_view(loaded: Loaded, plan: Plan, columns: int | None = None) -> View:
    return View(lambda: sequence_document(loaded, plan, columns), lambda: sequence_json(loaded, plan))
