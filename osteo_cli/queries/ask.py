"""`osteo ask`: a question in plain words -> the knowledge base's own facts that answer it. Pure; never prints.

A router, not a writer: it finds the medicines named (by any name `drugs show` takes), the
topics asked about (phrases from the knowledge base's `ask` vocabulary) and the substances
named (the `check` vocabulary), and gathers the facts the vocabulary says answer each pair,
in the order asked. Every text it returns is the knowledge base's own. When nothing
matches, it says so and answers nothing: it never guesses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from osteo_cli.knowledge.models import SITES, Agent, Family
from osteo_cli.knowledge.names import claims, slug
from osteo_cli.queries import check, evidence
from osteo_cli.queries.names import Resolved
from osteo_cli.queries.search import STOP_WORDS

if TYPE_CHECKING:
    from osteo_cli.knowledge.models import AskTopic, KnowledgeBase, Practice, Substance
    from osteo_cli.queries.search import Hit, Index

MAX_QUESTION = 1000  # characters; a question longer than this is cut (no real one is)
MAX_NAME_WORDS = 4
NEAREST = 5  # search hits shown when osteo has no answer

# Words that say nothing about what is asked: search's own stop words, and the words a
# question about a medicine always has ("tablet", "taking", "after"), left out of the
# search for the nearest hits and of regimen matching.
STOPWORDS = STOP_WORDS | frozenset(
    [
        "after",
        "again",
        "all",
        "any",
        "before",
        "being",
        "cant",
        "doesnt",
        "dont",
        "drug",
        "drugs",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "im",
        "ive",
        "just",
        "medication",
        "medicine",
        "medicines",
        "might",
        "more",
        "most",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "off",
        "once",
        "only",
        "osteo",
        "other",
        "our",
        "out",
        "own",
        "same",
        "she",
        "some",
        "such",
        "tablet",
        "tablets",
        "taken",
        "taking",
        "through",
        "too",
        "under",
        "until",
        "up",
        "very",
        "while",
        "yours",
    ]
)

WHEN = {"before": "Before starting", "each-dose": "Before each dose", "during": "During treatment"}


class Fact(NamedTuple):
    """One fact that answers the question, as the knowledge base words it."""

    id: str  # where it comes from: "alendronate/missed-dose/weekly", "faq/dentist"
    label: str
    text: str
    sources: tuple[str, ...]


class Answer(NamedTuple):
    """The facts that answer one topic for one medicine (or for no medicine, in general)."""

    topic: str  # an `ask` topic id, or "compare"
    title: str
    medicine: Agent | Family | None
    facts: list[Fact]
    more: tuple[str, ...]  # the commands that show more
    note: str | None = None  # said plainly when osteo holds no such fact for this medicine


class Named(NamedTuple):
    """A medicine as the question spells it, and what it resolved to."""

    typed: str
    found: Resolved


class Asked(NamedTuple):
    question: str
    medicines: list[Named]
    topics: list[AskTopic]
    substances: list[tuple[str, list[Substance]]]  # as typed, and what each names
    answers: list[Answer]
    unanswered: str | None = None  # why osteo has no answer (then `answers` is empty)

    @property
    def answered(self) -> bool:
        return self.unanswered is None


# --- reading the question ------------------------------------------------------------------


def words(text: str) -> list[str]:
    """The question's words: NFKC, case-folded, apostrophes and possessives dropped, split at anything else."""
    text = unicodedata.normalize("NFKC", text[:MAX_QUESTION]).casefold()
    text = re.sub(r"['’]s\b", "", text).replace("'", "").replace("’", "")
    return re.findall(r"[^\W_]+", text)


def _key(text: str) -> tuple[str, ...]:
    return tuple(words(text))


def _scan(tokens: list[str | None], table: dict[tuple[str, ...], str], longest: int) -> list[tuple[int, int, str]]:
    """Longest match first, left to right: (start, end, value) for each run of tokens in `table`."""
    found = []
    i = 0
    while i < len(tokens):
        for j in range(min(len(tokens), i + longest), i, -1):
            run = tokens[i:j]
            if all(t is not None for t in run) and tuple(t for t in run if t is not None) in table:
                found.append((i, j, table[tuple(t for t in run if t is not None)]))
                i = j
                break
        else:
            i += 1
    return found


def _consume(tokens: list[str | None], spans: Iterable[tuple[int, int, str]]) -> list[str | None]:
    out = list(tokens)
    for start, end, _ in spans:
        out[start:end] = [None] * (end - start)
    return out


