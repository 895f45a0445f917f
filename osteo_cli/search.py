"""Search: one ranked list across drugs, families, the FAQ, lifestyle and learn topics.

Pure; never prints. Every word must match (as the start of a word, any case:
`stop` finds "stopping"); a hit in a name or title counts more than one in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from osteo_cli.errors import UsageError
from osteo_cli.names import normalize, slug

if TYPE_CHECKING:
    from osteo_cli.models import KnowledgeBase

TITLE, NAMES, TEXT = 6, 4, 1  # weights of a match in each kind of field
# Order among equal scores: what a reader most likely wants first.
KIND_ORDER = {"drug": 0, "family": 1, "faq": 2, "learn": 3, "lifestyle": 4, "tscore": 5}


@dataclass(frozen=True, slots=True)
class Entry:
    """A searchable thing: where it is, how to show it whole, and its text by weight."""

    kind: str
    title: str
    command: str
    fields: tuple[tuple[int, str], ...]


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    score: int
    snippet: str


def entries(kb: KnowledgeBase) -> Iterator[Entry]:
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
            ]
        )
        yield Entry("drug", a.name, f"osteo drugs show {slug(a.name)}", ((TITLE, a.name), (NAMES, names), (TEXT, text)))
    for f in kb.families:
        text = " ".join([f.mechanism, f.administration, f.typical_use, f.after_treatment])
        names = " ".join([f.singular, *f.aliases])
        yield Entry("family", f.name, f"osteo drugs show {f.id}", ((TITLE, f.name), (NAMES, names), (TEXT, text)))
    for number, q in enumerate(kb.faq, start=1):
        yield Entry("faq", f"{number}. {q.question}", f"osteo faq {number}", ((TITLE, q.question), (TEXT, q.answer)))
    for advice in kb.lifestyle:
        text = " ".join([advice.text, *advice.examples])
        yield Entry("lifestyle", advice.title, "osteo lifestyle", ((TITLE, advice.title), (TEXT, text)))
    for topic in kb.topics:
        text = " ".join([topic.summary, *topic.points])
        yield Entry("learn", topic.title, f"osteo learn {topic.id}", ((TITLE, topic.title), (TEXT, text)))
    density = kb.bone_density
    text = " ".join(
        [
            *(
                getattr(density, k).name + " " + getattr(density, k).meaning
                for k in ("normal", "low_bone_mass", "osteoporosis", "severe_osteoporosis")
            ),
            *density.caveats,
        ]
    )
    yield Entry(
        "tscore", "T-score categories", "osteo tscore VALUE", ((TITLE, "T-score bone density categories"), (TEXT, text))
    )


def _pattern(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z0-9])" + re.escape(word))


def search(kb: KnowledgeBase, words: Sequence[str], limit: int = 20) -> list[Hit]:
    """Entries that contain every word, best first."""
    wanted = [w for w in normalize(" ".join(words)).split(" ") if w]
    if not wanted:
        raise UsageError("give one or more words to search for, e.g. 'osteo search rebound'")
    patterns = [_pattern(w) for w in wanted]
    hits = []
    for entry in entries(kb):
        # A cheap test first: every word must appear somewhere in the raw text.
        raw = " ".join(text for _, text in entry.fields).casefold()
        if not all(w in raw for w in wanted):
            continue
        texts = [(weight, normalize(text)) for weight, text in entry.fields]
        per_word = [sum(weight * len(p.findall(text)) for weight, text in texts) for p in patterns]
        if all(per_word):
            hits.append(Hit(entry, sum(per_word), _snippet(entry, patterns[0])))
    hits.sort(key=lambda h: (-h.score, KIND_ORDER[h.entry.kind], h.entry.title))
    return hits[:limit]


def _snippet(entry: Entry, pattern: re.Pattern[str], width: int = 80) -> str:
    """The sentence where the first word appears, shortened around it."""
    for _, text in reversed(entry.fields):  # the body reads better than a list of names
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            match = pattern.search(normalize(sentence))
            if match:
                if len(sentence) <= width:
                    return sentence
                start = max(0, match.start() - width // 3)
                return ("…" if start else "") + sentence[start : start + width].strip() + "…"
    return entry.title
