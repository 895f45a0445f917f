"""Views of `osteo evidence` and `osteo guidelines`: the trials side by side, the guidelines' levels."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from osteo_cli.knowledge.models import SITES
from osteo_cli.queries import evidence
from osteo_cli.render.document import Cell, Document, Grid, View
from osteo_cli.views.common import facts, footer, meta, ref, sources_grid, with_sources
from osteo_cli.views.figures import Bar, bars

if TYPE_CHECKING:
    from osteo_cli.knowledge import Loaded
    from osteo_cli.knowledge.models import Guideline, GuidelinePoint, KnowledgeBase, Trial


WIDE = 90  # columns from which the trials table shows who, how many and for how long


def _agent_name(kb: KnowledgeBase, agent_id: str) -> str:
    return kb.agent(agent_id).name


def _people(trial: Trial) -> str:
    return f"{trial.size:,}, {trial.duration}"


def figure(kb: KnowledgeBase, trials: list[Trial], width: int, unicode: bool = True) -> list[str]:
    """Bars of the reduction per site: trials against placebo apart from head-to-head ones."""
    placebo = [t for t in trials if not t.head_to_head]
    head_to_head = [t for t in trials if t.head_to_head]
    lines: list[str] = []
    for heading, group in (
        ("Fewer new fractures than with placebo", placebo),
        ("Head to head: fewer new fractures than with another medicine", head_to_head),
    ):
        if not group:
            continue
        blocks = []
        for trial in group:
            title = f"{trial.name}: {_agent_name(kb, trial.agent)} {evidence.against(trial)}, {trial.duration}"
            site_bars = []
            for site in SITES:
                result = getattr(trial.results, site)
                value = result.percent if result.shown and result.measured else None
                text = evidence.site_text(result, "")
                site_bars.append(Bar(evidence.SITE_SHORT[site], value, text))
            blocks.append((title, site_bars))
        if lines:
            lines.append("")
        rule = "=" if not unicode else "═"
        lines += [heading[:width], (rule * min(len(heading), width))]
        lines += bars(blocks, width, unicode)
    return lines


def evidence_document(
    loaded: Loaded, trials: list[Trial], width: int, unicode: bool = True, details: bool = False
) -> Document:
    kb = loaded.kb
    minus = evidence.MINUS if unicode else evidence.ASCII_MINUS
    sites = [evidence.SITE_NAMES[s] for s in SITES]
    rows: list[list[Cell]] = []
    wide = width >= WIDE
    for trial in trials:
        results = [evidence.site_text(getattr(trial.results, site), minus) for site in SITES]
        against = trial.comparator + (" (head to head)" if trial.head_to_head else "")
        if wide:
            rows.append([_agent_name(kb, trial.agent), trial.name, against, _people(trial), *results])
        else:  # a narrow terminal: the trial, its medicine and comparator in one column
            rows.append([f"{trial.name}\n{_agent_name(kb, trial.agent)} vs {against}", *results])
    headers = ("Medicine", "Trial", "Against", "People, length", *sites) if wide else ("Trial", *sites)
    grids = [Grid(headers, rows, title="Pivotal fracture trials")]
    notes = [
        "not shown: the trial did not show fewer fractures at that site (too few, or possibly chance); "
        "this is not the same as 0%. not measured: the site was not counted.",
    ]
    if any(_has_medium(t) for t in trials):
        notes.append(evidence.MEDIUM)
    if details:
        cited: list[str] = []
        for trial in trials:
            grids.append(facts(f"{trial.name} ({_agent_name(kb, trial.agent)})", _detail_rows(trial, minus)))
            cited += trial.sources
            cited += [ref for site in SITES for ref in getattr(trial.results, site).sources]
        grids.append(sources_grid(kb, cited))
    else:
        notes.append("Who was studied, the doses and the sources of each number: osteo evidence NAME.")
    return Document(
        grids,
        title="How well each medicine works: new fractures in the pivotal trials",
        intro=[evidence.MEANING],
        figure=figure(kb, trials, width, unicode),
        notes=notes,
        footer=footer(loaded),
    )


def _has_medium(trial: Trial) -> bool:
    return trial.confidence == "medium" or any(getattr(trial.results, s).confidence == "medium" for s in SITES)


def _detail_rows(trial: Trial, minus: str) -> list[tuple[str, Cell]]:
    rows: list[tuple[str, Cell]] = [
        ("Citation", trial.citation),
        ("Who", f"{trial.population} ({trial.size:,} people)"),
        ("Length", trial.duration),
        ("Against", trial.comparator + (", head to head" if trial.head_to_head else "")),
    ]
    if trial.treatment:
        rows.append(("Treatment", trial.treatment))
    for site in SITES:
        result = getattr(trial.results, site)
        text = evidence.site_text(result, minus)
        if result.note:
            text += f": {result.note}"
        rows.append((evidence.SITE_NAMES[site], f"{text} [{', '.join(result.sources)}]"))
    if trial.notes:
        rows.append(("Notes", tuple(trial.notes)))
    rows.append(("Sources", ", ".join(trial.sources)))
    return rows


def reduction_json(trial: Trial, kb: KnowledgeBase | None = None) -> dict[str, Any]:
    """One trial; with `kb`, its agents as `{id, name}` (else their ids)."""

    def agent(agent_id: str | None) -> Any:
        return ref(kb.agent(agent_id)) if kb is not None and agent_id is not None else agent_id

    results = {}
    for site in SITES:
        result = getattr(trial.results, site)
        results[site] = {**dataclasses.asdict(result), "text": evidence.site_text(result)}
    return {
        "id": trial.id,
        "name": trial.name,
        "agent": agent(trial.agent),
        "citation": trial.citation,
        "population": trial.population,
        "size": trial.size,
        "duration_months": trial.duration_months,
        "duration": trial.duration,
        "comparator": trial.comparator,
        "comparator_agent": agent(trial.comparator_agent),
        "head_to_head": trial.head_to_head,
        "treatment": trial.treatment,
        "results": results,
        "notes": trial.notes,
        "sources": trial.sources,
        "confidence": trial.confidence,
    }


def evidence_json(loaded: Loaded, trials: list[Trial]) -> dict[str, Any]:
    trials_json = [reduction_json(t, loaded.kb) for t in trials]
    return with_sources(loaded.kb, {**meta(loaded), "meaning": evidence.MEANING, "trials": trials_json})


# The rows of `osteo guidelines`, in the order a reader asks about them.
GUIDELINE_ROWS: tuple[tuple[str, str], ...] = (
    ("scope", "For"),
    ("testing", "Bone density test"),
    ("treat_when", "Treat when"),
    ("high_risk", "High risk"),
    ("very_high_risk", "Very high risk"),
    ("first_choice_high", "First choices, high risk"),
    ("first_choice_very_high", "First choices, very high risk"),
    ("holidays", "Drug holidays and stopping"),
    ("monitoring", "Bone density rechecks"),
)


def _points(points: list[GuidelinePoint]) -> Cell:
    texts = [p.text + (" *" if p.confidence == "medium" else "") for p in points]
    if not texts:
        return "-"
    return texts[0] if len(texts) == 1 else tuple(texts)


def guidelines_document(loaded: Loaded, found: list[Guideline]) -> Document:
    kb = loaded.kb
    headers = ("", *(g.name for g in found))
    rows: list[list[Cell]] = []
    for key, label in GUIDELINE_ROWS:
        cells = [_points(getattr(g, key)) for g in found]
        if any(cell != "-" for cell in cells):
            rows.append([label, *cells])
    rows.append(["Sources", *(", ".join(_cited(g)) for g in found)])
    medium = any(p.confidence == "medium" for g in found for _, points in _sections(g) for p in points)
    notes = [evidence.MEDIUM] if medium else []
    notes.append("Which risk level applies to you, and which medicine suits you, is for your doctor to judge.")
    return Document(
        [Grid(headers, rows, row_headers=True), sources_grid(kb, [ref for g in found for ref in _cited(g)])],
        title="What the guidelines say: risk levels, first choices, drug holidays, rechecks",
        intro=["Each column is one guideline, in its own terms; they do not all define risk the same way."],
        notes=notes,
        footer=footer(loaded),
    )


def _sections(guideline: Guideline) -> list[tuple[str, list[GuidelinePoint]]]:
    return [(key, getattr(guideline, key)) for key, _ in GUIDELINE_ROWS]


def _cited(guideline: Guideline) -> list[str]:
    refs = [*guideline.sources, *(ref for _, points in _sections(guideline) for p in points for ref in p.sources)]
    return list(dict.fromkeys(refs))


def guidelines_json(loaded: Loaded, found: list[Guideline]) -> dict[str, Any]:
    return with_sources(loaded.kb, {**meta(loaded), "guidelines": [dataclasses.asdict(g) for g in found]})


def evidence_view(loaded: Loaded, trials: list[Trial], width: int, unicode: bool, details: bool) -> View:
    return View(
        lambda: evidence_document(loaded, trials, width, unicode, details=details),
        lambda: evidence_json(loaded, trials),
    )


def guidelines_view(loaded: Loaded, found: list[Guideline]) -> View:
    return View(lambda: guidelines_document(loaded, found), lambda: guidelines_json(loaded, found))
