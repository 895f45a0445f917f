"""Search: one ranked list across drugs, families, the FAQ, lifestyle and learn topics.

Pure; never prints. Every word must match, as a word or the start of one, whatever its
case, punctuation or ending: `stop` finds "stopping", `fractures` finds "fracture",
`rebound?` and `Prolia's` find "rebound" and "Prolia". A hit in a name or title counts
more than one in the text.

The index is an SQLite database with an FTS5 table (standard-library `sqlite3`): BM25
ranking, Porter stemming, prefix queries, and a vocabulary for "did you mean". It is
built once per knowledge base and kept as an entry of osteo's cache (`open_index`): the
shipped file's comes with the wheel, a custom file's is built on its first search. So a
search never builds the knowledge base's objects. One engine on every path: a Python
whose `sqlite3` lacks FTS5 gets one clear error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from osteo_cli.errors import DataError, UsageError
from osteo_cli.knowledge.names import slug

if TYPE_CHECKING:
    import sqlite3

    from osteo_cli.knowledge.models import Agent, KnowledgeBase

TITLE, NAMES, TEXT = 6, 4, 1  # weights of a match in each kind of field
# Order among equal scores: what a reader most likely wants first.
KIND_ORDER = {"drug": 0, "family": 1, "faq": 2, "learn": 3, "lifestyle": 4, "tscore": 5, "evidence": 6, "guideline": 7}
CANDIDATES = 200  # the BM25-best matches that are re-ranked (see `search`)
MAX_WORDS = 16  # after duplicates are dropped
MAX_WORD_LENGTH = 64
TOKENIZER = "porter unicode61 remove_diacritics 2"
# A word: letters and digits; an apostrophe's possessive ("Prolia's") is dropped with it.
WORD = re.compile(r"[^\W_]+(?:['’][sS]\b)?")
HIT_START, HIT_END = "\x02", "\x03"  # marks around matched words, never in the data

# One entry: (kind, title, command, [(weight, text), ...])
Entry = tuple[str, str, str, list[tuple[int, str]]]


class Index(NamedTuple):
    """The search index of one knowledge base (an FTS5 database), and which knowledge base it is."""

    db: sqlite3.Connection
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


class Found(NamedTuple):
    """The hits shown, how many matched in all, and the words searched for (a question's
    stop words left out); `partial` when no entry had every word, so the hits have the most."""

    hits: list[Hit]
    total: int
    words: list[str]
    partial: bool = False


# Words a question is made of that say nothing about what is asked: left out of the search
# ("how long does alendronate take to work" searches for long, alendronate, work).
STOP_WORDS = frozenset(
    (
        "a",
        "about",
        "am",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "should",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "take",
        "those",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
    )
)


@cache
def fts5_available() -> bool:
    """Whether this Python's SQLite has FTS5 (every CPython build on python.org has)."""
    try:
        import sqlite3

        with sqlite3.connect(":memory:") as probe:
            probe.execute(f"CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='{TOKENIZER}')")
        return True
    except Exception:  # noqa: BLE001 - no sqlite3 module, no FTS5, no porter: all the same
        return False


def open_index(path: Path | None = None) -> Index:
    """The search index of the knowledge base at `path` (default: the shipped one): from the
    bundle or osteo's cache when one was built from these bytes by this code, else built
    from the knowledge base, then cached."""
    from osteo_cli import knowledge
    from osteo_cli.knowledge import cache

    if not fts5_available():
        raise DataError("search needs SQLite with FTS5, which this Python's sqlite3 module lacks")
    target, custom = knowledge.locate(path)
    data = knowledge.read_bytes(target)
    name = cache.entry_name("search", data, (Path(__file__),))
    stored = cache.read(name)
    opened = _opened(stored) if stored is not None else None
    if opened is None:
        # Built from the bytes just read and hashed (never a second read of the file).
        built = build_index(knowledge.compile_bytes(target, data))
        cache.write(name, built)
        opened = _opened(built)
        if opened is None:  # pragma: no cover - what was just built always opens
            raise DataError("the search index could not be built")
    db, version, reviewed = opened
    return Index(db, version, reviewed, target, custom)


