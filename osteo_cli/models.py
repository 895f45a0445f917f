"""The knowledge base schema: frozen dataclasses, no I/O, no pydantic at import.

These classes are what queries and renderers work with. pydantic validates raw YAML
into them (see `validation.py`), but only when a file has not been validated before:
defining pydantic models costs more at start-up than the whole rest of a command, so
the constraints below are plain markers that pydantic reads when it builds its
validator, and importing this module stays cheap.

Every scalar field is strict: YAML 1.1 turns `NO` into False and `1.10` into 1.1, and
a strict string field refuses those instead of storing a silent surprise. Unknown
keys are refused too (`extra: forbid`), so a misspelt field name is an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypeVar, dataclass_transform


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
Name = Annotated[str, Check(min_length=1, max_length=120)]
Url = Annotated[str, Check(pattern=r"^https://\S+$", max_length=300)]
Flag = Annotated[bool, Check()]
Date = Annotated[dt.date, Check(description="An ISO date, unquoted: 2026-11-24.")]
SourceRefs = Annotated[list[Id], Check(min_length=1, description="Ids from `sources`.")]

Category = Literal["antiresorptive", "anabolic", "both"]
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
    return dataclass(frozen=True, slots=True, eq=False, match_args=False)(cls)


@record
class Source:
    """A document that facts are taken from."""

    id: Id
    kind: SourceKind
    title: Text
    url: Url | None = None  # the page itself: a label's DailyMed page, a notice's own address
    revised: Revision | None = None  # the label revision (or publication) the facts reflect
    set_id: SetId | None = None  # DailyMed set id, for US labels
    doi: Doi | None = None
    note: Text | None = None


@record
class Family:
    """A drug family with the four features the source article compares."""

    id: Id
    name: Name
    singular: Name
    category: Category
    mechanism: Text
    administration: Text
    typical_use: Text
    after_treatment: Text
    sources: SourceRefs
    last_reviewed: Date
    aliases: list[Name] = field(default_factory=list)
    confidence: Confidence = "high"  # of `after_treatment`, the one feature a source may hedge


@record
class Brand:
    """A product name for an agent; `biosimilar` for a biosimilar of the reference product."""

    name: Name
    kind: Literal["brand", "biosimilar"] = "brand"
    note: Text | None = None
    confidence: Confidence = "high"


@record
class RelatedProduct:
    """The same molecule sold under another name for another use (Xgeva, Zometa)."""

    name: Name
    use: Text
    note: Text


@record
class Interval:
    """The time between two doses, where a drug has one fixed schedule."""

    every: Annotated[int, Check(gt=0, le=365)]
    unit: Literal["day", "week", "month", "year"]


@record
class Dosing:
    """Route, the usual osteoporosis dose and schedule, and how it is taken."""

    route: Name
    dose: Text
    schedule: Name  # a few words, for tables
    sources: SourceRefs
    how: list[Text] = field(default_factory=list)
    # Set only for a single fixed schedule: it converts a plan's doses to months and back.
    interval: Interval | None = None


@record
class Limit:
    """A limit on use, counted across every drug of the same `group`."""

    amount: Annotated[int, Check(gt=0, le=1000)]
    unit: Literal["months", "doses"]
    group: Id
    # What going past it is: a problem the label rules out, or a caution the label allows
    # when fracture risk stays high. A group's use is judged by its strictest drug used.
    severity: Literal["problem", "caution"] = "problem"


@record
class Duration:
    """How long the drug can be used."""

    summary: Text
    sources: SourceRefs
    limit: Limit | None = None


@record
class Stopping:
    """What has to happen when the drug is stopped."""

    holiday: Flag  # whether a planned drug holiday can be considered
    summary: Text
    must_be_followed: Flag  # by a medicine that slows bone breakdown (an antiresorptive)
    sources: SourceRefs
    followed_by: list[Id] = field(default_factory=list)  # family ids
    # True where only `followed_by` prevents the loss (after denosumab: a bisphosphonate, not
    # raloxifene or estrogen); otherwise any medicine that slows bone breakdown will do.
    followed_by_only: Flag = False
    confidence: Confidence = "high"


@record
class LabelChange:
    """A dated change to a label or a regulator's position (a warning added, renamed or removed)."""

    date: Revision
    text: Text
    sources: SourceRefs
    jurisdiction: Jurisdiction = "US"
    confidence: Confidence = "high"


