"""The knowledge base schema: frozen dataclasses, no I/O, no pydantic at import.

These classes are what queries and renderers work with. pydantic validates raw YAML
into them (see `validate.py`), but only when a file has not been validated before:
defining pydantic models costs more at start-up than the whole rest of a command, so
the constraints below are plain markers that pydantic reads when it builds its
validator, and importing this module stays cheap.

Every scalar field is strict: YAML 1.1 turns `NO` into False and `1.10` into 1.1, and
a strict string field refuses those instead of storing a silent surprise. Unknown
keys are refused too (`extra: forbid`), so a misspelt field name is an error.
"""

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import MISSING, FrozenInstanceError, dataclass, field
from typing import Annotated, Any, Literal, NamedTuple, TypeVar, dataclass_transform

from osteo_cli.knowledge.records import Records
from osteo_cli.knowledge.vocabulary import AdviceGroup, Category


class Check:
    """Constraints pydantic applies to one field (and shows in the JSON Schema)."""

    def __init__(self, description: str | None = None, **constraints: Any) -> None:
        self.description = description
        self.constraints = constraints

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = handler(source)
        schema.update(self.constraints, strict=True)
        return schema

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> Any:
        json_schema = handler(core_schema)
        if self.description:
            json_schema["description"] = self.description
        return json_schema