def build_index(kb: KnowledgeBase) -> bytes:
    """The FTS5 index of `kb`, as the bytes of an SQLite database (needs FTS5)."""
    import sqlite3

    db = sqlite3.connect(":memory:")
    db.executescript(
        f"""
        CREATE TABLE meta (kb_version TEXT NOT NULL, last_reviewed TEXT NOT NULL);
        CREATE TABLE entries (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, title TEXT NOT NULL,
                              command TEXT NOT NULL, kind_order INTEGER NOT NULL);
        CREATE VIRTUAL TABLE fts USING fts5(title, names, body, tokenize='{TOKENIZER}');
        CREATE TABLE words (word TEXT PRIMARY KEY) WITHOUT ROWID;
        CREATE TABLE sections (id INTEGER PRIMARY KEY, entry INTEGER NOT NULL, section TEXT NOT NULL);
        CREATE VIRTUAL TABLE section_fts USING fts5(body, tokenize='{TOKENIZER}');
        """
    )
    db.execute("INSERT INTO meta VALUES (?, ?)", (kb.kb_version, kb.last_reviewed.isoformat()))
    vocabulary: set[str] = set()
    for number, (kind, title, command, fields) in enumerate(_entries(kb), start=1):
        columns = {TITLE: [], NAMES: [], TEXT: []}  # type: dict[int, list[str]]
        for weight, text in fields:
            columns[weight].append(text)
            vocabulary.update(w.casefold() for w in re.findall(r"[^\W\d_]{4,}", text))
        db.execute("INSERT INTO entries VALUES (?, ?, ?, ?, ?)", (number, kind, title, command, KIND_ORDER[kind]))
        row = (number, *(" ".join(columns[w]) for w in (TITLE, NAMES, TEXT)))
        db.execute("INSERT INTO fts (rowid, title, names, body) VALUES (?, ?, ?, ?)", row)
    db.executemany("INSERT INTO words VALUES (?)", ((w,) for w in sorted(vocabulary)))
    # Each drug's monograph sections apart, so a hit can point to the section that holds it.
    # The drugs are the first entries, in the file's order (see `_entries`).
    number = 0
    for entry, agent in enumerate(kb.agents, start=1):
        for section, text in _section_texts(kb, agent):
            number += 1
            db.execute("INSERT INTO sections VALUES (?, ?, ?)", (number, entry, section))
            db.execute("INSERT INTO section_fts (rowid, body) VALUES (?, ?)", (number, text))
    db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
    db.commit()
    data = db.serialize()
    db.close()
    return data


def _opened(data: bytes) -> tuple[sqlite3.Connection, str, dt.date] | None:
    """The database in `data` (the bytes read, never the file again), its knowledge base's
    version and review date; None when it is not an index of the expected shape."""
    import sqlite3

    try:
        db = sqlite3.connect(":memory:")
        db.deserialize(data)
    except Exception:  # noqa: BLE001 - any doubt is a miss
        return None
    try:
        db.execute("PRAGMA query_only = ON")
        ((version, reviewed),) = db.execute("SELECT kb_version, last_reviewed FROM meta").fetchall()
        db.execute("SELECT id, kind, title, command, kind_order FROM entries LIMIT 1").fetchall()
        db.execute("SELECT rowid, title, names, body FROM fts WHERE fts MATCH 'x' LIMIT 1").fetchall()
        db.execute("SELECT word FROM words LIMIT 1").fetchall()
        db.execute("SELECT id, entry, section FROM sections LIMIT 1").fetchall()
        db.execute("SELECT rowid, body FROM section_fts WHERE section_fts MATCH 'x' LIMIT 1").fetchall()
        if isinstance(version, str):
            return db, version, dt.date.fromisoformat(reviewed)
    except Exception:  # noqa: BLE001 - any doubt is a miss
        pass
    db.close()
    return None


def query_words(words: Sequence[str]) -> list[str]:
    """The words to search for: case-folded, without punctuation or possessives, each once."""
    found = [m.group().casefold() for m in WORD.finditer(" ".join(words))]
    unique = list(dict.fromkeys(re.sub(r"['’]s$", "", w) for w in found))
    if not unique:
        raise UsageError("give one or more words to search for, e.g. 'osteo search rebound'")
    if len(unique) > MAX_WORDS:
        raise UsageError(f"give at most {MAX_WORDS} different words to search for")
    if any(len(w) > MAX_WORD_LENGTH for w in unique):
        raise UsageError(f"a word to search for can have at most {MAX_WORD_LENGTH} letters")
    return unique


def search(index: Index, words: Sequence[str], limit: int = 20) -> list[Hit]:
    """Entries that contain every word (or a word starting with it, or of its stem), best first."""
    return find(index, words, limit).hits


