"""Screening: every medicine against one person's kidney function, conditions and other medicines.

Pure; never prints. Everything about a condition or a substance comes from the knowledge
base: its vocabularies (`conditions`, `substances`, with synonyms and `implies`) and each
agent's `contraindications`, `interactions` and `kidney` thresholds. This module only
matches what was typed against them and ranks what the labels say.

Verdicts: a contraindication or "not recommended" (or an interaction to avoid) makes a
medicine *avoid*; a caution, a use the label does not approve or an interaction to manage
makes it *caution*; a kidney threshold only in the other measure than the one given makes it
*cannot-compare*; otherwise no label restriction was found, which is not the same as safe.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, NamedTuple

from osteo_cli.errors import UsageError
from osteo_cli.knowledge.models import Agent
from osteo_cli.knowledge.names import fold
from osteo_cli.queries.relations import members_of

if TYPE_CHECKING:
    from osteo_cli.knowledge.models import Condition, KidneyThreshold, KnowledgeBase, Substance

Verdict = Literal["avoid", "caution", "cannot-compare", "no-label-restriction-found"]
ReasonKind = Literal[
    "contraindication", "question", "kidney", "interaction", "duplicate", "no-interaction-on-file", "kidney-measure"
]
Measure = Literal["crcl", "egfr"]

# Most severe first: the order of rows and of the reasons in a row. What a label says directly
# comes before a limit in the other kidney measure, which osteo cannot compare with the one given.
VERDICTS: tuple[Verdict, ...] = ("avoid", "caution", "cannot-compare", "no-label-restriction-found")

# What each level in the data makes the verdict (levels are the schema's, not a condition's).
LEVEL_VERDICT: dict[str, Verdict] = {
    "contraindicated": "avoid",
    "not-recommended": "avoid",
    "caution": "caution",
    "not-approved": "caution",
    "avoid": "avoid",
    "separate": "caution",
    "monitor": "caution",
    "no-effect": "no-label-restriction-found",
}

# How a label's level reads in a sentence.
LEVEL_WORDS: dict[str, str] = {
    "contraindicated": "it is contraindicated",
    "not-recommended": "it is not recommended",
    "caution": "it calls for caution",
    "not-approved": "it is not approved",
}

# The two kidney measures of the schema: a name and a unit for each.
MEASURES: dict[Measure, tuple[str, str]] = {
    "crcl": ("creatinine clearance", "mL/min"),
    "egfr": ("eGFR", "mL/min/1.73 m2"),
}
OPTIONS: dict[Measure, str] = {"crcl": "--crcl", "egfr": "--egfr"}

# Kidney function values outside this range are typing mistakes, not measurements.
PLAUSIBLE = (Decimal(1), Decimal(200))


class Reason(NamedTuple):
    """One thing a label says that bears on this person, in osteo's words."""

    kind: ReasonKind
    verdict: Verdict
    level: str | None  # the level in the data; None when the data says nothing
    about: str  # the condition or substance id, the measure, or the medicine as typed
    text: str
    action: str | None
    sources: tuple[str, ...]
    jurisdiction: str | None  # None for US labels
    confidence: str
    applies_to: str | None = None


class Result(NamedTuple):
    agent: Agent
    verdict: Verdict
    reasons: list[Reason]


class Taken(NamedTuple):
    """A medicine as typed after --takes, the substances in the vocabulary it names, and the osteoporosis
    medicine it is (by any brand, biosimilar or related-product name), if it is one."""

    typed: str
    matched: list[Substance]
    agent: str | None = None  # the agent id the name resolves to
    product: str | None = None  # the name it resolved through (a brand or related product)