# Ids are what cross-references use: lower-case words joined by hyphens.
Id = Annotated[str, Check(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
# Text for people is bounded, so a hostile file cannot make one cell megabytes long.
Text = Annotated[str, Check(min_length=1, max_length=2000)]
# A name is one line of visible text: no control characters (a terminal escape in a brand
# name would reach shells through completion).
NAME_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]+$"
Name = Annotated[str, Check(pattern=NAME_PATTERN, max_length=120)]
Url = Annotated[str, Check(pattern=r"^https://\S+$", max_length=300)]
Flag = Annotated[bool, Check()]
Date = Annotated[dt.date, Check(description="An ISO date, unquoted: 2026-11-24.")]
SourceRefs = Annotated[list[Id], Check(min_length=1, description="Ids from `sources`.")]

SourceKind = Literal["article", "fda-label", "eu-label", "regulator-notice", "guideline", "position-statement", "study"]
Confidence = Literal["high", "medium"]
# Whose label a fact comes from, where the US and EU labels differ.
Jurisdiction = Literal["US", "EU", "US and EU"]
# A month or a day: label revisions are often known only to the month ("2026-02").
Revision = Annotated[
    str, Check(pattern=r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$", description="YYYY-MM or YYYY-MM-DD.")
]
SetId = Annotated[
    str,
    Check(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description="A DailyMed set id."),
]
Doi = Annotated[
    str, Check(pattern=r"^10\.\d{4,9}/\S+$", max_length=200, description="A DOI, without https://doi.org/.")
]
Since = Annotated[
    str,
    Check(pattern=r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$", description="YYYY, YYYY-MM or YYYY-MM-DD."),
]
Percent = Annotated[float, Check(ge=0, le=100)]

_T = TypeVar("_T")


@dataclass_transform(frozen_default=True)
def record(cls: type[_T]) -> type[_T]:
    """Make `cls` a knowledge-base record: a frozen, slotted dataclass that pydantic
    validates with unknown keys refused. One decorator, so no class can get half of it.

    (eq and match_args are off: nothing compares or matches knowledge-base objects, and each
    generated method costs start-up time; the results of queries are cheaper NamedTuples.)
    """
    cls.__pydantic_config__ = {"extra": "forbid"}  # type: ignore[attr-defined]
    # No generated methods: `dataclass` compiles source for each one (four per class,
    # most of this module's import time), so every record shares one __init__, __repr__
    # and frozen __setattr__ below, driven by the fields dataclass found.
    made = dataclass(init=False, repr=False, eq=False, match_args=False, slots=True)(cls)
    made.__record_fields__ = tuple(  # type: ignore[attr-defined]
        (f.name, f.default, f.default_factory)
        for f in made.__dataclass_fields__.values()  # type: ignore[attr-defined]
    )
    made.__init__ = _init  # type: ignore[method-assign]
    made.__repr__ = _repr  # type: ignore[method-assign]
    made.__setattr__ = _frozen  # type: ignore[method-assign]
    made.__delattr__ = _frozen  # type: ignore[method-assign]
    return made


_MISSING: Any = MISSING


def _list() -> list[Any]:
    """An empty list, the default of a list field. A function of osteo's rather than `list`:
    pydantic reads a default factory's signature, and a builtin's is parsed from its text
    (about 20 ms for the fifty-six fields)."""
    return []


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    fields = type(self).__record_fields__
    if len(args) > len(fields):
        raise TypeError(f"{type(self).__name__}() takes {len(fields)} positional arguments but {len(args)} were given")
    for position, (name, default, factory) in enumerate(fields):
        if position < len(args):
            if name in kwargs:
                raise TypeError(f"{type(self).__name__}() got multiple values for argument {name!r}")
            value = args[position]
        elif name in kwargs:
            value = kwargs.pop(name)
        elif default is not _MISSING:
            value = default
        elif factory is not _MISSING:
            value = factory()
        else:
            raise TypeError(f"{type(self).__name__}() missing required argument: {name!r}")
        object.__setattr__(self, name, value)
    if kwargs:
        raise TypeError(f"{type(self).__name__}() got an unexpected keyword argument {next(iter(kwargs))!r}")


def _repr(self: Any) -> str:
    fields = ", ".join(f"{name}={getattr(self, name)!r}" for name, _, _ in type(self).__record_fields__)
    return f"{type(self).__name__}({fields})"


def _frozen(self: Any, name: str, value: Any = None) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


@record
class Source:
    """A document that facts are taken from."""

    id: Id
    """The id that other entries use to cite this source ("label-fosamax")."""
    kind: SourceKind
    """What sort of document it is: an article, a US or EU label, a regulator's notice, a guideline, etc."""
    title: Text
    """The document's title as shown in source lists."""
    url: Url | None = None  # the page itself: a label's DailyMed page, a notice's own address
    revised: Revision | None = None  # the label revision (or publication) the facts reflect
    set_id: SetId | None = None  # DailyMed set id, for US labels
    doi: Doi | None = None
    """The DOI of a published paper, without https://doi.org/."""
    note: Text | None = None
    """Anything a reader should know about the source: which revision was read, why a link only searches."""


PracticeTopic = Literal[
    "onset",
    "offset",
    "side-effect",
    "fracture-signs",
    "dental",
    "upper-gi",
    "tests",
    "course",
    "liver",
    "stopping",
    "after-fracture",
    "men",
    "steroids",
]
Evidence = Literal["label", "trial", "observational", "expert", "patient-info", "regulator"]


@record
class Practice:
    """One practical fact: when it works, how long it lasts, what to do about a side effect, and the like."""

    topic: PracticeTopic
    """What the fact is about: onset, offset, side-effect, fracture-signs, dental, upper-gi, tests, course, liver,
    stopping, after-fracture, men or steroids."""
    text: Text
    """The fact, in osteo's words, for a patient."""
    sources: SourceRefs
    evidence: Evidence
    """What kind of source says it: a label, a trial, an observational study (an association, not proof of cause),
    an expert statement or guideline, a patient-information page, a regulator."""
    about: Name | None = None
    """The side effect or situation it is about ("Flu-like reaction"), shown as the row's heading."""
    action: Text | None = None
    """What to do, in osteo's words."""
    jurisdiction: Literal["US", "EU", "UK", "US and EU"] | None = None
    """Whose label or practice it comes from, where they differ; leave out when it is not label-specific."""
    confidence: Confidence = "high"
    """`medium` if seen only in a secondary source or not yet checked against the primary one; else `high`."""


@record
class Family:
    """A drug family with the four features the source article compares."""

    id: Id
    """The family's id, used by agents' `family` and stopping's `followed_by` ("bisphosphonates")."""
    name: Name
    """The family's name in the plural, as a heading ("Bisphosphonates")."""
    singular: Name
    """The family's name for one member ("Bisphosphonate")."""
    category: Category
    """Whether the family slows bone breakdown (antiresorptive), builds bone (anabolic), or both."""
    mechanism: Text
    """How the drugs work, in plain words."""
    administration: Text
    """How and how often the drugs are given."""
    typical_use: Text
    """Who the family is usually for, in plain words."""
    after_treatment: Text
    """What happens when treatment stops: whether a drug holiday is possible or a follow-on is needed."""
    sources: SourceRefs
    last_reviewed: Date
    aliases: list[Name] = field(default_factory=_list)
    """Other names people type for the family; searches and lookups match them."""
    confidence: Confidence = "high"  # of `after_treatment`, the one feature a source may hedge
    practical: list[Practice] = field(default_factory=_list)
    """Practical facts shared by every member (written once here, shown with each member's own)."""


@record
class Brand:
    """A product name for an agent; `biosimilar` for a biosimilar of the reference product."""

    name: Name
    """The product name as sold ("Fosamax")."""
    kind: Literal["brand", "biosimilar"] = "brand"
    """`brand` for a product of the reference maker, `biosimilar` for a biosimilar of it."""
    note: Text | None = None
    """What sets this product apart: a combination, a form, where it is sold."""
    confidence: Confidence = "high"
    """`medium` if seen only in a secondary source or not yet checked against the primary one; else `high`."""
    reference: Name | None = None
    """For a biosimilar or follow-on product: the product it copies ("Prolia")."""
    suffix: Name | None = None
    """The US four-letter suffix of a biosimilar's generic name ("bmwo" in denosumab-bmwo)."""
    maker: Name | None = None
    """The company that holds the approval."""
    approved: Since | None = None
    """When it was approved, in `jurisdiction`."""
    interchangeable: Literal["yes", "provisional", "not-confirmed", "no"] | None = None
    """For a US biosimilar: whether the FDA has designated it interchangeable (a pharmacist may substitute it)."""
    interchangeable_since: Since | None = None
    """When the interchangeable designation was granted, if later than the approval."""
    pair: Name | None = None
    """The same maker's product of the same molecule for cancer use (a `related_products` name)."""
    jurisdiction: Jurisdiction | None = None
    """Where the product is approved, when that matters (biosimilars and follow-ons)."""
    sources: list[Id] = field(default_factory=_list)
    """Where the product's approval facts come from; the agent's own sources otherwise."""


@record
class RelatedProduct:
    """The same molecule sold under another name for another use (Xgeva, Zometa)."""

    name: Name
    """The other product's name ("Zometa")."""
    use: Text
    """What the other product is used for, and its strength ("cancer treatment (4 mg)")."""
    note: Text
    """Why it matters: usually, that someone on it must not also be given this medicine."""
    pair_of: Name | None = None
    """For a biosimilar's cancer-use product: the osteoporosis brand it was approved with (a `brands` name)."""


@record
class Interval:
    """The time between two doses, where a drug has one fixed schedule."""

    every: Annotated[int, Check(gt=0, le=365)]
    """How many units lie between two doses, from 1 to 365."""
    unit: Literal["day", "week", "month", "year"]
    """The unit of `every`: day, week, month or year."""


@record
class Dosing:
    """Route, the usual osteoporosis dose and schedule, and how it is taken."""

    route: Name
    """How the medicine enters the body: "oral", "intravenous", "subcutaneous", "oral or transdermal"."""
    dose: Text
    """The usual osteoporosis doses and schedules, in a sentence or two."""
    schedule: Name  # a few words, for tables
    sources: SourceRefs
    how: list[Text] = field(default_factory=_list)
    """Instructions for taking it, one step per item."""
    interval: Interval | None = None
    """Set only for a single fixed schedule: it converts a plan's doses to months and back."""


@record
class Limit:
    """A limit on use, counted across every drug of the same `group`."""

    amount: Annotated[int, Check(gt=0, le=1000)]
    """The most that may be used, in `unit`s, counted across the whole `group`."""
    unit: Literal["months", "doses"]
    """What `amount` counts: months of treatment or doses."""
    group: Id
    """Medicines that share this limit ("pth-analogs"); their use is added up."""
    severity: Literal["problem", "caution"] = "problem"
    """What going past it is: a `problem` the label rules out, or a `caution` the label allows when fracture risk
    stays high. A group's use is judged by its strictest drug used."""


@record
class UsualCourse:
    """The usual length of a course, where one is studied (the anabolics): no label sets a minimum."""

    months: Annotated[int, Check(gt=0, le=120)]
    """The usual course length in months; a planned course under half of it gets a caution."""
    text: Text
    """The usual course, and where the number comes from, in osteo's words."""
    sources: SourceRefs


@record
class Duration:
    """How long the drug can be used."""

    summary: Text
    """How long the medicine can be used, in words."""
    sources: SourceRefs
    limit: Limit | None = None
    """A limit on use that `osteo sequence` checks; leave out when the label sets none."""
    usual: UsualCourse | None = None
    """The course length the trials and labels used; `osteo sequence` cautions about a course under half of it."""


@record
class Restart:
    """Why a late restart of the same medicine matters, where that differs from a late follow-on."""

    text: Text
    """Why the timing of the next dose matters, in osteo's words."""
    sources: SourceRefs


@record
class FollowWithin:
    """The latest point, counted from the last dose, at which the follow-on medicine should start."""

    months: Annotated[int, Check(gt=0, le=60)]
    """Months from the last dose; a follow-on that starts later (or a gap that makes it later) is a problem."""
    text: Text
    """Why the timing of a follow-on medicine matters, in osteo's words."""
    sources: SourceRefs
    restart: Restart | None = None
    """What to say instead when the same medicine is started again late (a delayed dose, not a follow-on)."""


@record
class LongUse:
    """What changes once a medicine has been used for a long time."""

    months: Annotated[int, Check(gt=0, le=600)]
    """From this many months of use the text applies."""
    text: Text
    """What changes, and what to do, in osteo's words."""
    sources: SourceRefs
    confidence: Confidence = "high"
    """`medium` if seen only in a secondary source or not yet checked against the primary one; else `high`."""


@record
class Stopping:
    """What has to happen when the drug is stopped."""

    holiday: Flag  # whether a planned drug holiday can be considered
    summary: Text
    """What happens when the medicine is stopped, in words."""
    must_be_followed: Flag  # by a medicine that slows bone breakdown (an antiresorptive)
    sources: SourceRefs
    followed_by: list[Id] = field(default_factory=_list)  # family ids
    followed_by_only: Flag = False
    """True where only `followed_by` prevents the loss (after denosumab: a bisphosphonate, not raloxifene or
    estrogen); otherwise any medicine that slows bone breakdown will do."""
    follow_within: FollowWithin | None = None
    """How soon after the last dose the follow-on has to start; `osteo sequence` flags a later one."""
    long_use: LongUse | None = None
    """What changes after long use (denosumab: the follow-on protects less); `osteo sequence` shows it."""
    confidence: Confidence = "high"
    """`medium` if seen only in a secondary source or not yet checked against the primary one; else `high`."""


@record
class LabelChange:
    """A dated change to a label or a regulator's position (a warning added, renamed or removed)."""

    date: Revision
    text: Text
    """What changed, in osteo's words."""
    sources: SourceRefs
    jurisdiction: Jurisdiction = "US"
    """Whose label this comes from: US (the default), EU, or both (US and EU) where they agree."""
    confidence: Confidence = "high"
    """`medium` if seen only in a secondary source or not yet checked against the primary one; else `high`."""


@record
class Safety:
    """The boxed warning, if any, and the main label warnings."""

    sources: SourceRefs
    boxed_warning: Text | None = None
    """The label's boxed warning in osteo's words; leave out when there is none."""
    boxed_warning_as_of: Revision | None = None
    """When the boxed warning was last checked against the label (it may change)."""
    warnings: list[Text] = field(default_factory=_list)
    """The label's main warnings, one per item."""
    changes: list[LabelChange] = field(default_factory=_list)
    """Dated changes to the label's warnings, for `osteo drugs show NAME --section safety`."""


# How strongly a label speaks about a condition. "contraindicated" and "not-recommended"
# make `osteo check` say avoid; "caution" and "not-approved" make it say caution.
RuleLevel = Literal["contraindicated", "not-recommended", "caution", "not-approved"]


@record
class Condition:
    """One entry of the shared vocabulary of conditions that labels speak about."""

    id: Id
    """The condition's id, used by `contraindications` ("hypocalcemia")."""
    name: Name
    """The condition in plain words, with the medical term in brackets."""
    synonyms: list[Name] = field(default_factory=_list)  # what people type: "vte", "dvt"
    note: Text | None = None
    """Anything that helps someone decide whether the condition applies to them."""
    implies: list[Id] = field(default_factory=_list)
    """Conditions this one includes: a heart attack in the past year is also a heart attack ever."""
    kidney: Flag = False
    """About kidney function: `osteo check` then asks for the number each label's threshold needs."""
    kidney_below: Annotated[int, Check(gt=0, le=200)] | None = None
    """Kidney function that this condition always means is below this number, in either measure (mL/min or
    mL/min/1.73 m2): dialysis is below every label's threshold, so `osteo check` applies them without asking."""
    ask_about: list[Id] = field(default_factory=_list)
    """Narrower conditions this one may mean (a heart attack may have been in the past year): `osteo check`
    shows what the labels say about each and asks which applies, unless one of them was given or excluded."""
    excludes: list[Id] = field(default_factory=_list)
    """Conditions this one rules out (a heart attack over a year ago is not one in the past year)."""
    sources: list[Id] = field(default_factory=_list)
    """Where an implication or a kidney value comes from, when it is a medical fact."""


@record
class Substance:
    """A medicine, food or supplement that interactions are keyed by."""

    id: Id
    """The substance's id, used by `interactions` ("calcium")."""
    name: Name
    """The substance in plain words ("Calcium supplements")."""
    synonyms: list[Name] = field(default_factory=_list)  # brands, generics, members of a class
    note: Text | None = None
    """Anything that helps someone decide whether they take it."""
    oral: Flag | None = None
    """Whether it is taken by mouth: false for injections and infusions (the oral-medicine rule then does not
    apply); leave out when it can be either."""
    any_oral: Flag = False
    """Stands for every other medicine taken by mouth: an interaction on it applies to every other oral medicine,
    in addition to any interaction of its own with that agent (levothyroxine, omeprazole, a medicine osteo does
    not know)."""
    food: Flag = False
    """A food or drink, not a medicine: the rule for every other medicine by mouth does not apply to it."""
    agents: list[Id] = field(default_factory=_list)
    """The osteoporosis medicines in the knowledge base this substance includes: any of their names (generic,
    brand, biosimilar, nonproprietary name) reaches it, not only the synonyms listed here."""


@record
class ConditionRule:
    """What a label says about one condition: a contraindication, a 'not recommended', a caution."""

    condition: Id  # from `conditions`
    level: RuleLevel
    """How strongly the label speaks: contraindicated, not-recommended, caution or not-approved."""
    text: Text  # osteo's words for what the label says
    sources: SourceRefs
    action: Text | None = None  # what the label says to do
    applies_to: Name | None = None  # one form only: "tablets", "injection"
    jurisdiction: Jurisdiction = "US"
    """Whose label this comes from: US (the default), EU, or both (US and EU) where they agree."""
    confidence: Confidence = "high"
    """`medium` if seen only in a secondary source or not yet checked against the primary one; else `high`."""


InteractionLevel = Literal["avoid", "separate", "monitor", "caution", "no-effect"]


@record
class Interaction:
    """Another medicine, food or supplement taken alongside: what happens, what to do."""

    substance: Id  # from `substances`
    level: InteractionLevel
    """What to do: avoid, separate (take apart), monitor, caution, or no-effect (the label found none)."""
    effect: Text
    """What happens when both are taken, in osteo's words."""
    action: Text
    """What to do about it, in osteo's words."""
    sources: SourceRefs
    applies_to: Name | None = None
    """The one product form this applies to ("tablets", "injection"); leave out when it applies to all."""
    jurisdiction: Jurisdiction = "US"
    """Whose label this comes from: US (the default), EU, or both (US and EU) where they agree."""
    confidence: Confidence = "high"
    """`medium` if seen only in a secondary source or not yet checked against the primary one; else `high`."""


@record
class KidneyThreshold:
    """A kidney-function cut-off in the measure its label uses, and what the label says below it."""

    measure: Literal["crcl", "egfr"]  # creatinine clearance mL/min, or eGFR mL/min/1.73 m2
    below: Annotated[int, Check(gt=0, le=200)]
    """Kidney function below which the label's statement applies: mL/min for crcl, mL/min/1.73 m2 for egfr."""
    level: RuleLevel
    """How strongly the label speaks below the threshold: contraindicated, not-recommended, caution or not-approved."""
    text: Text
    """What the label says below the threshold, in osteo's words."""
    sources: SourceRefs
    action: Text | None = None
    """What the label says to do, such as tests before treatment."""
    applies_to: Name | None = None
    """The one product form this applies to ("tablets", "injection"); leave out when it applies to all."""
    jurisdiction: Jurisdiction = "US"
    """Whose label this comes from: US (the default), EU, or both (US and EU) where they agree."""
    confidence: Confidence = "high"
    """`medium` if seen only in a secondary source or not yet checked against the primary one; else `high`."""


@record
class Kidney:
    """Kidney function: the thresholds, and what the label says above them."""

    summary: Text
    """What the label says about kidney function in general, above the thresholds."""
    sources: SourceRefs
    thresholds: list[KidneyThreshold] = field(default_factory=_list)
    """The label's cut-offs, each with what it says below it."""


# How a late dose is handled, as a program applies it:
# next-morning: take it the morning after remembering, never two on one day, then back to the usual day;
# skip: do not take it later; take the next one as usual;
# window: take it the morning after remembering unless the next dose is `window_days` or fewer away;
# reset: give it as soon as possible, then count the interval from that date;
# same-day: take it later that day if still the same day, otherwise skip; never two in one day;
# unless-near-next: take it when remembered unless the next dose is nearly due; never two at once;
# none: the label gives no rule.
MissedRule = Literal["next-morning", "skip", "window", "reset", "same-day", "unless-near-next", "none"]


@record
class LateAdvice:
    """What to do when a dose is at least `after_days` late."""

    after_days: Annotated[int, Check(ge=0, le=3650)]
    """Days late from which this applies."""
    text: Text
    """What happens and what to do, in osteo's words."""
    sources: SourceRefs
    confidence: Confidence = "high"
    """`medium` if seen only in a secondary source or not yet checked against the primary one; else `high`."""


@record
class MissedDose:
    """One regimen of a medicine and what to do when a dose of it was missed."""

    regimen: Id  # "weekly", "monthly", "injection"
    name: Name  # "35 or 70 mg once a week"
    interval: Interval
    """The time between two doses of this regimen."""
    rule: MissedRule
    """How a late dose is handled; each rule is explained above `MissedRule` in osteo_cli/knowledge/models.py."""
    text: Text  # osteo's words for the label's rule
    sources: SourceRefs
    window_days: Annotated[int, Check(gt=0, le=60)] | None = None  # for `window`
    doses_per_interval: Annotated[int, Check(gt=0, le=4)] = 1  # 2 for 75 mg on 2 days in a row
    purpose: Text | None = None
    """Who this regimen is for, when a medicine has regimens for different uses (treatment, prevention)."""
    late: list[LateAdvice] = field(default_factory=_list)
    """What to do, beyond the label's rule, once a dose is this many days late; the latest that applies shows."""
    confidence: Confidence = "high"
    """`medium` if seen only in a secondary source or not yet checked against the primary one; else `high`."""


@record
class Frequency:
    """How often one side effect happened in the label's trials: the drug against the comparator."""

    effect: Name
    """The side effect in plain words ("Nausea")."""
    drug: Percent
    """Percent of people on the medicine who had it, 0 to 100."""
    comparator: Percent
    """Percent of people on the comparator (usually placebo) who had it, 0 to 100."""
    confidence: Confidence = "high"
    """`medium` if seen only in a secondary source or not yet checked against the primary one; else `high`."""


@record
class SideEffects:
    """Common side effects (with trial frequencies where known) and the serious ones."""

    sources: SourceRefs
    summary: Text | None = None  # the most common ones in words
    trial: Text | None = None  # which trial the frequencies come from, and the comparator
    frequencies: list[Frequency] = field(default_factory=_list)
    """Trial frequencies of the common side effects, drug against comparator."""
    serious: list[Text] = field(default_factory=_list)
    """The serious side effects, one per item."""
    confidence: Confidence = "high"
    """`medium` if seen only in a secondary source or not yet checked against the primary one; else `high`."""


@record
class MonitoringItem:
    """One check before or during treatment."""

    when: Literal["before", "each-dose", "during"]
    """When the check is done: before treatment, before each dose, or during treatment."""
    text: Text
    """The check, in osteo's words."""
    sources: SourceRefs
    confidence: Confidence = "high"
    """`medium` if seen only in a secondary source or not yet checked against the primary one; else `high`."""
    jurisdiction: Jurisdiction = "US"
    """Whose label this comes from: US (the default), EU, or both (US and EU) where they agree."""


@record
class Pregnancy:
    """Pregnancy and breastfeeding."""

    pregnancy: Text
    """What the label says about use in pregnancy, in osteo's words."""
    breastfeeding: Text
    """What the label says about breastfeeding, in osteo's words."""
    sources: SourceRefs
    avoid: Flag = False
    """The monograph says not to use it in pregnancy: the agent then needs a `contraindications` rule on
    `pregnancy`, so `osteo check --has pregnancy` reaches it (`kb validate` checks this)."""
    confidence: Confidence = "high"
    """`medium` if seen only in a secondary source or not yet checked against the primary one; else `high`."""


Population = Literal[
    "postmenopausal-treatment",
    "postmenopausal-prevention",
    "men",
    "glucocorticoid-treatment",
    "glucocorticoid-prevention",
    "cancer-bone-loss",
    "breast-cancer-risk-reduction",
    "paget",
]


@record
class Approval:
    """Whether a medicine is approved for one group of people, and since when."""

    population: Population
    """The group of people the approval is for, such as postmenopausal-treatment or men."""
    approved: Flag
    """Whether the medicine is approved for this group: true or false."""
    sources: SourceRefs
    since: Since | None = None  # "2012", or "2022-12" when the month is known
    note: Text | None = None
    """Who exactly the approval covers, in words."""
    applies_to: Name | None = None
    """The one product form this applies to ("tablets", "injection"); leave out when it applies to all."""
    jurisdiction: Jurisdiction = "US"
    """Whose label this comes from: US (the default), EU, or both (US and EU) where they agree."""
    confidence: Confidence = "high"
    """`medium` if seen only in a secondary source or not yet checked against the primary one; else `high`."""


@record
class Agent:
    """One medicine (a generic name) with its products, dosing and rules."""

    id: Id
    """The medicine's id, used by trials, guidelines and commands ("alendronate")."""
    name: Name
    """The generic name ("Alendronate")."""
    family: Id
    """The id of the family it belongs to, from `families`."""
    dosing: Dosing
    """Route, dose, schedule and how it is taken."""
    duration: Duration
    """How long it can be used."""
    stopping: Stopping
    """What has to happen when it is stopped."""
    safety: Safety
    """The boxed warning and the main label warnings."""
    sources: SourceRefs  # for the names, brands, related products and notes
    last_reviewed: Date
    aliases: list[Name] = field(default_factory=_list)
    """Other names people type for it; searches and lookups match them."""
    brands: list[Brand] = field(default_factory=_list)
    """Products sold under this generic name, biosimilars included."""
    related_products: list[RelatedProduct] = field(default_factory=_list)
    """The same molecule sold under another name for another use."""
    notes: list[Text] = field(default_factory=_list)
    """Other facts worth knowing, one per item."""
    # The monograph sections (see `osteo drugs show NAME --section`).
    contraindications: list[ConditionRule] = field(default_factory=_list)
    """What the label says about conditions: contraindications, cautions and the like."""
    side_effects: SideEffects | None = None
    """Common and serious side effects."""
    interactions: list[Interaction] = field(default_factory=_list)
    """Other medicines, foods and supplements taken alongside."""
    kidney: Kidney | None = None
    """Kidney-function thresholds and what the label says about them."""
    missed_doses: list[MissedDose] = field(default_factory=_list)
    """What to do about a missed dose, one entry per regimen."""
    monitoring: list[MonitoringItem] = field(default_factory=_list)
    """Checks before or during treatment."""
    pregnancy: Pregnancy | None = None
    """Pregnancy and breastfeeding."""
    approvals: list[Approval] = field(default_factory=_list)
    """Which groups of people it is approved for, and since when."""
    practical: list[Practice] = field(default_factory=_list)
    """Practical facts for this medicine; its family's `practical` facts are shown too (written once there)."""


@record
class FaqEntry:
    """A common question with osteo's answer."""

    id: Id
    """The question's id ("reversible")."""
    question: Text
    """The question as a person would ask it."""
    answer: Text
    """osteo's answer, in plain words."""
    sources: SourceRefs
    last_reviewed: Date
    more: Annotated[str, Check(pattern=r"^osteo [a-z]", max_length=120)] | None = None
    """The osteo command that shows more ("osteo drugs show denosumab --section practical")."""


Score = Annotated[float, Check(ge=-10, le=10)]


@record
class DensityCategory:
    """One WHO bone-density category."""

    name: Name
    """The category's name ("Low bone mass (osteopenia)")."""
    meaning: Text
    """The T-score range it covers, in words."""


FractureSite = Literal["hip", "spine", "humerus", "pelvis", "wrist", "other"]


@record
class ClinicalDiagnosis:
    """Osteoporosis diagnosed from a fragility fracture, whatever (or with low) bone density."""

    any_tscore: list[FractureSite]  # a fracture here means osteoporosis at any T-score
    with_low_bone_mass: list[FractureSite]  # here, together with low bone mass
    text: Text
    """The rule in plain words."""
    sources: SourceRefs
    possible: list[FractureSite] = field(default_factory=_list)
    """Sites where the rule applies only in some cases: the fracture makes osteoporosis possible (NBHA)."""


@record
class BoneDensity:
    """The WHO T-score categories: boundaries, what each means, and caveats."""

    normal_at_or_above: Score  # -1.0: exactly -1.0 is normal
    osteoporosis_at_or_below: Score  # -2.5: exactly -2.5 is osteoporosis
    normal: DensityCategory
    """Normal: a T-score at or above `normal_at_or_above`."""
    low_bone_mass: DensityCategory
    """Low bone mass (osteopenia): between the two boundaries."""
    osteoporosis: DensityCategory
    """Osteoporosis: a T-score at or below `osteoporosis_at_or_below`."""
    severe_osteoporosis: DensityCategory  # osteoporosis with a fragility fracture
    caveats: Annotated[list[Text], Check(min_length=1)]
    """What a T-score does and does not say, one per item; at least one."""
    sources: SourceRefs
    clinical_diagnosis: ClinicalDiagnosis | None = None
    """Osteoporosis diagnosed from a fragility fracture rather than a T-score."""


@record
class Advice:
    """One piece of lifestyle advice."""

    id: Id
    """The advice's id ("weight-bearing")."""
    group: AdviceGroup
    """Which kind of advice it is: exercise, nutrition or habits."""
    title: Name
    """A short heading ("Weight-bearing exercise")."""
    text: Text
    """The advice in plain words."""
    sources: SourceRefs
    examples: list[Name] = field(default_factory=_list)
    """A few examples ("walking", "dancing")."""


@record
class Topic:
    """Background for `osteo learn`: bone remodeling, scans, key points."""

    id: Id
    """The topic's id, as typed after `osteo learn` ("remodeling")."""
    title: Name
    """A short heading."""
    summary: Text
    """The topic in a few sentences."""
    sources: SourceRefs
    points: list[Text] = field(default_factory=_list)
    """Key points, one per item."""


AskSection = Literal[
    "dosing",
    "missed-dose",
    "contraindications",
    "interactions",
    "kidney",
    "side-effects",
    "monitoring",
    "pregnancy",
    "duration",
    "stopping",
    "evidence",
    "compare",
]
ASK_PREFIXES = ("practical", "approvals", "faq", "learn")


@record
class AskTopic:
    """What a question to `osteo ask` may be about, the words that say so, and the facts that answer it."""

    id: Id
    """The topic's id ("missed-dose")."""
    title: Name
    """A short heading for the answer ("Missed dose")."""
    phrases: Annotated[list[Name], Check(min_length=1)]
    """Words or phrases in a question that mean this topic, as people type them ("forgot", "take to work")."""
    answers: list[Annotated[str, Check(max_length=80)]] = field(default_factory=_list)
    """For a named medicine, in order: a monograph section (dosing, missed-dose, contraindications, interactions,
    kidney, side-effects, monitoring, pregnancy, duration, stopping, evidence, compare), `practical.TOPIC`,
    `approvals.POPULATION`, `faq.ID` (shown when it names the medicine or its family) or `learn.ID`."""
    general: list[Annotated[str, Check(max_length=80)]] = field(default_factory=_list)
    """When no medicine is named: `faq.ID` or `learn.ID` entries, in order; none means osteo asks which medicine."""


# --- Evidence: pivotal fracture trials, guideline risk levels, calcium and vitamin D. ---

Site = Literal["vertebral", "non_vertebral", "hip"]
SITES: tuple[Site, ...] = ("vertebral", "non_vertebral", "hip")
Reduced = Annotated[float, Check(gt=0, le=100, description="A relative reduction in percent; never 0.")]


@record
class Reduction:
    """A trial's result at one fracture site: the relative reduction, or explicitly none shown.

    `shown` false means the trial did not show a significant reduction there (or was not
    powered to); `measured` false means the site was not an endpoint at all. Neither is 0%.
    """

    shown: Flag
    """Whether the trial showed a significant reduction at this site: true or false."""
    sources: SourceRefs
    percent: Reduced | None = None  # set only when shown (and the size is known)
    note: Text | None = None  # what exactly was counted, or the non-significant estimate
    measured: Flag = True
    """Whether the site was an endpoint of the trial at all (default true)."""
    confidence: Confidence = "high"
    """`medium` if seen only in a secondary source or not yet checked against the primary one; else `high`."""


@record
class TrialResults:
    """New fractures at the three sites."""

    vertebral: Reduction
    """New spine (vertebral) fractures."""
    non_vertebral: Reduction
    """New fractures elsewhere than the spine (non-vertebral)."""
    hip: Reduction
    """New hip fractures."""


@record
class Trial:
    """A pivotal fracture trial of one medicine, against placebo or another medicine."""

    id: Id
    """The trial's id ("fit-1")."""
    name: Name  # "FREEDOM"
    agent: Id
    """The medicine studied, from `agents`."""
    citation: Text  # "Cummings SR et al., N Engl J Med 2009;361:756-65"
    population: Text  # who was studied
    size: Annotated[int, Check(gt=0, le=1_000_000)]  # people randomised
    duration_months: Annotated[float, Check(gt=0, le=240)]
    """How long the trial ran, in months (a median where people were followed for different times)."""
    duration: Name  # in words: "3 years", "median 21 months"
    comparator: Name  # "placebo", or the other medicine's name
    results: TrialResults
    """The result at each fracture site."""
    sources: SourceRefs
    head_to_head: Flag = False  # against another medicine, not placebo
    comparator_agent: Id | None = None  # the other medicine, for a head-to-head trial
    treatment: Text | None = None  # dose and schedule studied
    regimen_caveat: Text | None = None
    """When the dose or schedule studied is not the one people are given: what differs, in a few words, shown
    with every result of the trial ("a daily 2.5 mg tablet, not the monthly tablet or 3-monthly injection")."""
    notes: list[Text] = field(default_factory=_list)
    """Other facts about the trial, one per item."""
    confidence: Confidence = "high"
    """`medium` if seen only in a secondary source or not yet checked against the primary one; else `high`."""


@record
class GuidelinePoint:
    """One statement of a guideline, with the medicines it names (if any)."""

    text: Text
    """The statement, in osteo's words."""
    sources: SourceRefs
    agents: list[Id] = field(default_factory=_list)
    """Ids of the medicines it names, from `agents`."""
    confidence: Confidence = "high"
    """`medium` if seen only in a secondary source or not yet checked against the primary one; else `high`."""


@record
class Guideline:
    """A guideline's risk levels, first choices, drug holidays and bone-density rechecks."""

    id: Id
    """The guideline's id ("bhof-2022")."""
    name: Name  # "AACE/ACE 2020"
    citation: Text
    """The published reference."""
    sources: SourceRefs
    scope: list[GuidelinePoint] = field(default_factory=_list)
    """Who the guideline is for."""
    testing: list[GuidelinePoint] = field(default_factory=_list)  # who should have a bone density test
    treat_when: list[GuidelinePoint] = field(default_factory=_list)  # treatment thresholds
    high_risk: list[GuidelinePoint] = field(default_factory=_list)
    """What makes fracture risk high."""
    very_high_risk: list[GuidelinePoint] = field(default_factory=_list)
    """What makes fracture risk very high."""
    first_choice_high: list[GuidelinePoint] = field(default_factory=_list)
    """The medicines recommended first at high risk."""
    first_choice_very_high: list[GuidelinePoint] = field(default_factory=_list)
    """The medicines recommended first at very high risk."""
    holidays: list[GuidelinePoint] = field(default_factory=_list)
    """When a drug holiday can be considered, and for how long."""
    monitoring: list[GuidelinePoint] = field(default_factory=_list)
    """When bone density is rechecked, and other monitoring."""


Nutrient = Literal["calcium", "vitamin-d"]
Sex = Literal["women", "men", "everyone"]
Age = Annotated[int, Check(ge=0, le=120)]


@record
class IntakeAmount:
    """A daily amount of calcium or vitamin D for one age and sex, as one body recommends it."""

    nutrient: Nutrient
    """Which nutrient: calcium or vitamin-d."""
    kind: Literal["daily", "supplement", "upper-limit"]
    """What the amount is: the daily total, a supplement dose, or the upper limit."""
    by: Name  # who recommends it: "IOM 2011", "BHOF 2022"
    sex: Sex
    """Who it is for: women, men or everyone."""
    age_from: Age
    """The youngest age it applies to, in years."""
    amount: Annotated[int, Check(gt=0, le=100_000)]
    """The amount a day, in `unit` (the bottom of a range when `amount_to` is set)."""
    unit: Literal["mg", "IU"]
    """The unit of the amounts: mg (calcium) or IU (vitamin D)."""
    sources: SourceRefs
    age_to: Age | None = None  # inclusive; none: no upper age
    amount_to: Annotated[int, Check(gt=0, le=100_000)] | None = None  # the top of a range
    note: Text | None = None
    """Anything that qualifies the amount."""
    confidence: Confidence = "high"
    """`medium` if seen only in a secondary source or not yet checked against the primary one; else `high`."""


@record
class Measure:
    """A general measure besides medicine, with numbers where a guideline gives them."""

    id: Id
    """The measure's id ("calcium-food-first")."""
    group: Literal["calcium", "vitamin-d", "protein", "alcohol", "smoking", "exercise", "falls"]
    """Which kind of measure: calcium, vitamin-d, protein, alcohol, smoking, exercise or falls."""
    title: Name
    """A short heading."""
    text: Text
    """The measure in plain words."""
    sources: SourceRefs
    points: list[Text] = field(default_factory=_list)
    """Details, with numbers where the guideline gives them, one per item."""
    confidence: Confidence = "high"
    """`medium` if seen only in a secondary source or not yet checked against the primary one; else `high`."""


@record
class Intake:
    """Calcium and vitamin D amounts, and the general measures the guidelines give."""

    amounts: list[IntakeAmount] = field(default_factory=_list)
    """Daily amounts of calcium and vitamin D by age and sex."""
    measures: list[Measure] = field(default_factory=_list)
    """General measures besides medicine."""


@record
class KnowledgeBase:
    """The whole file: `data/medications.yaml`."""

    schema_version: Literal[1]
    """The version of this file's layout; always 1."""
    kb_version: Annotated[str, Check(pattern=r"^\d{4}\.\d{1,2}\.\d+$")]
    """The version of the content, YYYY.M.N: year, month and release in that month ("2026.11.1")."""
    last_reviewed: Date
    sources: Annotated[list[Source], Check(min_length=1)]
    """Every document that facts are taken from; other entries cite them by id."""
    families: Annotated[list[Family], Check(min_length=1)]
    """The drug families (bisphosphonates and so on) that each agent belongs to."""
    agents: Annotated[list[Agent], Check(min_length=1)]
    """The medicines, one entry per generic name."""
    bone_density: BoneDensity
    """The WHO T-score categories used by `osteo tscore`."""
    conditions: list[Condition] = field(default_factory=_list)
    """The shared vocabulary of conditions that `contraindications` and `osteo check` refer to."""
    substances: list[Substance] = field(default_factory=_list)
    """The medicines, foods and supplements that `interactions` refer to."""
    faq: list[FaqEntry] = field(default_factory=_list)
    """Common questions with osteo's answers."""
    lifestyle: list[Advice] = field(default_factory=_list)
    """Lifestyle advice: exercise, nutrition and habits."""
    topics: list[Topic] = field(default_factory=_list)
    """Background topics for `osteo learn`."""
    trials: list[Trial] = field(default_factory=_list)
    """The pivotal fracture trials shown by `osteo evidence`."""
    guidelines: list[Guideline] = field(default_factory=_list)
    """Guidelines' risk levels, first choices, drug holidays and rechecks."""
    intake: Intake = field(default_factory=Intake)
    """Calcium and vitamin D amounts and the general measures besides medicine."""
    ask: list[AskTopic] = field(default_factory=_list)
    """The topics `osteo ask` recognises in a question, and what answers each."""

    # Lookups by id. The loader has checked every cross-reference, so these succeed.
    def family(self, family_id: str) -> Family:
        return self.families[_index(self).families[family_id]]

    def agent(self, agent_id: str) -> Agent:
        return self.agents[_index(self).agents[agent_id]]

    def members(self, family_id: str) -> list[Agent]:
        return [self.agents[i] for i in _index(self).members.get(family_id, ())]

    def source(self, source_id: str) -> Source:
        return self.sources[_index(self).sources[source_id]]

    def sharing_limit(self, group: str) -> list[Agent]:
        """Every agent whose duration limit belongs to `group`, in file order."""
        return [self.agents[i] for i, own in enumerate(_column(self.agents, "limit_group")) if own == group]


# What lookups need of every record of a section, without building the records: a section
# read back from the compiled form keeps these (see `records`); a validated one reads them.
COLUMNS: dict[str, Callable[[Any], str]] = {
    "id": lambda record: record.id,
    "family": lambda agent: agent.family,
    "limit_group": lambda agent: agent.duration.limit.group if agent.duration.limit else "",
}


class _Index(NamedTuple):  # positions in their sections, by id
    families: dict[str, int]
    agents: dict[str, int]
    members: dict[str, list[int]]  # the agents of each family
    sources: dict[str, int]


@functools.lru_cache(maxsize=4)
def _index(kb: KnowledgeBase) -> _Index:
    """Lookups by id, built once per knowledge base (a scan per lookup made listing a large
    one quadratic). Records hash by identity, so this never confuses two knowledge bases.
    The first entry with an id wins, as the scans did; the loader refuses duplicates anyway.
    A section read back from the compiled form has its ids at hand: nothing is built."""
    members: dict[str, list[int]] = {}
    for i, family in enumerate(_column(kb.agents, "family")):
        members.setdefault(family, []).append(i)
    return _Index(_first(kb.families), _first(kb.agents), members, _first(kb.sources))


def _column(section: Sequence[Any], name: str) -> Sequence[str]:
    if isinstance(section, Records):
        return section.columns[name]
    return [COLUMNS[name](record) for record in section]


def _first(section: Sequence[Any]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for i, key in enumerate(_column(section, "id")):
        positions.setdefault(key, i)
    return positions
