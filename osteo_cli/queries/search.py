"""Search: one ranked list across drugs, families, the FAQ, lifestyle and learn topics.

Pure; never prints. Every word must match, as a word or the start of one, whatever its
case, punctuation or ending: `stop` finds "stopping", `fractures` finds "fracture",
`rebound?` and `Prolia's` find "rebound" and "Prolia". A hit in a name or title counts
more than one in the text.

The index is an SQLite database with an FTS5 table (standard-library `sqlite3`): BM25
ranking, Porter stemming, prefix queries, and a vocabulary for "did you mean". It is
built once per knowledge base and cached with it as bytes (`knowledge.derived`), so a
search never builds the knowledge base's objects. Where `sqlite3` lacks FTS5, a plain
scan of the same entries answers instead (`fts5_available`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from osteo_cli.errors import UsageError
from osteo_cli.queries.names import normalize, slug

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
    """The search index of one knowledge base, and which knowledge base it is.
    `db` is the FTS5 database, or None where there is no FTS5 (then `entries` is used)."""

    db: sqlite3.Connection | None
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
    db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
    db.commit()
    data = db.serialize()
    db.close()
    return data


def open_index(data: bytes) -> tuple[sqlite3.Connection, str, dt.date] | None:
    """The database in `data`, its knowledge base's version and review date; None when
    it is not an index of the expected shape (the caller rebuilds it)."""
    import sqlite3

    try:
        db = sqlite3.connect(":memory:")
        db.deserialize(data)
    except Exception:  # noqa: BLE001 - any doubt is a miss
        return None
    return checked_index(db)


def checked_index(db: sqlite3.Connection) -> tuple[sqlite3.Connection, str, dt.date] | None:
    """`db` with its knowledge base's version and review date, once it has the shape of an
    index; None (and `db` closed) when it has not."""
    try:
        db.execute("PRAGMA query_only = ON")
        ((version, reviewed),) = db.execute("SELECT kb_version, last_reviewed FROM meta").fetchall()
        db.execute("SELECT id, kind, title, command, kind_order FROM entries LIMIT 1").fetchall()
        db.execute("SELECT rowid, title, names, body FROM fts WHERE fts MATCH 'x' LIMIT 1").fetchall()
        db.execute("SELECT word FROM words LIMIT 1").fetchall()
        if isinstance(version, str):
            return db, version, dt.date.fromisoformat(reviewed)
    except Exception:  # noqa: BLE001 - any doubt is a miss
        pass
    db.close()
    return None


def plain_index(kb: KnowledgeBase, path: Path, custom: bool) -> Index:
    """The index without FTS5: the entries, scanned at each search."""
    return Index(None, list(_entries(kb)), kb.kb_version, kb.last_reviewed, path, custom)


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
    wanted = query_words(words)
    if index.db is None:
        return _scan(index.entries, wanted, limit)
    match = " AND ".join(f'"{w}"*' for w in wanted)
    # FTS5 finds the entries and ranks them by BM25. BM25 alone puts short entries first
    # (its length normalization) and barely separates words most entries share, so the
    # BM25-best CANDIDATES are re-ranked by how often the words occur, weighted by
    # where (title 6, names 4, text 1), as before FTS5; then by kind, then by BM25.
    rows = index.db.execute(
        f"""
        SELECT e.kind, e.title, e.command, bm25(fts, {TITLE}, {NAMES}, {TEXT}) AS rank, e.kind_order,
               highlight(fts, 2, ?, ?), highlight(fts, 1, ?, ?), highlight(fts, 0, ?, ?)
        FROM fts JOIN entries AS e ON e.id = fts.rowid
        WHERE fts MATCH ? ORDER BY rank, e.kind_order, e.title LIMIT ?
        """,
        (*(HIT_START, HIT_END) * 3, match, max(limit, CANDIDATES)),
    ).fetchall()
    ranked = []
    for kind, title, command, rank, order, *marked in rows:
        score = sum(w * text.count(HIT_START) for w, text in zip((TEXT, NAMES, TITLE), marked, strict=True))
        ranked.append(((-score, order, rank, title), (kind, title, command, score, marked)))
    ranked.sort(key=lambda pair: pair[0])
    # Snippets only for the hits shown: a common word matches hundreds of long entries.
    return [Hit(k, t, c, score, _snippet(marked, t)) for _, (k, t, c, score, marked) in ranked[:limit]]


def suggest(index: Index, words: Sequence[str]) -> list[str] | None:
    """When nothing matches: the query with each unknown word replaced by the closest word
    in the index's own vocabulary ("zolendronic" -> "zoledronic"); None when there is none."""
    import difflib

    wanted = query_words(words)
    vocabulary = _vocabulary(index)
    better, changed = [], False
    for word in wanted:
        if len(word) < 4 or _known(index, word, vocabulary):
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
    if index.db is not None:
        return [w for (w,) in index.db.execute("SELECT word FROM words")]
    return sorted({w.casefold() for e in index.entries for _, t in e[3] for w in re.findall(r"[^\W\d_]{4,}", t)})


def _known(index: Index, word: str, vocabulary: list[str]) -> bool:
    if index.db is not None:
        return bool(index.db.execute("SELECT 1 FROM fts WHERE fts MATCH ? LIMIT 1", (f'"{word}"*',)).fetchall())
    return any(v.startswith(word) for v in vocabulary)


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


def _pattern(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z0-9])" + re.escape(word))


def _scan(entries: list[Entry], wanted: list[str], limit: int) -> list[Hit]:
    """The search without FTS5: every word as the start of a word, names and titles first."""
    patterns = [_pattern(w) for w in wanted]
    hits = []
    for kind, title, command, fields in entries:
        texts = [(weight, normalize(text)) for weight, text in fields]
        per_word = [sum(weight * len(p.findall(text)) for weight, text in texts) for p in patterns]
        if all(per_word):
            hits.append(Hit(kind, title, command, sum(per_word), _plain_snippet(fields, title, patterns)))
    hits.sort(key=lambda h: (-h.score, KIND_ORDER[h.kind], h.title))
    return hits[:limit]


def _plain_snippet(fields: list[tuple[int, str]], title: str, patterns: list[re.Pattern[str]]) -> str:
    for _, text in reversed(fields):  # the body reads better than a list of names
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            folded = sentence.casefold()
            starts = [m.start() for p in patterns if (m := p.search(folded))]
            if starts:
                return _cut(sentence, min(starts), 80)
    return title