def _compact(tokens: list[str | None]) -> list[str | None]:
    """Consumed words taken out, so a phrase reads across them ("take Fosamax with" -> "take with")."""
    return [t for t in tokens if t is not None]


def ask(kb: KnowledgeBase, question: str) -> Asked:
    """The question's medicines, topics and substances, and the answers they call for, in order."""
    tokens: list[str | None] = list(words(question))
    names = {_key(c.name): c.name for c in claims(kb)}
    spans = _scan(tokens, names, MAX_NAME_WORDS)
    medicines: dict[tuple[str, str], Named] = {}
    from osteo_cli.queries.names import resolve

    for _, _, name in spans:
        found = resolve(kb, name)
        medicines.setdefault((found.claim.kind, found.entry.id), Named(name, found))
    rest = _compact(_consume(tokens, spans))
    phrases = {_key(p): t.id for t in kb.ask for p in t.phrases}
    longest = max((len(k) for k in phrases), default=1)
    topic_spans = _scan(rest, phrases, longest)
    by_id = {t.id: t for t in kb.ask}
    topics = [by_id[i] for i in dict.fromkeys(t for _, _, t in topic_spans)]
    left = _consume(rest, topic_spans)
    substances = _substances(kb, left)
    if substances and medicines and "interactions" in by_id and by_id["interactions"] not in topics:
        topics.append(by_id["interactions"])
    named = list(medicines.values())
    answers, why = _plan(kb, tokens, named, topics, substances)
    return Asked(question, named, topics, substances, answers, why)


def _substances(kb: KnowledgeBase, tokens: list[str | None]) -> list[tuple[str, list[Substance]]]:
    table: dict[tuple[str, ...], str] = {}
    for s in kb.substances:
        for name in (s.name, *s.synonyms):
            table.setdefault(_key(name), name)
    found: dict[str, tuple[str, list[Substance]]] = {}
    for _, _, name in _scan(tokens, table, max((len(k) for k in table), default=1)):
        wanted = _key(name)
        matched = [s for s in kb.substances if any(_key(n) == wanted for n in (s.name, *s.synonyms))]
        found.setdefault(name.casefold(), (name, matched))
    return list(found.values())


# --- what answers it ------------------------------------------------------------------------


def _plan(
    kb: KnowledgeBase,
    tokens: list[str | None],
    medicines: list[Named],
    topics: list[AskTopic],
    substances: list[tuple[str, list[Substance]]],
) -> tuple[list[Answer], str | None]:
    if not medicines and not topics:
        if substances:
            listed = ", ".join(typed for typed, _ in substances)
            return [], f"osteo has no answer for that: name the osteoporosis medicine to check with {listed}"
        return [], "osteo has no answer for that question"
    if not topics:
        which = " and ".join(_name(m.found.entry) for m in medicines)
        cmd = f"osteo drugs show {slug(medicines[0].found.entry.id)}"
        return [], f"osteo knows {which} but cannot tell what you are asking about it; '{cmd}' shows everything"
    if not medicines:
        answers = [_general(kb, t) for t in topics if t.general]
        if not answers:
            titles = ", ".join(t.title.lower() for t in topics)
            return (
                [],
                f"osteo has no answer for that without a medicine's name: its facts on {titles} differ by medicine",
            )
        return answers, None
    answers = []
    asked = {t for t in tokens if t is not None}
    for topic in topics:
        if topic.id == "compare" or "compare" in topic.answers:
            answers.append(_compare(kb, topic, medicines))
            continue
        for named in medicines:
            entry = named.found.entry
            others: list[tuple[str, list[Substance]]] = [
                (m.typed, []) for m in medicines if m is not named and isinstance(m.found.entry, Agent)
            ]
            if topic.id == "interactions" and (substances or others) and isinstance(entry, Agent):
                # Another osteoporosis medicine named is checked against this one, as `check --takes` does.
                answers.append(_checked(kb, topic, entry, [*substances, *others]))
            else:
                answers.append(_answer(kb, topic, entry, asked))
    return answers, None


def _name(entry: Agent | Family) -> str:
    return entry.name


def _general(kb: KnowledgeBase, topic: AskTopic) -> Answer:
    facts: list[Fact] = []
    more: list[str] = []
    for ref in topic.general:
        found, cmds = _shared(kb, ref)
        facts.extend(found)
        more.extend(cmds)
    return Answer(topic.id, topic.title, None, facts, tuple(dict.fromkeys(more)))