@record
class Safety:
    """The boxed warning, if any, and the main label warnings."""

    sources: SourceRefs
    boxed_warning: Text | None = None
    # When the boxed warning was last checked against the label (it may change).
    boxed_warning_as_of: Revision | None = None
    warnings: list[Text] = field(default_factory=list)
    changes: list[LabelChange] = field(default_factory=list)


# How strongly a label speaks about a condition. "contraindicated" and "not-recommended"
# make `osteo check` say avoid; "caution" and "not-approved" make it say caution.
RuleLevel = Literal["contraindicated", "not-recommended", "caution", "not-approved"]


@record
class Condition:
    """One entry of the shared vocabulary of conditions that labels speak about."""

    id: Id
    name: Name
    synonyms: list[Name] = field(default_factory=list)  # what people type: "vte", "dvt"
    note: Text | None = None
    # Conditions this one includes: a heart attack in the past year is also a heart attack ever.
    implies: list[Id] = field(default_factory=list)
    # About kidney function: `osteo check` then asks for the number each label's threshold needs.
    kidney: Flag = False


@record
class Substance:
    """A medicine, food or supplement that interactions are keyed by."""

    id: Id
    name: Name
    synonyms: list[Name] = field(default_factory=list)  # brands, generics, members of a class
    note: Text | None = None


@record
class ConditionRule:
    """What a label says about one condition: a contraindication, a 'not recommended', a caution."""

    condition: Id  # from `conditions`
    level: RuleLevel
    text: Text  # osteo's words for what the label says
    sources: SourceRefs
    action: Text | None = None  # what the label says to do
    applies_to: Name | None = None  # one form only: "tablets", "injection"
    jurisdiction: Jurisdiction = "US"
    confidence: Confidence = "high"


InteractionLevel = Literal["avoid", "separate", "monitor", "caution", "no-effect"]


@record
class Interaction:
    """Another medicine, food or supplement taken alongside: what happens, what to do."""

    substance: Id  # from `substances`
    level: InteractionLevel
    effect: Text
    action: Text
    sources: SourceRefs
    applies_to: Name | None = None
    jurisdiction: Jurisdiction = "US"
    confidence: Confidence = "high"


@record
class KidneyThreshold:
    """A kidney-function cut-off in the measure its label uses, and what the label says below it."""

    measure: Literal["crcl", "egfr"]  # creatinine clearance mL/min, or eGFR mL/min/1.73 m2
    below: Annotated[int, Check(gt=0, le=200)]
    level: RuleLevel
    text: Text
    sources: SourceRefs
    action: Text | None = None
    applies_to: Name | None = None
    jurisdiction: Jurisdiction = "US"
    confidence: Confidence = "high"


@record
class Kidney:
    """Kidney function: the thresholds, and what the label says above them."""

    summary: Text
    sources: SourceRefs
    thresholds: list[KidneyThreshold] = field(default_factory=list)


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
class MissedDose:
    """One regimen of a medicine and what to do when a dose of it was missed."""

    regimen: Id  # "weekly", "monthly", "injection"
    name: Name  # "35 or 70 mg once a week"
    interval: Interval
    rule: MissedRule
    text: Text  # osteo's words for the label's rule
    sources: SourceRefs
    window_days: Annotated[int, Check(gt=0, le=60)] | None = None  # for `window`
    doses_per_interval: Annotated[int, Check(gt=0, le=4)] = 1  # 2 for 75 mg on 2 days in a row
    confidence: Confidence = "high"


@record
class Frequency:
    """How often one side effect happened in the label's trials: the drug against the comparator."""

    effect: Name
    drug: Percent
    comparator: Percent
    confidence: Confidence = "high"


@record
class SideEffects:
    """Common side effects (with trial frequencies where known) and the serious ones."""

    sources: SourceRefs
    summary: Text | None = None  # the most common ones in words
    trial: Text | None = None  # which trial the frequencies come from, and the comparator
    frequencies: list[Frequency] = field(default_factory=list)
    serious: list[Text] = field(default_factory=list)
    confidence: Confidence = "high"