def find(index: Index, words: Sequence[str], limit: int = 20) -> Found:
    """`search`, with how many entries matched in all and the words searched for.

    A question's stop words are left out ("how", "does", "to"); if then no entry has every
    word left, the entries with the most of them are the answer (`partial`)."""
    typed = query_words(words)
    wanted = [w for w in typed if w not in STOP_WORDS] or typed
    hits, total = _ranked(index, wanted, " AND ".join(f'"{w}"*' for w in wanted), limit)
    if total or len(wanted) < 2 or len(wanted) == len(typed):
        return Found(hits, total, wanted)
    most = _most_words(index, wanted)
    if not most:
        return Found([], 0, wanted)
    hits, total = _ranked(index, wanted, " OR ".join(f'"{w}"*' for w in wanted), limit, only=most)
    return Found(hits, total, wanted, partial=True)


def _most_words(index: Index, wanted: Sequence[str]) -> set[int]:
    """The entries that have the largest number of the words (at least one)."""
    counts: dict[int, int] = {}
    for w in wanted:
        for (rowid,) in index.db.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (f'"{w}"*',)):
            counts[rowid] = counts.get(rowid, 0) + 1
    best = max(counts.values(), default=0)
    return {rowid for rowid, n in counts.items() if n == best}


def _ranked(
    index: Index, wanted: Sequence[str], match: str, limit: int, only: set[int] | None = None
) -> tuple[list[Hit], int]:
    # FTS5 finds the entries and ranks them by BM25. BM25 alone puts short entries first
    # (its length normalization) and barely separates words most entries share, so the
    # BM25-best CANDIDATES are re-ranked: first an entry whose title or names hold a word
    # whole (a brand: "evenity" is Evenity before "events"), then by how often the words
    # occur whole, then by how often they occur as a word's start or stem, each weighted by
    # where (title 6, names 4, text 1); then by kind, then by BM25.
    rows = index.db.execute(
        f"""
        SELECT e.id, e.kind, e.title, e.command, bm25(fts, {TITLE}, {NAMES}, {TEXT}) AS rank, e.kind_order,
               highlight(fts, 2, ?, ?), highlight(fts, 1, ?, ?), highlight(fts, 0, ?, ?)
        FROM fts JOIN entries AS e ON e.id = fts.rowid
        WHERE fts MATCH ? ORDER BY rank, e.kind_order, e.title LIMIT ?
        """,
        (*(HIT_START, HIT_END) * 3, match, max(limit, CANDIDATES)),
    ).fetchall()
    total = index.db.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (match,)).fetchone()[0]
    if only is not None:
        rows = [row for row in rows if row[0] in only]
        total = len(only)
    whole = re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, wanted)) + r")(?![^\W_])", re.IGNORECASE)
    ranked = []
    for rowid, kind, title, command, rank, order, *marked in rows:
        weights = (TEXT, NAMES, TITLE)
        score = sum(w * text.count(HIT_START) for w, text in zip(weights, marked, strict=True))
        plain = [text.replace(HIT_START, "").replace(HIT_END, "") for text in marked]
        exact = sum(w * len(whole.findall(text)) for w, text in zip(weights, plain, strict=True))
        named = any(whole.search(text) for text in plain[1:])
        key = (not named, -exact, -score, order, rank, title)
        ranked.append((key, (rowid, kind, title, command, score, marked)))
    ranked.sort(key=lambda pair: pair[0])
    # Snippets and sections only for the hits shown: a common word matches hundreds of long entries.
    hits = []
    for _, (rowid, kind, title, command, score, marked) in ranked[:limit]:
        if kind == "drug" and HIT_START in marked[0]:  # found in the monograph's text: point to its section
            # The drug's own names say nothing about where in its monograph the rest is.
            names = " ".join(marked[1:]).replace(HIT_START, "").replace(HIT_END, "").casefold()
            about = [w for w in wanted if not re.search(rf"(?<![^\W_]){re.escape(w)}(?![^\W_])", names)]
            section = _section(index, rowid, about) if about else None  # its name alone: the card
            command = f"{command} --section {section}" if section else command
        hits.append(Hit(kind, title, command, score, _snippet(marked, title)))
    return hits, total


def _section(index: Index, entry: int, wanted: Sequence[str]) -> str | None:
    """The monograph section of a drug that holds the most of the words, best by BM25."""
    match = " OR ".join(f'"{w}"*' for w in wanted)
    row = index.db.execute(
        """
        SELECT s.section FROM section_fts JOIN sections AS s ON s.id = section_fts.rowid
        WHERE section_fts MATCH ? AND s.entry = ? ORDER BY bm25(section_fts) LIMIT 1
        """,
        (match, entry),
    ).fetchone()
    return str(row[0]) if row else None