def _shared(kb: KnowledgeBase, ref: str, entry: Agent | Family | None = None) -> tuple[list[Fact], list[str]]:
    """The facts of a `faq.ID` or `learn.ID`; a FAQ entry for a medicine only when it names it or its family."""
    kind, _, ident = ref.partition(".")
    if kind == "faq":
        number, faq = next((n, f) for n, f in enumerate(kb.faq, start=1) if f.id == ident)
        if entry is not None and not _mentions(kb, f"{faq.question} {faq.answer}", entry):
            return [], []
        return [Fact(f"faq/{faq.id}", faq.question, faq.answer, tuple(faq.sources))], [
            faq.more if faq.more and "NAME" not in faq.more else f"osteo faq {number}"
        ]
    topic = next(t for t in kb.topics if t.id == ident)
    facts = [Fact(f"learn/{topic.id}", topic.title, topic.summary, tuple(topic.sources))]
    facts += [Fact(f"learn/{topic.id}/{i}", topic.title, p, tuple(topic.sources)) for i, p in enumerate(topic.points)]
    return facts, [f"osteo learn {topic.id}"]


def _mentions(kb: KnowledgeBase, text: str, entry: Agent | Family) -> bool:
    """Whether a text is about the medicine: it names it, or names no other medicine."""
    said = " " + " ".join(words(text)) + " "

    def named(names: Iterable[str]) -> bool:
        return any(f" {' '.join(words(n))}" in said for n in names)

    def own(agent: Agent) -> list[str]:
        return [agent.name, *agent.aliases, *(b.name for b in agent.brands)]

    if isinstance(entry, Agent) and named(own(entry)):
        return True
    # A text about the family, or about bone medicines in general, but not one about another medicine.
    return not any(a is not entry and named(own(a)) for a in kb.agents)


def _answer(kb: KnowledgeBase, topic: AskTopic, entry: Agent | Family, asked: set[str]) -> Answer:
    facts: list[Fact] = []
    more: list[str] = []
    for ref in topic.answers:
        kind, _, ident = ref.partition(".")
        if kind in ("faq", "learn"):
            found, cmds = _shared(kb, ref, entry)
        elif kind == "practical":
            found, cmds = _practical(kb, entry, ident)
        elif isinstance(entry, Agent):
            found, cmds = _section(kb, entry, ref, asked)
        else:
            found, cmds = [], []
        facts.extend(found)
        more.extend(cmds)
    note = None
    if not any(not f.id.startswith(("faq/", "learn/")) for f in facts):
        if isinstance(entry, Family):
            members = ", ".join(a.name for a in kb.members(entry.id))
            note = f"osteo answers this for each medicine, not for the family: name one of {members}."
        else:
            note = f"osteo holds no fact on {topic.title.lower()} for {entry.name}."
        more.append(f"osteo drugs show {slug(entry.id)}")
    return Answer(topic.id, topic.title, entry, facts, tuple(dict.fromkeys(more)), note)


def _practical(kb: KnowledgeBase, entry: Agent | Family, topic: str) -> tuple[list[Fact], list[str]]:
    items: list[Practice]
    if isinstance(entry, Agent):
        items = [*kb.family(entry.family).practical, *entry.practical]
    else:
        items = list(entry.practical)
    facts = []
    for i, p in enumerate(x for x in items if x.topic == topic):
        lead = f"{p.jurisdiction}: " if p.jurisdiction and not p.text.startswith(p.jurisdiction) else ""
        text = lead + p.text + (f" What to do: {p.action}" if p.action else "")
        facts.append(Fact(f"{entry.id}/practical/{topic}/{i}", p.about or "In practice", text, tuple(p.sources)))
    cmd = f"osteo drugs show {slug(entry.id)}" + (" --section practical" if isinstance(entry, Agent) else "")
    return facts, [cmd] if facts else []