class Facts(NamedTuple):
    """What was said about the person, resolved against the vocabularies."""

    crcl: Decimal | None
    egfr: Decimal | None
    conditions: list[Condition]  # as given, in order, once each
    implied: list[Condition]  # further conditions the given ones include (transitively)
    taken: list[Taken]
    asked: tuple[Asked, ...] = ()  # narrower conditions the given ones may mean: osteo asks which applies
    kidney_below: int | None = None  # kidney function the conditions mean is below this (dialysis)
    any_oral: str | None = None  # the substance id that stands for every other oral medicine
    agents: dict[str, Agent] = {}  # noqa: RUF012  the osteoporosis medicines named under --takes, by id
    families: dict[str, str] = {}  # noqa: RUF012  each family id's name for one member ("bisphosphonate")

    @property
    def condition_ids(self) -> set[str]:
        return {c.id for c in (*self.conditions, *self.implied)}


class Asked(NamedTuple):
    """A narrower condition that a given one may mean, and the condition that would rule it out."""

    condition: Condition
    because: Condition  # the condition given (or implied) that may mean it
    otherwise: Condition | None  # the condition to give when it does not apply


class Screening(NamedTuple):
    facts: Facts
    results: list[Result]  # avoid first, then caution, then the rest
    named: bool  # medicines were named (otherwise every medicine was screened)

    @property
    def ruled_out(self) -> bool:
        """Exit 1: a named medicine is to be avoided, or (none named) every medicine is."""
        avoided = [r.verdict == "avoid" for r in self.results]
        return any(avoided) if self.named else bool(avoided) and all(avoided)


# --- what was typed -------------------------------------------------------------------


def key(text: str) -> str:
    """The form vocabulary names are compared in: case, spacing and punctuation ignored.

    Apostrophes and dots vanish ("st. john's" -> "st johns"); any other character that is
    not a letter or a digit separates words.
    """
    kept = "".join("" if ch in "'’‘`." else ch if ch.isalnum() else " " for ch in fold(text))
    return " ".join(kept.split())


def parse_measure(text: str, measure: Measure) -> Decimal:
    """A kidney-function value as typed, or a UsageError that says why not: a plain number,
    read exactly (labels' thresholds are whole numbers; two decimal places are judged exactly)."""
    from osteo_cli.queries.numbers import bounded

    name, unit = MEASURES[measure]
    low, high = PLAUSIBLE
    return bounded(text, option=OPTIONS[measure], what=name, unit=unit, low=low, high=high, whole=3, places=2)


def _names(entry: Condition | Substance) -> list[str]:
    return [entry.id, entry.name, *entry.synonyms]


def _suggest(typed: str, names: dict[str, str], cutoff: float) -> list[str]:
    from difflib import get_close_matches  # only an unknown name needs it

    close = get_close_matches(key(typed), list(names), n=3, cutoff=cutoff)
    return list(dict.fromkeys(names[k] for k in close))


def condition(kb: KnowledgeBase, typed: str) -> Condition:
    """The condition `typed` names (id, name or synonym), or a UsageError with a suggestion."""
    wanted = key(typed)
    for entry in kb.conditions:
        if any(key(n) == wanted for n in _names(entry)):
            return entry
    names = {key(n): n for entry in kb.conditions for n in reversed(_names(entry))}
    close = _suggest(typed, names, cutoff=0.6)
    hint = (
        "did you mean " + " or ".join(f"'{n}'" for n in close) + "?"
        if close
        else "run 'osteo check --list' to see every condition"
    )
    raise UsageError(f"no condition called '{typed}'; {hint}")


# A medicine osteo does not know is accepted (and reported as having nothing on file), but
# one this close to a known name, and starting with the same letter, is more likely a typing
# mistake than another medicine. (Different medicines often differ in their first letters:
# omeprazole and esomeprazole; a typo rarely does.)
TYPO_CUTOFF = 0.85