@record
class MonitoringItem:
    """One check before or during treatment."""

    when: Literal["before", "each-dose", "during"]
    text: Text
    sources: SourceRefs
    confidence: Confidence = "high"
    jurisdiction: Jurisdiction = "US"


@record
class Pregnancy:
    """Pregnancy and breastfeeding."""

    pregnancy: Text
    breastfeeding: Text
    sources: SourceRefs
    confidence: Confidence = "high"


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
    approved: Flag
    sources: SourceRefs
    since: Since | None = None  # "2012", or "2022-12" when the month is known
    note: Text | None = None
    applies_to: Name | None = None
    jurisdiction: Jurisdiction = "US"
    confidence: Confidence = "high"


@record
class Agent:
    """One medicine (a generic name) with its products, dosing and rules."""

    id: Id
    name: Name
    family: Id
    dosing: Dosing
    duration: Duration
    stopping: Stopping
    safety: Safety
    sources: SourceRefs  # for the names, brands, related products and notes
    last_reviewed: Date
    aliases: list[Name] = field(default_factory=list)
    brands: list[Brand] = field(default_factory=list)
    related_products: list[RelatedProduct] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)
    # The monograph sections (see `osteo drugs show NAME --section`).
    contraindications: list[ConditionRule] = field(default_factory=list)
    side_effects: SideEffects | None = None
    interactions: list[Interaction] = field(default_factory=list)
    kidney: Kidney | None = None
    missed_doses: list[MissedDose] = field(default_factory=list)
    monitoring: list[MonitoringItem] = field(default_factory=list)
    pregnancy: Pregnancy | None = None
    approvals: list[Approval] = field(default_factory=list)


@record
class FaqEntry:
    """A common question with osteo's answer."""

    id: Id
    question: Text
    answer: Text
    sources: SourceRefs
    last_reviewed: Date


Score = Annotated[float, Check(ge=-10, le=10)]


@record
class DensityCategory:
    """One WHO bone-density category."""

    name: Name
    meaning: Text


FractureSite = Literal["hip", "spine", "humerus", "pelvis", "wrist", "other"]


@record
class ClinicalDiagnosis:
    """Osteoporosis diagnosed from a fragility fracture, whatever (or with low) bone density."""

    any_tscore: list[FractureSite]  # a fracture here means osteoporosis at any T-score
    with_low_bone_mass: list[FractureSite]  # here, together with low bone mass
    text: Text
    sources: SourceRefs


@record
class BoneDensity:
    """The WHO T-score categories: boundaries, what each means, and caveats."""

    normal_at_or_above: Score  # -1.0: exactly -1.0 is normal
    osteoporosis_at_or_below: Score  # -2.5: exactly -2.5 is osteoporosis
    normal: DensityCategory
    low_bone_mass: DensityCategory
    osteoporosis: DensityCategory
    severe_osteoporosis: DensityCategory  # osteoporosis with a fragility fracture
    caveats: Annotated[list[Text], Check(min_length=1)]
    sources: SourceRefs
    clinical_diagnosis: ClinicalDiagnosis | None = None


@record
class Advice:
    """One piece of lifestyle advice."""

    id: Id
    group: Literal["exercise", "nutrition", "habits"]
    title: Name
    text: Text
    sources: SourceRefs
    examples: list[Name] = field(default_factory=list)


@record
class Topic:
    """Background for `osteo learn`: bone remodeling, scans, key points."""

    id: Id
    title: Name
    summary: Text
    sources: SourceRefs
    points: list[Text] = field(default_factory=list)


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
    sources: SourceRefs
    percent: Reduced | None = None  # set only when shown (and the size is known)
    note: Text | None = None  # what exactly was counted, or the non-significant estimate
    measured: Flag = True
    confidence: Confidence = "high"


@record
class TrialResults:
    """New fractures at the three sites."""

    vertebral: Reduction
    non_vertebral: Reduction
    hip: Reduction


