"""Search: one ranked list across drugs, families, the FAQ, lifestyle and learn topics.

Pure; never prints. Every word must match (as the start of a word, any case:
`stop` finds "stopping"); a hit in a name or title counts more than one in the text.

The index is plain JSON-able data, built once per knowledge base and cached with it
(`knowledge.derived`), so a search never has to build the knowledge base's objects.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from osteo_cli.errors import UsageError
from osteo_cli.names import normalize, slug

if TYPE_CHECKING:
    from osteo_cli.models import Agent, KnowledgeBase

TITLE, NAMES, TEXT = 6, 4, 1  # weights of a match in each kind of field
# Order among equal scores: what a reader most likely wants first.
KIND_ORDER = {"drug": 0, "family": 1, "faq": 2, "learn": 3, "lifestyle": 4, "tscore": 5, "evidence": 6, "guideline": 7}

# One entry: [kind, title, command, [[weight, text], ...], all the text case-folded]
Entry = list[Any]


class Index(NamedTuple):
    """The search index of one knowledge base, and which knowledge base it is."""

    entries: list[Entry]
    kb_version: str
    last_reviewed: dt.date
    path: Path
    custom: bool


class Hit(NamedTuple):
    kind: str
    title: str
    command: str
    score: int
    snippet: str


def build_index(kb: KnowledgeBase) -> dict[str, Any]:
    """The index as JSON-able data (see `Index`)."""
    entries = [
        [kind, title, command, fields, " ".join(t for _, t in fields).casefold()]
        for kind, title, command, fields in _entries(kb)
    ]
    return {"kb_version": kb.kb_version, "last_reviewed": kb.last_reviewed.isoformat(), "entries": entries}


def valid_index(value: Any) -> bool:
    """A cached index of the right shape (anything else is rebuilt)."""
    return (
        isinstance(value, dict)
        and isinstance(value.get("kb_version"), str)
        and isinstance(value.get("last_reviewed"), str)
        and isinstance(value.get("entries"), list)
        and all(isinstance(e, list) and len(e) == 5 for e in value["entries"])
    )


def load_index(raw: dict[str, Any], path: Path, custom: bool) -> Index:
    return Index(raw["entries"], raw["kb_version"], dt.date.fromisoformat(raw["last_reviewed"]), path, custom)


def _entries(kb: KnowledgeBase) -> Iterator[tuple[str, str, str, list[list[Any]]]]:
    for a in kb.agents:
        names = " ".join([a.name, *a.aliases, *(b.name for b in a.brands), *(p.name for p in a.related_products)])
        text = " ".join(
            [
                a.dosing.dose,
                *a.dosing.how,
                a.duration.summary,
                a.stopping.summary,
                a.safety.boxed_warning or "",
                *a.safety.warnings,
                *a.notes,
                *(p.note for p in a.related_products),
                *(b.note or "" for b in a.brands),
                *_monograph_text(kb, a),
            ]
        )
        yield "drug", a.name, f"osteo drugs show {slug(a.name)}", [[TITLE, a.name], [NAMES, names], [TEXT, text]]
    for f in kb.families:
        text = " ".join([f.mechanism, f.administration, f.typical_use, f.after_treatment])
        names = " ".join([f.singular, *f.aliases])
        yield "family", f.name, f"osteo drugs show {f.id}", [[TITLE, f.name], [NAMES, names], [TEXT, text]]
    for number, q in enumerate(kb.faq, start=1):
        yield "faq", f"{number}. {q.question}", f"osteo faq {number}", [[TITLE, q.question], [TEXT, q.answer]]
    for advice in kb.lifestyle:
        text = " ".join([advice.text, *advice.examples])
        yield "lifestyle", advice.title, "osteo lifestyle", [[TITLE, advice.title], [TEXT, text]]
    for topic in kb.topics:
        text = " ".join([topic.summary, *topic.points])
        yield "learn", topic.title, f"osteo learn {topic.id}", [[TITLE, topic.title], [TEXT, text]]
    yield from _evidence_entries(kb)
    density = kb.bone_density
    categories = (density.normal, density.low_bone_mass, density.osteoporosis, density.severe_osteoporosis)
    text = " ".join([*(f"{c.name} {c.meaning}" for c in categories), *density.caveats])
    yield (
        "tscore",
        "T-score categories",
        "osteo tscore VALUE",
        [[TITLE, "T-score bone density categories"], [TEXT, text]],
    )


def _monograph_text(kb: KnowledgeBase, a: Agent) -> Iterator[str]:
    """The words of an agent's monograph sections, so search finds "achalasia" or "missed"."""
    conditions = {c.id: c for c in kb.conditions}
    substances = {x.id: x for x in kb.substances}
    for rule in a.contraindications:
        condition = conditions.get(rule.condition)
        yield from (rule.text, rule.action or "", *([condition.name, *condition.synonyms] if condition else []))
    for interaction in a.interactions:
        substance = substances.get(interaction.substance)
        yield from (
            interaction.effect,
            interaction.action,
            *([substance.name, *substance.synonyms] if substance else []),
        )
    if a.kidney:
        yield from ("kidney", a.kidney.summary)
        yield from (f"{t.text} {t.action or ''}" for t in a.kidney.thresholds)
    for missed in a.missed_doses:
        yield from ("missed dose", missed.name, missed.text)
    if a.side_effects:
        effects = a.side_effects
        yield from ("side effects", effects.summary or "", *effects.serious, *(f.effect for f in effects.frequencies))
    yield from (m.text for m in a.monitoring)
    if a.pregnancy:
        yield from ("pregnancy breastfeeding", a.pregnancy.pregnancy, a.pregnancy.breastfeeding)
    yield from (x.note or "" for x in a.approvals)
    yield from (c.text for c in a.safety.changes)