def substances(kb: KnowledgeBase, typed: str) -> Taken:
    """Every substance `typed` names: "Tums" can be calcium and an antacid at once."""
    wanted = key(typed)
    if not wanted:
        raise UsageError("--takes needs a medicine's name")
    matched = [s for s in kb.substances if any(key(n) == wanted for n in _names(s))]
    agent_id, product = _medicine(kb, typed)
    if agent_id is not None:
        # Any name of an osteoporosis medicine (brand, biosimilar, nonproprietary name) reaches the substances
        # that include it, not only the synonyms listed there: Bonsity is teriparatide, a PTH analog.
        matched.extend(s for s in kb.substances if agent_id in s.agents and s not in matched)
    if not matched and agent_id is None:
        names = {key(n): n for s in kb.substances for n in reversed(_names(s))}
        same_start = {k: n for k, n in names.items() if k[:1] == wanted[:1]}
        close = _suggest(typed, same_start, cutoff=TYPO_CUTOFF)
        if close:
            suggestion = " or ".join(f"'{n}'" for n in close)
            raise UsageError(f"osteo has no medicine called '{typed}' on file; did you mean {suggestion}?")
    return Taken(typed, matched, agent_id, product)


def _medicine(kb: KnowledgeBase, typed: str) -> tuple[str | None, str | None]:
    """The osteoporosis medicine `typed` names exactly (generic, brand, biosimilar or related product)."""
    from osteo_cli.queries.names import normalize, resolve

    try:
        found = resolve(kb, typed)
    except UsageError:
        return None, None
    if found.claim.kind != "agent" or normalize(found.claim.name) != normalize(typed):
        return None, None
    return found.claim.id, found.claim.name


def _asked(kb: KnowledgeBase, known: Sequence[Condition]) -> list[Asked]:
    """Narrower conditions the known ones may mean, neither given nor ruled out: osteo asks about them."""
    by_id = {c.id: c for c in kb.conditions}
    ids = {c.id for c in known}
    excluded = {x for c in known for x in c.excludes}
    asked: dict[str, Asked] = {}
    for c in known:
        for aid in c.ask_about:
            if aid in ids or aid in excluded or aid in asked or aid not in by_id:
                continue
            otherwise = next((o for o in kb.conditions if aid in o.excludes), None)
            asked[aid] = Asked(by_id[aid], c, otherwise)
    return list(asked.values())


def _implied(kb: KnowledgeBase, given: Sequence[Condition]) -> list[Condition]:
    """The conditions the given ones include, followed transitively (cycles are harmless)."""
    by_id = {c.id: c for c in kb.conditions}
    seen = {c.id for c in given}
    found: list[Condition] = []
    todo = [i for c in given for i in c.implies]
    while todo:
        cid = todo.pop(0)
        if cid in seen or cid not in by_id:
            continue
        seen.add(cid)
        found.append(by_id[cid])
        todo.extend(by_id[cid].implies)
    return found


def facts(
    kb: KnowledgeBase,
    crcl: str | None = None,
    egfr: str | None = None,
    has: Iterable[str] = (),
    takes: Iterable[str] = (),
) -> Facts:
    """Everything typed about the person, checked and resolved (a UsageError if not)."""
    given = list({c.id: c for c in (condition(kb, typed) for typed in has)}.values())
    implied = _implied(kb, given)
    known = [*given, *implied]
    below = [c.kidney_below for c in known if c.kidney_below is not None]
    taken = [substances(kb, typed) for typed in takes]
    return Facts(
        crcl=None if crcl is None else parse_measure(crcl, "crcl"),
        egfr=None if egfr is None else parse_measure(egfr, "egfr"),
        conditions=given,
        implied=implied,
        taken=taken,
        asked=tuple(_asked(kb, known)),
        kidney_below=min(below) if below else None,
        any_oral=next((s.id for s in kb.substances if s.any_oral), None),
        agents={t.agent: kb.agent(t.agent) for t in taken if t.agent},
        families={
            f.id: f.singular[:1].lower() + f.singular[1:] if f.singular[1:2].islower() else f.singular
            for f in kb.families
        },
    )


def agents(kb: KnowledgeBase, names: Sequence[str]) -> list[Agent]:
    """The medicines named (a family stands for its members), once each; every one when none."""
    from osteo_cli.queries.names import group_words, resolve

    if not names:
        return list(kb.agents)
    chosen: dict[str, Agent] = {}
    for typed in group_words(kb, names):  # `zoledronic acid` unquoted is one name
        entry = resolve(kb, typed).entry
        for agent in members_of(kb, entry):
            chosen.setdefault(agent.id, agent)
    return list(chosen.values())