def suggest(index: Index, words: Sequence[str]) -> list[str] | None:
    """When nothing matches: the query with each unknown word replaced by the closest word
    in the index's own vocabulary ("zolendronic" -> "zoledronic"); None when there is none."""
    import difflib

    wanted = query_words(words)
    vocabulary = _vocabulary(index)
    better, changed = [], False
    for word in wanted:
        if len(word) < 4 or _known(index, word):
            better.append(word)
            continue
        near = [v for v in vocabulary if abs(len(v) - len(word)) <= 3]
        close = difflib.get_close_matches(word, near, n=1, cutoff=0.8)
        if close:
            better.append(close[0])
            changed = True
        else:
            better.append(word)
    return better if changed and search(index, better, limit=1) else None


def _vocabulary(index: Index) -> list[str]:
    return [w for (w,) in index.db.execute("SELECT word FROM words")]


def _known(index: Index, word: str) -> bool:
    return bool(index.db.execute("SELECT 1 FROM fts WHERE fts MATCH ? LIMIT 1", (f'"{word}"*',)).fetchall())


def _snippet(marked: Sequence[str], title: str, width: int = 80) -> str:
    """The sentence with the most matched words, from the body before the names and the
    title, cut at word boundaries around the first match when longer than `width`."""
    for text in marked:
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if HIT_START in s]
        if not sentences:
            continue
        sentence = max(sentences, key=lambda s: len(set(re.findall(f"{HIT_START}([^{HIT_END}]*)", s.casefold()))))
        at = sentence.find(HIT_START)
        plain = sentence.replace(HIT_START, "").replace(HIT_END, "")
        return _cut(plain, len(sentence[:at].replace(HIT_END, "")), width)
    return title