@record
class Trial:
    """A pivotal fracture trial of one medicine, against placebo or another medicine."""

    id: Id
    name: Name  # "FREEDOM"
    agent: Id
    citation: Text  # "Cummings SR et al., N Engl J Med 2009;361:756-65"
    population: Text  # who was studied
    size: Annotated[int, Check(gt=0, le=1_000_000)]  # people randomised
    duration_months: Annotated[float, Check(gt=0, le=240)]
    duration: Name  # in words: "3 years", "median 21 months"
    comparator: Name  # "placebo", or the other medicine's name
    results: TrialResults
    sources: SourceRefs
    head_to_head: Flag = False  # against another medicine, not placebo
    comparator_agent: Id | None = None  # the other medicine, for a head-to-head trial
    treatment: Text | None = None  # dose and schedule studied
    notes: list[Text] = field(default_factory=list)
    confidence: Confidence = "high"


@record
class GuidelinePoint:
    """One statement of a guideline, with the medicines it names (if any)."""

    text: Text
    sources: SourceRefs
    agents: list[Id] = field(default_factory=list)
    confidence: Confidence = "high"


@record
class Guideline:
    """A guideline's risk levels, first choices, drug holidays and bone-density rechecks."""

    id: Id
    name: Name  # "AACE/ACE 2020"
    citation: Text
    sources: SourceRefs
    scope: list[GuidelinePoint] = field(default_factory=list)
    testing: list[GuidelinePoint] = field(default_factory=list)  # who should have a bone density test
    treat_when: list[GuidelinePoint] = field(default_factory=list)  # treatment thresholds
    high_risk: list[GuidelinePoint] = field(default_factory=list)
    very_high_risk: list[GuidelinePoint] = field(default_factory=list)
    first_choice_high: list[GuidelinePoint] = field(default_factory=list)
    first_choice_very_high: list[GuidelinePoint] = field(default_factory=list)
    holidays: list[GuidelinePoint] = field(default_factory=list)
    monitoring: list[GuidelinePoint] = field(default_factory=list)


Nutrient = Literal["calcium", "vitamin-d"]
Sex = Literal["women", "men", "everyone"]
Age = Annotated[int, Check(ge=0, le=120)]


@record
class IntakeAmount:
    """A daily amount of calcium or vitamin D for one age and sex, as one body recommends it."""

    nutrient: Nutrient
    kind: Literal["daily", "supplement", "upper-limit"]
    by: Name  # who recommends it: "IOM 2011", "BHOF 2022"
    sex: Sex
    age_from: Age
    amount: Annotated[int, Check(gt=0, le=100_000)]
    unit: Literal["mg", "IU"]
    sources: SourceRefs
    age_to: Age | None = None  # inclusive; none: no upper age
    amount_to: Annotated[int, Check(gt=0, le=100_000)] | None = None  # the top of a range
    note: Text | None = None
    confidence: Confidence = "high"


@record
class Measure:
    """A general measure besides medicine, with numbers where a guideline gives them."""

    id: Id
    group: Literal["calcium", "vitamin-d", "protein", "alcohol", "smoking", "exercise", "falls"]
    title: Name
    text: Text
    sources: SourceRefs
    points: list[Text] = field(default_factory=list)
    confidence: Confidence = "high"


@record
class Intake:
    """Calcium and vitamin D amounts, and the general measures the guidelines give."""

    amounts: list[IntakeAmount] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)


@record
class KnowledgeBase:
    """The whole file: `data/medications.yaml`."""

    schema_version: Literal[1]
    kb_version: Annotated[str, Check(pattern=r"^\d{4}\.\d{1,2}\.\d+$")]
    last_reviewed: Date
    sources: Annotated[list[Source], Check(min_length=1)]
    families: Annotated[list[Family], Check(min_length=1)]
    agents: Annotated[list[Agent], Check(min_length=1)]
    bone_density: BoneDensity
    conditions: list[Condition] = field(default_factory=list)
    substances: list[Substance] = field(default_factory=list)
    faq: list[FaqEntry] = field(default_factory=list)
    lifestyle: list[Advice] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    trials: list[Trial] = field(default_factory=list)
    guidelines: list[Guideline] = field(default_factory=list)
    intake: Intake = field(default_factory=Intake)

    # Lookups by id. The loader has checked every cross-reference, so these succeed.
    def family(self, family_id: str) -> Family:
        return next(f for f in self.families if f.id == family_id)

    def agent(self, agent_id: str) -> Agent:
        return next(a for a in self.agents if a.id == agent_id)

    def members(self, family_id: str) -> list[Agent]:
        return [a for a in self.agents if a.family == family_id]

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)