# --- what the labels say --------------------------------------------------------------


def _verdict(level: str, jurisdiction: str, applies_to: str | None = None) -> Verdict:
    """The verdict a label's level gives. The screen follows the US labels: a rule found only
    in an EU label is shown, marked, but makes a medicine a caution at most; so does a rule
    about one form only (alendronate's liquid forms), since another form may still suit."""
    verdict = LEVEL_VERDICT[level]
    if verdict == "avoid" and (jurisdiction == "EU" or applies_to):
        return "caution"
    return verdict


def _jurisdiction(value: str) -> str | None:
    return None if value == "US" else value


def _rules(agent: Agent, ids: set[str]) -> list[Reason]:
    return [
        Reason(
            "contraindication",
            _verdict(rule.level, rule.jurisdiction, rule.applies_to),
            rule.level,
            rule.condition,
            rule.text,
            rule.action,
            tuple(rule.sources),
            _jurisdiction(rule.jurisdiction),
            rule.confidence,
            rule.applies_to,
        )
        for rule in agent.contraindications
        if rule.condition in ids
    ]


def _questions(agent: Agent, facts: Facts) -> list[Reason]:
    """What the labels say about a narrower condition osteo cannot tell applies. Safe by construction:
    the rule's own verdict stands until the person says which applies; it is never silently dropped."""
    reasons = []
    for asked in facts.asked:
        if _settled_by_number(agent, asked, facts):
            continue
        for rule in agent.contraindications:
            if rule.condition != asked.condition.id:
                continue
            if_not = f" If not, give --has '{asked.otherwise.id}' instead." if asked.otherwise else ""
            text = (
                f"osteo cannot tell whether this applies: you gave '{asked.because.name}', which may count as "
                f"'{asked.condition.name}'. For that, {rule.text[:1].lower()}{rule.text[1:]}"
            )
            ask = f"Say which applies: give --has '{asked.condition.id}' if it does.{if_not}"
            reasons.append(
                Reason(
                    "question",
                    _verdict(rule.level, rule.jurisdiction, rule.applies_to),
                    rule.level,
                    rule.condition,
                    text,
                    f"{ask} {rule.action}" if rule.action else ask,
                    tuple(rule.sources),
                    _jurisdiction(rule.jurisdiction),
                    rule.confidence,
                    rule.applies_to,
                )
            )
    return reasons


def _settled_by_number(agent: Agent, asked: Asked, facts: Facts) -> bool:
    """Whether a kidney stage the person may mean (dialysis, from 'chronic kidney disease') is ruled out by
    a measurement: only in the measure of this medicine's own kidney limits, and only at or above the level
    the stage means. A missing number, another measure or a medicine without kidney limits keeps the question."""
    below = asked.condition.kidney_below
    if below is None or agent.kidney is None or not agent.kidney.thresholds:
        return False
    values: dict[Measure, Decimal | None] = {"crcl": facts.crcl, "egfr": facts.egfr}
    given = [values[t.measure] for t in agent.kidney.thresholds]
    return all(value is not None and value >= below for value in given)


def _threshold_words(t: KidneyThreshold) -> str:
    name, unit = MEASURES[t.measure]
    return f"{name} below {t.below} {unit}"


def _limit(t: KidneyThreshold) -> str:
    whose = "the EU label" if t.jurisdiction == "EU" else "the label"
    return f"with {_threshold_words(t)} {whose} says {LEVEL_WORDS[t.level]}"