def _section(kb: KnowledgeBase, agent: Agent, ref: str, asked: set[str]) -> tuple[list[Fact], list[str]]:
    """The facts of one monograph section (or `approvals.POPULATION`) for one agent."""
    kind, _, ident = ref.partition(".")
    show = f"osteo drugs show {slug(agent.id)} --section {kind}"
    base = f"{agent.id}/{kind}"
    facts: list[Fact] = []
    match kind:
        case "dosing":
            d = agent.dosing
            facts.append(Fact(f"{base}/dose", "Dose", d.dose, tuple(d.sources)))
            facts += [Fact(f"{base}/how/{i}", "How to take it", h, tuple(d.sources)) for i, h in enumerate(d.how)]
        case "missed-dose":
            regimens = [m for m in agent.missed_doses if asked & set(words(f"{m.regimen} {m.name}")) - STOPWORDS]
            for m in regimens or agent.missed_doses:
                facts.append(Fact(f"{base}/{m.regimen}", f"Missed dose: {m.name}", m.text, tuple(m.sources)))
                facts += [
                    Fact(
                        f"{base}/{m.regimen}/late/{late.after_days}",
                        f"More than {late.after_days} days late",
                        late.text,
                        tuple(late.sources),
                    )
                    for late in m.late
                ]
        case "contraindications":
            names = {c.id: c.name for c in kb.conditions}
            for r in agent.contraindications:
                label = names[r.condition] + (f" ({r.applies_to})" if r.applies_to else "")
                text = r.text + (f" What to do: {r.action}" if r.action else "")
                facts.append(Fact(f"{base}/{r.condition}", label, _where(r.jurisdiction) + text, tuple(r.sources)))
        case "interactions":
            names = {s.id: s.name for s in kb.substances}
            for x in agent.interactions:
                label = names[x.substance] + (f" ({x.applies_to})" if x.applies_to else "")
                text = f"{x.effect} What to do: {x.action}"
                facts.append(Fact(f"{base}/{x.substance}", label, _where(x.jurisdiction) + text, tuple(x.sources)))
        case "kidney":
            if agent.kidney:
                k = agent.kidney
                facts.append(Fact(base, "Kidney function", k.summary, tuple(k.sources)))
                for t in k.thresholds:
                    text = t.text + (f" What to do: {t.action}" if t.action else "")
                    fid = f"{base}/{t.measure}-{t.below}"
                    facts.append(Fact(fid, f"Below {t.below}", _where(t.jurisdiction) + text, tuple(t.sources)))
        case "side-effects":
            if agent.side_effects:
                fx = agent.side_effects
                if fx.summary:
                    facts.append(Fact(f"{base}/common", "Most common", fx.summary, tuple(fx.sources)))
                if fx.serious:
                    text = "; ".join(x.rstrip(".") for x in fx.serious) + "."
                    facts.append(Fact(f"{base}/serious", "Serious ones the label lists", text, tuple(fx.sources)))
        case "monitoring":
            for i, item in enumerate(agent.monitoring):
                facts.append(
                    Fact(f"{base}/{i}", WHEN[item.when], _where(item.jurisdiction) + item.text, tuple(item.sources))
                )
        case "pregnancy":
            if agent.pregnancy:
                p = agent.pregnancy
                facts.append(Fact(f"{base}/pregnancy", "Pregnancy", p.pregnancy, tuple(p.sources)))
                facts.append(Fact(f"{base}/breastfeeding", "Breastfeeding", p.breastfeeding, tuple(p.sources)))
        case "duration":
            du = agent.duration
            facts.append(Fact(base, "How long", du.summary, tuple(du.sources)))
            if du.usual:
                facts.append(Fact(f"{base}/usual", "Usual course", du.usual.text, tuple(du.usual.sources)))
        case "stopping":
            st = agent.stopping
            show = f"osteo drugs stopping {slug(agent.id)}"
            facts.append(Fact(base, "Stopping", st.summary, tuple(st.sources)))
            if st.follow_within:
                w = st.follow_within
                facts.append(Fact(f"{base}/follow-within", "What must follow", w.text, tuple(w.sources)))
                if w.restart:
                    facts.append(
                        Fact(f"{base}/restart", "If the follow-on is late", w.restart.text, tuple(w.restart.sources))
                    )
            if st.must_be_followed and st.followed_by:
                then = " or ".join(kb.family(f).name.lower() for f in st.followed_by)
                facts.append(
                    Fact(
                        f"{base}/followed-by",
                        "Followed by",
                        f"{agent.name} must be followed by {then}.",
                        tuple(st.sources),
                    )
                )
            if st.long_use:
                facts.append(Fact(f"{base}/long-use", "Long use", st.long_use.text, tuple(st.long_use.sources)))
        case "evidence":
            trials = evidence.for_agent(kb, agent.id)
            show = f"osteo evidence {slug(agent.id)}"
            if trials:
                summary = evidence.site_summary(kb, agent.id)
                sources = tuple(dict.fromkeys(s for t in trials for s in t.sources))
                facts += [Fact(f"{base}/{site}", evidence.SITE_NAMES[site], summary[site], sources) for site in SITES]
                facts.append(Fact(f"{base}/meaning", "What this means", evidence.MEANING, ()))
        case "approvals":
            show = f"osteo drugs show {slug(agent.id)} --section approvals"
            for i, a in enumerate(x for x in agent.approvals if x.population == ident):
                since = f" since {a.since}" if a.since else ""
                what = f"Approved{since}" if a.approved else "Not approved"
                where = f" ({a.jurisdiction}{', ' + a.applies_to if a.applies_to else ''})"
                text = f"{what}{where}." + (f" {a.note}" if a.note else "")
                facts.append(Fact(f"{base}/{ident}/{i}", "Approved for this", text, tuple(a.sources)))
        case _:
            return [], []
    return facts, [show] if facts else []


