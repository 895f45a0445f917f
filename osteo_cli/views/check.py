"""Views of `osteo check`: the screening of each medicine, and the vocabulary it understands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from osteo_cli.queries.check import MEASURES, VERDICTS
from osteo_cli.render.document import Cell, Document, Grid, View
from osteo_cli.views.common import footer, lines, meta, ref, sources_grid, with_sources

if TYPE_CHECKING:
    from decimal import Decimal

    from osteo_cli.knowledge import Loaded
    from osteo_cli.queries.check import Facts, Measure, Reason, Screening, Verdict

VERDICT_WORDS: dict[Verdict, str] = {
    "avoid": "avoid",
    "caution": "caution",
    "cannot-compare": "cannot compare",
    "no-label-restriction-found": "no label restriction found",
}
# How a terminal marks each verdict word (the word itself says it too: colour is never the only sign).
VERDICT_EMPHASIS = {
    VERDICT_WORDS["avoid"]: "danger",
    VERDICT_WORDS["caution"]: "warning",
    VERDICT_WORDS["cannot-compare"]: "notice",
}


def reason_line(reason: Reason) -> str:
    """One reason in words: what the label says, what to do, where it says it."""
    only = f"Only {reason.applies_to}: " if reason.applies_to else ""
    parts = [only + reason.text]
    if reason.action:
        parts.append(f"What to do: {reason.action}")
    if reason.sources:
        parts.append(f"Sources: {', '.join(reason.sources)}.")
    if reason.jurisdiction:
        parts.append(f"({reason.jurisdiction} label.)")
    if reason.confidence == "medium":
        parts.append("(medium confidence)")
    return " ".join(parts)


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _intro(facts: Facts) -> list[str]:
    intro = []
    given: list[tuple[Measure, Decimal | None]] = [("crcl", facts.crcl), ("egfr", facts.egfr)]
    for measure, value in given:
        if value is not None:
            name, unit = MEASURES[measure]
            intro.append(f"Kidney function: {name} {_number(value)} {unit}.")
    if facts.conditions:
        said = ", ".join(c.name for c in facts.conditions)
        intro.append(f"Conditions: {said}.")
        if facts.implied:
            intro.append(f"Counted too, as they follow from these: {', '.join(c.name for c in facts.implied)}.")
        if facts.asked:
            asked = ", ".join(f"'{a.condition.name}'" for a in facts.asked)
            intro.append(f"osteo cannot tell whether these apply, so it shows what the labels say and asks: {asked}.")
    for taken in facts.taken:
        named = [s.name for s in taken.matched]
        if taken.agent and taken.agent in facts.agents:
            named.insert(0, f"{facts.agents[taken.agent].name}, an osteoporosis medicine in osteo")
        matched = ", ".join(named) or "not in osteo's list of medicines"
        intro.append(f"Also takes: {taken.typed} ({matched}).")
    return intro


def _compared_in(screening: Screening) -> list[str]:
    """The measures the labels use that osteo could not compare with the one given."""
    return list(
        dict.fromkeys(
            MEASURES[r.about][0]  # type: ignore[index]  # a kidney-measure reason is about a measure
            for result in screening.results
            for r in result.reasons
            if result.verdict == "cannot-compare" and r.verdict == "cannot-compare"
        )
    )


def _summary(screening: Screening) -> str:
    counts = {v: sum(r.verdict == v for r in screening.results) for v in VERDICTS}
    total = len(screening.results)
    medicines = f"{total} medicine{'s' if total != 1 else ''} screened"
    measures = _compared_in(screening)
    whose = "its label uses" if counts["cannot-compare"] == 1 else "their labels use"
    uses = f" ({whose} {' or '.join(measures)})" if measures else ""
    parts = [
        f"{counts['avoid']} to avoid",
        f"{counts['caution']} with a caution",
        f"{counts['cannot-compare']} cannot be compared{uses}",
        f"{counts['no-label-restriction-found']} with no label restriction found",
    ]
    said = [part for part, verdict in zip(parts, VERDICTS, strict=True) if counts[verdict]]
    return f"{medicines}: {', '.join(said)}."


def _verdicts_grid(screening: Screening) -> Grid:
    """Which medicines got which verdict, most severe first: the answer before the reasons."""
    rows: list[tuple[Cell, ...]] = []
    for verdict in VERDICTS:
        names = [r.agent.name for r in screening.results if r.verdict == verdict]
        if names:
            measures = _compared_in(screening) if verdict == "cannot-compare" else []
            uses = f" (the label's limit is in {' or '.join(measures)}: measure it)" if measures else ""
            rows.append((VERDICT_WORDS[verdict], ", ".join(names) + uses))
    return Grid(("Verdict", "Medicines"), rows, emphasis=VERDICT_EMPHASIS)


NOT_SAFE = (
    "'No label restriction found' means the labels osteo holds say nothing about these facts "
    "for that medicine; it does not mean the medicine is safe for this person."
)


def check_document(loaded: Loaded, screening: Screening) -> Document:
    rows: list[tuple[Cell, ...]] = []
    for result in screening.results:
        reasons: Cell = lines([reason_line(r) for r in result.reasons]) if result.reasons else "-"
        rows.append((result.agent.name, VERDICT_WORDS[result.verdict], reasons))
    details = Grid(("Medicine", "Verdict", "Why, and what the label says to do"), rows, emphasis=VERDICT_EMPHASIS)
    grids = [_verdicts_grid(screening), details] if len(rows) > 1 else [details]
    cited = [s for result in screening.results for r in result.reasons for s in r.sources]
    if cited:
        grids.append(sources_grid(loaded.kb, cited))
    return Document(
        grids,
        title="Screening against the labels",
        intro=[_summary(screening), *_intro(screening.facts)],
        notes=[NOT_SAFE] if any(r.verdict == "no-label-restriction-found" for r in screening.results) else [],
        footer=footer(loaded),
    )


def _value(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _reason_json(reason: Reason) -> dict[str, Any]:
    return {
        "kind": reason.kind,
        "level": reason.level,
        "about": reason.about,
        "applies_to": reason.applies_to,
        "text": reason.text,
        "action": reason.action,
        "sources": list(reason.sources),
        "jurisdiction": reason.jurisdiction,
        "confidence": reason.confidence,
    }


def check_json(loaded: Loaded, screening: Screening) -> dict[str, Any]:
    facts = screening.facts
    body = {
        **meta(loaded),
        "input": {
            "crcl": _value(facts.crcl),
            "egfr": _value(facts.egfr),
            "conditions": [c.id for c in facts.conditions],
            "implied_conditions": [c.id for c in facts.implied],
            "asked_conditions": [a.condition.id for a in facts.asked],
            "substances": [{"typed": t.typed, "matched": [s.id for s in t.matched]} for t in facts.taken],
        },
        "results": [
            {
                "agent": ref(r.agent),
                "verdict": r.verdict,
                "reasons": [_reason_json(reason) for reason in r.reasons],
            }
            for r in screening.results
        ],
    }
    return with_sources(loaded.kb, body)


def vocabulary_document(loaded: Loaded) -> Document:
    kb = loaded.kb
    names = {c.id: c.name for c in kb.conditions}
    conditions = Grid(
        ("Condition", "Name", "Also typed as", "Includes"),
        [
            (
                c.id,
                c.name + (" (about kidney function)" if c.kidney else ""),
                ", ".join(c.synonyms) or "-",
                ", ".join(names.get(i, i) for i in c.implies) or "-",
            )
            for c in kb.conditions
        ],
        title="Conditions (--has)",
    )
    substances = Grid(
        ("Substance", "Name", "Also typed as"),
        [(s.id, s.name, ", ".join(s.synonyms) or "-") for s in kb.substances],
        title="Medicines and substances (--takes)",
    )
    notes = [
        "Names are matched however they are cased, spaced or punctuated.",
        "A medicine not listed can still be given to --takes; osteo then says it has no interaction on file.",
    ]
    return Document([conditions, substances], title="What osteo check understands", notes=notes, footer=footer(loaded))


def vocabulary_json(loaded: Loaded) -> dict[str, Any]:
    kb = loaded.kb
    return {
        **meta(loaded),
        "conditions": [
            {
                "id": c.id,
                "name": c.name,
                "synonyms": c.synonyms,
                "implies": c.implies,
                "kidney": c.kidney,
                "note": c.note,
            }
            for c in kb.conditions
        ],
        "substances": [{"id": s.id, "name": s.name, "synonyms": s.synonyms, "note": s.note} for s in kb.substances],
    }


def check_view(loaded: Loaded, screening: Screening) -> View:
    return View(lambda: check_document(loaded, screening), lambda: check_json(loaded, screening))


def vocabulary_view(loaded: Loaded) -> View:
    return View(lambda: vocabulary_document(loaded), lambda: vocabulary_json(loaded))