def _kidney(agent: Agent, facts: Facts, rules: list[Reason]) -> list[Reason]:
    if agent.kidney is None:
        return []
    values: dict[Measure, Decimal | None] = {"crcl": facts.crcl, "egfr": facts.egfr}
    said = [c for c in (*facts.conditions, *facts.implied) if c.kidney]
    # A condition rule that already says avoid for the kidney condition needs no question on top.
    settled = any(r.verdict == "avoid" and r.about in {c.id for c in said} for r in rules)
    asking = [] if settled else said
    # A kidney condition whose stage is not given (chronic kidney disease) may mean one below every limit
    # (dialysis): the label's limit stands until a measurement says otherwise, never the milder reading.
    unsure = [a for a in facts.asked if a.condition.kidney_below is not None]
    unsure_below = min((a.condition.kidney_below or 0) for a in unsure) if unsure else None
    reasons = []
    for t in agent.kidney.thresholds:
        common = (tuple(t.sources), _jurisdiction(t.jurisdiction), t.confidence, t.applies_to)
        value = values[t.measure]
        if facts.kidney_below is not None and facts.kidney_below <= t.below and (value is None or value >= t.below):
            # Dialysis (and the like) means kidney function below every label's threshold: no number needed.
            whose = "The EU label" if t.jurisdiction == "EU" else "The label"
            means = ", ".join(c.name for c in said if c.kidney_below is not None)
            text = (
                f"{t.text} ({whose}'s limit: {_threshold_words(t)}. {means}: kidney function is below "
                f"{facts.kidney_below} mL/min, under this limit, so no measurement is needed to apply it.)"
            )
            verdict = _verdict(t.level, t.jurisdiction, t.applies_to)
            reasons.append(Reason("kidney", verdict, t.level, t.measure, text, t.action, *common))
            continue
        if value is not None:
            if value < t.below:
                name, unit = MEASURES[t.measure]
                text = f"{t.text} (The label's limit: {_threshold_words(t)}; given: {value} {unit}.)"
                reasons.append(
                    Reason(
                        "kidney",
                        _verdict(t.level, t.jurisdiction, t.applies_to),
                        t.level,
                        t.measure,
                        text,
                        t.action,
                        *common,
                    )
                )
            continue
        other: Measure = "egfr" if t.measure == "crcl" else "crcl"
        name, unit = MEASURES[t.measure]
        ask = f"Measure the {name} ({unit}) and compare it with the label's limit."
        if unsure_below is not None and unsure_below <= t.below:
            # Strict whatever else was given: a number in the other measure cannot settle this limit.
            because = ", ".join(dict.fromkeys(a.because.name for a in unsure))
            given = (
                f" The {MEASURES[other][0]} given cannot be compared with a limit in {name}."
                if values[other] is not None
                else ""
            )
            text = (
                f"osteo cannot tell how far kidney function is reduced: you gave '{because}', which may mean "
                f"kidney function below this limit. Until a measurement says otherwise, osteo applies it: "
                f"{_limit(t)}. {t.text}{given}"
            )
            act = f"Give the {name} with {OPTIONS[t.measure]} ({unit}); until then the label's limit stands."
            verdict = _verdict(t.level, t.jurisdiction, t.applies_to)
            reasons.append(Reason("question", verdict, t.level, t.measure, text, act, *common))
            continue
        if values[other] is not None:
            text = (
                f"The label's kidney limit is in {name}, not the {MEASURES[other][0]} given, so osteo cannot "
                f"compare them: {_limit(t)}."
            )
            reasons.append(Reason("kidney-measure", "cannot-compare", t.level, t.measure, text, ask, *common))
        elif asking:
            conditions = ", ".join(c.name for c in asking)
            text = f"Kidney function matters here ({conditions}): {_limit(t)}. {t.text}"
            reasons.append(Reason("kidney-measure", "caution", t.level, t.measure, text, ask, *common))
    return reasons


NOT_ON_FILE = (
    "osteo has no interaction on file between {agent} and {what}. osteo does not hold a complete "
    "list of interactions, so this does not show that they are safe together."
)
NOT_ON_FILE_ACTION = "Ask a pharmacist or check the full prescribing information."


DUPLICATE = (
    "{typed} is {agent} ({how}): the same medicine as the one being checked. Taking both means a double dose "
    "of one molecule."
)
DUPLICATE_ACTION = "Do not take both: tell the prescriber which products you have been given."