def _where(jurisdiction: str) -> str:
    return "" if jurisdiction == "US" else f"{jurisdiction}: "


def _checked(
    kb: KnowledgeBase, topic: AskTopic, agent: Agent, substances: Sequence[tuple[str, list[Substance]]]
) -> Answer:
    """What `osteo check AGENT --takes X` says about each substance named, with its own logic."""
    typed = [t for t, _ in substances]
    facts = check.facts(kb, takes=typed)
    result = check.screen_agent(agent, facts)
    found = [
        Fact(
            f"{agent.id}/check/{r.about}",
            r.verdict.replace("-", " ").capitalize(),
            _where_or_none(r.jurisdiction) + r.text + (f" What to do: {r.action}" if r.action else ""),
            r.sources,
        )
        for r in result.reasons
        if r.kind in ("interaction", "duplicate", "no-interaction-on-file")
    ]
    takes = " ".join(f"--takes {_quoted(t)}" for t in typed)
    return Answer(topic.id, topic.title, agent, found, (f"osteo check {slug(agent.id)} {takes}",))


def _where_or_none(jurisdiction: str | None) -> str:
    return f"{jurisdiction}: " if jurisdiction else ""


def _quoted(text: str) -> str:
    return f"'{text}'" if " " in text else text


COMPARED = ("category", "mechanism", "administration", "dose", "after_treatment", "vertebral", "hip")


def _compare(kb: KnowledgeBase, topic: AskTopic, medicines: list[Named]) -> Answer:
    from osteo_cli.queries.drugs import FEATURES, profile

    labels = dict(FEATURES)
    profiles = [(m.found.entry, profile(kb, m.found)) for m in medicines]
    facts = []
    for feature in COMPARED:
        for entry, p in profiles:
            sources = _compare_sources(kb, entry, feature)
            facts.append(
                Fact(f"{entry.id}/compare/{feature}", f"{labels[feature]}: {p.name}", p.features[feature], sources)
            )
    ids = " ".join(slug(e.id) for e, _ in profiles)
    more = f"osteo drugs compare {ids}" if len(profiles) > 1 else f"osteo drugs compare {ids} NAME"
    title = "How they compare" if len(profiles) > 1 else topic.title
    return Answer(topic.id, title, None if len(profiles) > 1 else profiles[0][0], facts, (more,))


def _compare_sources(kb: KnowledgeBase, entry: Agent | Family, feature: str) -> tuple[str, ...]:
    family = kb.family(entry.family) if isinstance(entry, Agent) else entry
    agents = [entry] if isinstance(entry, Agent) else kb.members(entry.id)
    if feature == "dose":
        return tuple(dict.fromkeys(s for a in agents for s in a.dosing.sources))
    if feature in ("vertebral", "hip"):
        return tuple(dict.fromkeys(s for a in agents for t in evidence.for_agent(kb, a.id) for s in t.sources))
    return tuple(family.sources)


# --- when osteo has no answer ---------------------------------------------------------------


def nearest(index: Index, question: str) -> list[Hit]:
    """The search hits nearest the question: every content word if anything has them all, else the
    hits of each word alone, those matching more words first."""
    from osteo_cli.queries.search import MAX_WORDS, search

    content = [w for w in dict.fromkeys(words(question)) if w not in STOPWORDS and len(w) > 2][:MAX_WORDS]
    if not content:
        return []
    hits = search(index, content, limit=NEAREST)
    if hits:
        return hits
    seen: dict[tuple[str, str], tuple[int, int, Hit]] = {}
    for word in content:
        for h in search(index, [word], limit=NEAREST * 2):
            count, score, _ = seen.get((h.kind, h.title), (0, 0, h))
            seen[(h.kind, h.title)] = (count + 1, score + h.score, h)
    ranked = sorted(seen.values(), key=lambda x: (-x[0], -x[1]))
    return [h for _, _, h in ranked[:NEAREST]]