def _cut(sentence: str, at: int, width: int) -> str:
    if len(sentence) <= width:
        return sentence
    start = max(0, at - width // 3)
    if start:
        space = sentence.rfind(" ", 0, start + 1)
        start = space + 1 if space >= 0 else 0
    end = start + width
    if end < len(sentence):
        space = sentence.rfind(" ", start, end + 1)
        end = space if space > at else end
    return ("…" if start else "") + sentence[start:end].strip() + ("…" if end < len(sentence) else "")


def _entries(kb: KnowledgeBase) -> Iterator[Entry]:
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
        yield "drug", a.name, f"osteo drugs show {slug(a.name)}", [(TITLE, a.name), (NAMES, names), (TEXT, text)]
    for f in kb.families:
        text = " ".join([f.mechanism, f.administration, f.typical_use, f.after_treatment])
        names = " ".join([f.singular, *f.aliases])
        yield "family", f.name, f"osteo drugs show {f.id}", [(TITLE, f.name), (NAMES, names), (TEXT, text)]
    for number, q in enumerate(kb.faq, start=1):
        yield "faq", f"{number}. {q.question}", f"osteo faq {number}", [(TITLE, q.question), (TEXT, q.answer)]
    for advice in kb.lifestyle:
        text = " ".join([advice.text, *advice.examples])
        yield "lifestyle", advice.title, "osteo lifestyle", [(TITLE, advice.title), (TEXT, text)]
    for topic in kb.topics:
        text = " ".join([topic.summary, *topic.points])
        yield "learn", topic.title, f"osteo learn {topic.id}", [(TITLE, topic.title), (TEXT, text)]
    yield from _evidence_entries(kb)
    density = kb.bone_density
    categories = (density.normal, density.low_bone_mass, density.osteoporosis, density.severe_osteoporosis)
    text = " ".join([*(f"{c.name} {c.meaning}" for c in categories), *density.caveats])
    yield (
        "tscore",
        "T-score categories",
        "osteo tscore VALUE",
        [(TITLE, "T-score bone density categories"), (TEXT, text)],
    )


def _section_texts(kb: KnowledgeBase, a: Agent) -> Iterator[tuple[str, str]]:
    """An agent's searchable text by monograph section (the `--section` names), for
    `search` to point to the section a word is in."""
    conditions = {c.id: c for c in kb.conditions}
    substances = {x.id: x for x in kb.substances}

    def named(name: str, synonyms: list[str]) -> str:
        return f"{name} ({', '.join(synonyms)})." if synonyms else f"{name}."

    def words(*texts: str | None) -> str:
        return " ".join(t for t in texts if t)

    yield "overview", words(*a.notes, *(p.note for p in a.related_products), *(b.note for b in a.brands))
    yield "dosing", words(a.dosing.dose, *a.dosing.how)
    yield "missed-dose", words(*(f"{m.name}: {m.text}" for m in a.missed_doses))
    yield (
        "contraindications",
        words(
            *(
                words(r.text, r.action, named(c.name, c.synonyms) if (c := conditions.get(r.condition)) else None)
                for r in a.contraindications
            )
        ),
    )
    yield (
        "interactions",
        words(
            *(
                words(i.effect, i.action, named(x.name, x.synonyms) if (x := substances.get(i.substance)) else None)
                for i in a.interactions
            )
        ),
    )
    if a.kidney:
        yield "kidney", words(a.kidney.summary, *(words(t.text, t.action) for t in a.kidney.thresholds))
    yield "safety", words(a.safety.boxed_warning, *a.safety.warnings, *(c.text for c in a.safety.changes))
    if a.side_effects:
        effects = a.side_effects
        yield "side-effects", words(effects.summary, *effects.serious, *(f.effect for f in effects.frequencies))
    yield "monitoring", words(*(m.text for m in a.monitoring))
    if a.pregnancy:
        yield "pregnancy", words(a.pregnancy.pregnancy, a.pregnancy.breastfeeding)
    yield "approvals", words(*(x.note for x in a.approvals))
    yield "duration", a.duration.summary
    yield "stopping", a.stopping.summary


def _monograph_text(kb: KnowledgeBase, a: Agent) -> Iterator[str]:
    """The words of an agent's monograph sections, so search finds "achalasia" or "missed".

    Each piece is a sentence of its own (a heading, a list of names ending in a full stop), so a
    snippet cut at sentence ends never runs a list of synonyms into the next text."""
    conditions = {c.id: c for c in kb.conditions}
    substances = {x.id: x for x in kb.substances}

    def named(name: str, synonyms: list[str]) -> str:
        return f"{name} ({', '.join(synonyms)})." if synonyms else f"{name}."

    for rule in a.contraindications:
        condition = conditions.get(rule.condition)
        yield from (rule.text, rule.action or "", named(condition.name, condition.synonyms) if condition else "")
    for interaction in a.interactions:
        substance = substances.get(interaction.substance)
        yield from (
            interaction.effect,
            interaction.action,
            named(substance.name, substance.synonyms) if substance else "",
        )
    if a.kidney:
        yield from ("Kidney function:", a.kidney.summary)
        yield from (f"{t.text} {t.action or ''}" for t in a.kidney.thresholds)
    for missed in a.missed_doses:
        yield from (f"Missed dose, {missed.name}:", missed.text)
    if a.side_effects:
        effects = a.side_effects
        yield from ("Side effects:", effects.summary or "", *effects.serious)
        if effects.frequencies:
            yield named("In the trials", [f.effect for f in effects.frequencies])
    yield from (m.text for m in a.monitoring)
    if a.pregnancy:
        yield from ("Pregnancy and breastfeeding:", a.pregnancy.pregnancy, a.pregnancy.breastfeeding)
    yield from (x.note or "" for x in a.approvals)
    yield from (c.text for c in a.safety.changes)


def _evidence_entries(kb: KnowledgeBase) -> Iterator[Entry]:
    """The trials, the guidelines and the general measures in numbers."""
    for t in kb.trials:
        agent = kb.agent(t.agent).name
        results = [getattr(t.results, site).note or "" for site in ("vertebral", "non_vertebral", "hip")]
        words = [agent, t.citation, t.population, t.treatment or "", f"against {t.comparator}", *results, *t.notes]
        title = f"{t.name} trial"  # the medicine's name only in the text: its own entry ranks first
        yield "evidence", title, f"osteo evidence {slug(agent)}", [(TITLE, title), (TEXT, " ".join(words))]
    for g in kb.guidelines:
        points = [p.text for key in GUIDELINE_SECTIONS for p in getattr(g, key)]
        yield "guideline", g.name, "osteo guidelines", [(TITLE, g.name), (NAMES, g.citation), (TEXT, " ".join(points))]
    for m in kb.intake.measures:
        yield "lifestyle", m.title, "osteo lifestyle", [(TITLE, m.title), (TEXT, " ".join([m.text, *m.points]))]
    for a in kb.intake.amounts:
        nutrient = "Calcium" if a.nutrient == "calcium" else "Vitamin D"
        amount = f"{a.amount}" + (f"-{a.amount_to}" if a.amount_to else "")
        ages = f"{a.age_from}-{a.age_to}" if a.age_to is not None else f"{a.age_from} and over"
        title = f"{nutrient} a day, {a.sex} {ages} ({a.by})"
        text = f"{amount} {a.unit} {a.kind.replace('-', ' ')} {a.note or ''}"
        yield "lifestyle", title, "osteo lifestyle nutrition", [(TITLE, title), (TEXT, text)]


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