def _duplicate(agent: Agent, taken: Taken) -> Reason:
    product = next((p for p in agent.related_products if p.name == taken.product), None)
    brand = next((b for b in agent.brands if b.name == taken.product), None)
    if brand is None and taken.product:
        brand = next(
            (b for b in agent.brands if b.suffix and key(taken.product) == key(f"{agent.name}-{b.suffix}")), None
        )
    if product is not None:
        how = f"{product.name}, for {product.use}"
    elif brand is not None and brand.kind == "biosimilar":
        how = f"{brand.name}, a biosimilar of {brand.reference or agent.brands[0].name}"
        if brand.name != taken.product:
            how = (
                f"the US name of {brand.name}"
                + (f" and {brand.pair}" if brand.pair else "")
                + f", biosimilars of {brand.reference or agent.brands[0].name}"
            )
    else:
        how = taken.product or agent.name
    text = DUPLICATE.format(typed=taken.typed, agent=agent.name, how=how)
    if product is not None:
        text = f"{text} {product.note}"
    return Reason(
        "duplicate", "avoid", "avoid", taken.typed, text, DUPLICATE_ACTION, tuple(agent.sources), None, "high"
    )


def _any_oral(agent: Agent, facts: Facts, what: str) -> list[Reason]:
    """The agent's rule for every other medicine taken by mouth (the 30- or 60-minute wait)."""
    if facts.any_oral is None:
        return []
    return [
        Reason(
            "interaction",
            _verdict(i.level, i.jurisdiction, i.applies_to),
            i.level,
            facts.any_oral,
            f"{what}, if taken by mouth: {i.effect}",
            i.action,
            tuple(i.sources),
            _jurisdiction(i.jurisdiction),
            i.confidence,
            i.applies_to,
        )
        for i in agent.interactions
        if i.substance == facts.any_oral
    ]


def _by_mouth(kb_agent: Agent | None, matched: Sequence[Substance]) -> bool:
    """Whether a medicine taken may be taken by mouth: not when a substance it names is never taken by mouth
    (an injection, an infusion), nor a food or drink, nor an osteoporosis medicine that is only injected."""
    if any(s.oral is False or s.food for s in matched):
        return False
    return kb_agent is None or "oral" in kb_agent.dosing.route


OTHER_MEDICINE = (
    "{typed} is {other}{how}, {kind} "
    "osteo's labels describe each of these medicines on its own and hold no rule for taking the two together, "
    "so osteo cannot screen them as a pair."
)
OTHER_MEDICINE_ACTION = (
    "Do not take both unless the prescriber has planned it: show the prescriber every bone medicine you have been "
    "given, so they can confirm which to take."
)
# When the label does hold a rule for the pair, it is shown beside this, and this says no more.
OTHER_MEDICINE_WITH_RULE = "{typed} is {other}{how}, {kind} What the label says about the two together is shown here."
OTHER_MEDICINE_WITH_RULE_ACTION = "Show the prescriber every bone medicine you have been given."


def _other_medicine(agent: Agent, other: Agent, taken: Taken, kb_family: dict[str, str], has_rule: bool) -> Reason:
    """Another osteoporosis medicine taken with this one: never a mere timing note, never unknown,
    and never "no rule for the pair" where the label has one (`has_rule`: shown beside it)."""
    how = f" ({taken.product})" if taken.product and key(taken.product) != key(other.name) else ""
    if taken.product and key(taken.product) == key(taken.typed):
        how = ""
    family = kb_family[other.family]
    if other.family == agent.family:
        kind = f"another {family}: the same kind of medicine as {agent.name}."
    else:
        kind = f"an osteoporosis medicine too ({family})."
    template, action = (
        (OTHER_MEDICINE_WITH_RULE, OTHER_MEDICINE_WITH_RULE_ACTION)
        if has_rule
        else (OTHER_MEDICINE, OTHER_MEDICINE_ACTION)
    )
    text = template.format(typed=taken.typed, other=other.name, how=how, kind=kind)
    return Reason(
        "duplicate",
        "caution",
        "caution",
        taken.typed,
        text,
        action,
        tuple(dict.fromkeys([*agent.dosing.sources, *other.dosing.sources])),
        None,
        "high",
    )