def _evidence_entries(kb: KnowledgeBase) -> Iterator[tuple[str, str, str, list[list[Any]]]]:
    """The trials, the guidelines and the general measures in numbers."""
    for t in kb.trials:
        agent = kb.agent(t.agent).name
        results = [getattr(t.results, site).note or "" for site in ("vertebral", "non_vertebral", "hip")]
        words = [agent, t.citation, t.population, t.treatment or "", f"against {t.comparator}", *results, *t.notes]
        title = f"{t.name} trial"  # the medicine's name only in the text: its own entry ranks first
        yield "evidence", title, f"osteo evidence {slug(agent)}", [[TITLE, title], [TEXT, " ".join(words)]]
    for g in kb.guidelines:
        points = [p.text for key in GUIDELINE_SECTIONS for p in getattr(g, key)]
        yield "guideline", g.name, "osteo guidelines", [[TITLE, g.name], [NAMES, g.citation], [TEXT, " ".join(points)]]
    for m in kb.intake.measures:
        yield "lifestyle", m.title, "osteo lifestyle", [[TITLE, m.title], [TEXT, " ".join([m.text, *m.points])]]
    for a in kb.intake.amounts:
        nutrient = "Calcium" if a.nutrient == "calcium" else "Vitamin D"
        amount = f"{a.amount}" + (f"-{a.amount_to}" if a.amount_to else "")
        ages = f"{a.age_from}-{a.age_to}" if a.age_to is not None else f"{a.age_from} and over"
        title = f"{nutrient} a day, {a.sex} {ages} ({a.by})"
        text = f"{amount} {a.unit} {a.kind.replace('-', ' ')} {a.note or ''}"
        yield "lifestyle", title, "osteo lifestyle nutrition", [[TITLE, title], [TEXT, text]]


GUIDELINE_SECTIONS = (
    "scope",
    "testing",
    "treat_when",
    "high_risk",
    "very_high_risk",
    "first_choice_high",
    "first_choice_very_high",
    "holidays",
    "monitoring",
)


def _pattern(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z0-9])" + re.escape(word))


def search(index: Index, words: Sequence[str], limit: int = 20) -> list[Hit]:
    """Entries that contain every word, best first."""
    wanted = [w for w in normalize(" ".join(words)).split(" ") if w]
    if not wanted:
        raise UsageError("give one or more words to search for, e.g. 'osteo search rebound'")
    patterns = [_pattern(w) for w in wanted]
    hits = []
    for kind, title, command, fields, folded in index.entries:
        if not all(w in folded for w in wanted):  # a cheap test first, on case-folded text
            continue
        texts = [(weight, normalize(text)) for weight, text in fields]
        per_word = [sum(weight * len(p.findall(text)) for weight, text in texts) for p in patterns]
        if all(per_word):
            hits.append(Hit(kind, title, command, sum(per_word), _snippet(fields, title, patterns[0])))
    hits.sort(key=lambda h: (-h.score, KIND_ORDER[h.kind], h.title))
    return hits[:limit]


def _snippet(fields: list[list[Any]], title: str, pattern: re.Pattern[str], width: int = 80) -> str:
    """The sentence where the first word appears, shortened around it."""
    for _, text in reversed(fields):  # the body reads better than a list of names
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            match = pattern.search(normalize(sentence))
            if match:
                if len(sentence) <= width:
                    return str(sentence)
                start = max(0, match.start() - width // 3)
                return ("…" if start else "") + sentence[start : start + width].strip() + "…"
    return title