def _not_on_file(agent: Agent, about: str, what: str) -> Reason:
    text = NOT_ON_FILE.format(agent=agent.name, what=what)
    return Reason(
        "no-interaction-on-file", "no-label-restriction-found", None, about, text, NOT_ON_FILE_ACTION, (), None, "high"
    )


def _interactions(agent: Agent, facts: Facts) -> list[Reason]:
    reasons = []
    typed: set[str] = set()
    done: set[str] = set()  # substance ids already screened
    for taken in facts.taken:
        if taken.typed in typed:
            continue
        typed.add(taken.typed)
        if taken.agent == agent.id:
            reasons.append(_duplicate(agent, taken))
            continue
        other = facts.agents.get(taken.agent) if taken.agent else None
        own: list[Reason] = []
        fresh = [s for s in taken.matched if s.id not in done]
        done.update(s.id for s in fresh)
        for substance in fresh:
            own.extend(
                Reason(
                    "interaction",
                    _verdict(i.level, i.jurisdiction, i.applies_to),
                    i.level,
                    substance.id,
                    f"{substance.name}: {i.effect}",
                    i.action,
                    tuple(i.sources),
                    _jurisdiction(i.jurisdiction),
                    i.confidence,
                    i.applies_to,
                )
                for i in agent.interactions
                if i.substance == substance.id and i.substance != facts.any_oral
            )
        if other is not None:
            reasons.append(_other_medicine(agent, other, taken, facts.families, has_rule=bool(own)))
        reasons.extend(own)
        # The label's wait after the tablet covers every other medicine by mouth, whatever else it has on file.
        what = taken.matched[0].name if len(taken.matched) == 1 and other is None else taken.typed
        oral = _any_oral(agent, facts, what) if _by_mouth(other, taken.matched) else []
        reasons.extend(oral)
        if other is None and not own and not oral:
            if not taken.matched:
                reasons.append(_not_on_file(agent, taken.typed, taken.typed))
            reasons.extend(_not_on_file(agent, s.id, s.name) for s in fresh)
    return reasons


def screen_agent(agent: Agent, facts: Facts) -> Result:
    rules = _rules(agent, facts.condition_ids)
    reasons = [*rules, *_questions(agent, facts), *_kidney(agent, facts, rules), *_interactions(agent, facts)]
    reasons = _every_form_ruled_out(reasons)
    reasons.sort(key=lambda r: VERDICTS.index(r.verdict))  # stable: data order within a verdict
    verdict: Verdict = reasons[0].verdict if reasons else "no-label-restriction-found"
    return Result(agent, verdict, reasons)


def _every_form_ruled_out(reasons: list[Reason]) -> list[Reason]:
    """A US rule against one form is a caution (another form may suit), but rules against two
    or more forms for the same fact (ibandronate's tablets and injection below a CrCl of 30)
    rule the medicine out: those are avoid again."""
    by_fact: dict[tuple[str, str], set[str]] = {}
    for r in reasons:
        if (
            r.applies_to
            and r.kind != "kidney-measure"
            and r.jurisdiction is None
            and r.level
            and LEVEL_VERDICT[r.level] == "avoid"
        ):
            by_fact.setdefault((r.kind, r.about), set()).add(r.applies_to)
    covered = {fact for fact, forms in by_fact.items() if len(forms) > 1}
    return [r._replace(verdict="avoid") if (r.kind, r.about) in covered and r.applies_to else r for r in reasons]


def screen(kb: KnowledgeBase, names: Sequence[str], facts: Facts) -> Screening:
    """Each medicine named (every one when none) against the facts, avoid first."""
    results = [screen_agent(agent, facts) for agent in agents(kb, names)]
    results.sort(key=lambda r: VERDICTS.index(r.verdict))
    return Screening(facts, results, named=bool(names))
