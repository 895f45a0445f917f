"""Treatment sequences: parse `drug:duration` steps and check them against the rules
the knowledge base holds (limits, what must follow a drug). Pure; never prints.

The rules come from structured fields, not from code: `duration.limit` (an amount in
months or doses, shared by every drug of the same limit group), `stopping.must_be_followed`
and the family's category.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Literal, NamedTuple

from osteo_cli.errors import UsageError
from osteo_cli.queries.names import resolve
from osteo_cli.queries.relations import followers, members_of, sharing_limit

if TYPE_CHECKING:
    from osteo_cli.knowledge.models import Agent, Family, Interval, KnowledgeBase

STOP = "stop"
GAP = "gap"  # `gap:9m`: time with no treatment between two steps
MAX_MONTHS = Decimal(600)  # fifty years: longer is a typing mistake, not a plan
_AMOUNT = re.compile(r"\d{1,6}(\.\d{1,2})?|\.\d{1,2}", re.ASCII)
_DURATION = re.compile(r"^(?P<amount>[^a-z]*?)\s*(?P<unit>m|y|doses?)$", re.IGNORECASE)
# Average lengths, in months, of the units a dosing interval is given in.
_MONTHS_PER = {
    "day": Decimal(12) / Decimal("365.25"),
    "week": Decimal(84) / Decimal("365.25"),
    "month": Decimal(1),
    "year": Decimal(12),
}


class Step(NamedTuple):
    """One course in a plan: a drug for a number of months (and doses, where they can be counted)."""

    typed: str
    agent: Agent
    family: Family
    months: Decimal
    doses: Decimal | None  # None where the drug has no single fixed schedule
    start: Decimal  # months from the start of the plan
    gap: Decimal = Decimal(0)  # months without treatment before this step (`gap:6m`)

    @property
    def whole_doses(self) -> int | None:
        """Doses actually given: one at the start of each interval begun (27 months of a 6-monthly drug is 5)."""
        if self.doses is None:
            return None
        return max(1, int(self.doses.to_integral_value(rounding=ROUND_UP)))

    @property
    def since_last_dose(self) -> Decimal | None:
        """Months from the last dose of this step to its end (one interval when the step is whole intervals)."""
        per_dose = _interval_months(self.agent.dosing.interval)
        whole = self.whole_doses
        if per_dose is None or whole is None:
            return None
        return self.months - (whole - 1) * per_dose


Severity = Literal["problem", "caution"]


class Finding(NamedTuple):
    rule: Literal["limit", "must-follow", "anabolic-follow-up", "late-follow-on", "long-use", "short-course"]
    step: int  # index into Plan.steps
    message: str
    sources: list[str]
    severity: Severity = "problem"  # a problem breaks a label rule; a caution asks for review


class Plan(NamedTuple):
    steps: list[Step]
    stopped: bool  # the plan ends with `stop`
    findings: list[Finding]
    gap_at_end: Decimal = Decimal(0)  # a gap written after the last drug

    @property
    def months(self) -> Decimal:
        return sum((s.months + s.gap for s in self.steps), Decimal(0)) + self.gap_at_end

    @property
    def problems(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "problem"]

    @property
    def cautions(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "caution"]


def _interval_months(interval: Interval | None) -> Decimal | None:
    return None if interval is None else interval.every * _MONTHS_PER[interval.unit]


def number(value: Decimal) -> str:
    """A decimal as people write it, to one place: 12, 1.5, never 12.00 or 1E+1."""
    return format(value.quantize(Decimal("0.1")).normalize(), "f")


def exact(value: Decimal) -> str:
    """A decimal to two places, for a limit: 24.04 months is past 24, so it is never shown as 24."""
    return format(value.quantize(Decimal("0.01"), rounding=ROUND_UP).normalize(), "f")


def parse_step(kb: KnowledgeBase, token: str) -> tuple[Agent, Family, Decimal, Decimal | None]:
    """`romosozumab:12m` -> (agent, family, months, doses). UsageError for anything else."""
    name, colon, duration = token.strip().rpartition(":")
    if not colon or not name.strip():
        raise UsageError(
            f"'{token}' is not a step; write DRUG:DURATION, such as denosumab:2y, "
            "teriparatide:18m or romosozumab:12doses"
        )
    match = _DURATION.match(duration.strip())
    if not match:
        raise UsageError(
            f"'{token}': '{duration}' is not a duration; write a number with m, y or doses (18m, 2y, 12doses)"
        )
    name, unit = name.strip(), match["unit"].lower()
    try:
        amount = Decimal(match["amount"])
    except InvalidOperation:
        raise UsageError(f"'{token}': '{match['amount']}' is not a number") from None
    if not amount.is_finite() or amount <= 0:
        raise UsageError(f"'{token}': the duration must be a positive number")
    if not _AMOUNT.fullmatch(match["amount"]):
        raise UsageError(
            f"'{token}': '{match['amount']}' is not a duration osteo reads; "
            "use a number with at most 2 decimal places, such as 18m or 1.5y"
        )
    found = resolve(kb, name)
    if found.claim.how == "related":
        raise UsageError(_related_text(kb, found.claim.id, found.claim.name))
    if found.claim.kind != "agent":
        members = ", ".join(a.name for a in members_of(kb, found.entry))
        raise UsageError(f"'{name}' is a family; name one of its drugs ({members})")
    agent = kb.agent(found.entry.id)
    per_dose = _interval_months(agent.dosing.interval)
    doses: Decimal | None
    if unit.startswith("dose"):
        if per_dose is None:
            raise UsageError(
                f"'{token}': {agent.name} has more than one schedule, so its doses cannot "
                "be counted; give the duration in m or y"
            )
        doses, months = amount, amount * per_dose
    else:
        months = amount * 12 if unit == "y" else amount
        doses = None if per_dose is None else months / per_dose
    if months > MAX_MONTHS:
        raise UsageError(f"'{token}': longer than {MAX_MONTHS // 12} years")
    return agent, kb.family(agent.family), months, doses


def _related_text(kb: KnowledgeBase, agent_id: str, name: str) -> str:
    """Why a related product (Xgeva, Zometa: the same molecule for another use) is not planned."""
    agent = kb.agent(agent_id)
    product = next(p for p in agent.related_products if p.name.casefold() == name.casefold())
    return (
        f"'{product.name}' is {agent.name} for {product.use}, with another dose and schedule, "
        f"not the osteoporosis product; a plan here covers {agent.name}'s osteoporosis use "
        f"({', '.join(b.name for b in agent.brands[:2]) or agent.name}). {product.note}"
    )


def build(kb: KnowledgeBase, tokens: Sequence[str]) -> Plan:
    """Parse the steps (an optional final `stop`), merge repeats of one drug, check the rules."""
    if not tokens:
        raise UsageError("give at least one step, such as 'osteo sequence romosozumab:12m denosumab:2y'")
    tokens = join_words(tokens)
    stopped = tokens[-1].strip().lower() == STOP
    body = tokens[:-1] if stopped else tokens
    if not body:
        raise UsageError("a plan needs at least one drug before 'stop'")
    if any(t.strip().lower() == STOP for t in body):
        raise UsageError("'stop' can only be the last step")
    steps: list[Step] = []
    start = Decimal(0)
    gap = Decimal(0)
    for token in body:
        if token.strip().lower().partition(":")[0].strip() == GAP:
            gap += parse_gap(token)
            continue
        agent, family, months, doses = parse_step(kb, token)
        if gap:  # a gap never merges two courses: the same drug after a gap is a delayed restart
            steps.append(Step(token, agent, family, months, doses, start + gap, gap))
            start += gap + months
            gap = Decimal(0)
            continue
        if steps and steps[-1].agent.id == agent.id:  # denosumab:2y denosumab:3y is one course
            last = steps.pop()
            months += last.months
            doses = None if doses is None or last.doses is None else doses + last.doses
            start, token = last.start, f"{last.typed} {token}"
            if months > MAX_MONTHS:  # each step is capped; so is the course they make together
                raise UsageError(f"'{token}': one course of {agent.name} longer than {MAX_MONTHS // 12} years")
            steps.append(Step(token, agent, family, months, doses, start, last.gap))
        else:
            steps.append(Step(token, agent, family, months, doses, start))
        start += months
    if not steps:
        raise UsageError("a plan needs at least one drug, not only gaps")
    return Plan(steps, stopped, check(kb, steps, stopped, gap), gap)


def join_words(tokens: Sequence[str]) -> list[str]:
    """Words typed unquoted before a step, joined to it: `zoledronic acid:3y` arrives as
    `zoledronic` and `acid:3y`. A word without a colon (other than `stop`) belongs to the next one."""
    joined: list[str] = []
    pending: list[str] = []
    for token in tokens:
        if ":" not in token and token.strip().lower() != STOP:
            pending.append(token)
            continue
        if pending and ":" in token:
            token = " ".join([*pending, token])
        else:
            joined.extend(pending)
        pending = []
        joined.append(token)
    return [*joined, *pending]


def parse_gap(token: str) -> Decimal:
    """`gap:9m` -> 9 months without treatment. UsageError for anything else."""
    _, _, duration = token.strip().partition(":")
    match = _DURATION.match(duration.strip())
    if not match or match["unit"].lower().startswith("dose") or not _AMOUNT.fullmatch(match["amount"]):
        raise UsageError(f"'{token}' is not a gap; write gap:DURATION in months or years, such as gap:6m or gap:1y")
    amount = Decimal(match["amount"])
    if amount <= 0:
        raise UsageError(f"'{token}': the gap must be a positive number")
    months = amount * 12 if match["unit"].lower() == "y" else amount
    if months > MAX_MONTHS:
        raise UsageError(f"'{token}': longer than {MAX_MONTHS // 12} years")
    return months


def check(kb: KnowledgeBase, steps: list[Step], stopped: bool, gap_at_end: Decimal = Decimal(0)) -> list[Finding]:
    findings = [
        *_limits(kb, steps),
        *_short_courses(steps),
        *_follow_ups(kb, steps, stopped),
        *_timing(steps, gap_at_end),
        *_long_use(steps),
    ]
    return sorted(findings, key=lambda f: f.step)  # stable: a step's limit comes before its follow-up


def _short_courses(steps: list[Step]) -> list[Finding]:
    """A course far shorter than the one studied: a caution, with the usual length (osteo found no label minimum)."""
    findings = []
    for i, step in enumerate(steps):
        usual = step.agent.duration.usual
        if usual is None or step.months * 2 >= usual.months:
            continue
        message = (
            f"{step.agent.name} for only {number(step.months)} months, under half the usual course of "
            f"{usual.months} months: {usual.text}"
        )
        findings.append(Finding("short-course", i, message, list(usual.sources), "caution"))
    return findings


def _timing(steps: list[Step], gap_at_end: Decimal) -> list[Finding]:
    """A follow-on (or the same drug again) that starts too long after the last dose of a drug that
    must not be delayed: counted from its last dose, through any gap."""
    findings = []
    for i, step in enumerate(steps):
        within = step.agent.stopping.follow_within
        since = step.since_last_dose
        if within is None or since is None:
            continue
        gap = steps[i + 1].gap if i + 1 < len(steps) else gap_at_end
        if i + 1 == len(steps) and not gap:
            continue  # nothing follows: the must-follow finding says so
        after = since + gap
        if after <= within.months:
            continue
        nxt = steps[i + 1].agent if i + 1 < len(steps) else None
        if nxt is not None and nxt.id == step.agent.id and within.restart is not None:  # a delayed dose
            message = (
                f"{step.agent.name} starts again {number(after)} months after its last dose; the next dose should "
                f"come within {within.months} months of it. {within.restart.text}"
            )
            findings.append(Finding("late-follow-on", i, message, list(within.restart.sources)))
            continue
        name = nxt.name if nxt is not None else "the next medicine"
        message = (
            f"{name} starts {number(after)} months after the last {step.agent.name} dose; it should start within "
            f"{within.months} months of it. {within.text}"
        )
        findings.append(Finding("late-follow-on", i, message, list(within.sources)))
    return findings


def _long_use(steps: list[Step]) -> list[Finding]:
    findings = []
    for i, step in enumerate(steps):
        long_use = step.agent.stopping.long_use
        if long_use is None or step.months < long_use.months or i + 1 == len(steps):
            continue
        message = f"{step.agent.name} for {number(step.months)} months before the change: {long_use.text}"
        findings.append(Finding("long-use", i, message, list(long_use.sources), "caution"))
    return findings


def _limits(kb: KnowledgeBase, steps: list[Step]) -> list[Finding]:
    """Use past a limit, counting every drug of a limit group together.

    How serious it is follows the strictest drug of the group used so far: teriparatide alone
    past 24 months is a caution (its label allows it while fracture risk stays high), but once
    abaloparatide is part of the count it is a problem (its label rules it out).
    """
    findings: list[Finding] = []
    totals: dict[str, Decimal] = {}
    strictest: dict[str, Severity] = {}
    flagged: dict[str, int] = {}  # group -> index of its finding
    for i, step in enumerate(steps):
        limit = step.agent.duration.limit
        if limit is None:
            continue
        used = step.months if limit.unit == "months" else step.doses
        if used is None:  # the data checks make this impossible for a limit in doses
            continue
        totals[limit.group] = totals.get(limit.group, Decimal(0)) + used
        if limit.severity == "problem" or limit.group not in strictest:
            strictest[limit.group] = limit.severity
        if totals[limit.group] <= limit.amount:
            continue
        severity = strictest[limit.group]
        if limit.group in flagged:
            # Already over: a stricter drug joining the count makes the earlier caution a problem.
            j = flagged[limit.group]
            if severity == "caution" or findings[j].severity == "problem":
                continue
            findings.pop(j)
        group = sharing_limit(kb, limit.group)
        in_plan = list(dict.fromkeys(s.agent.name for s in steps[: i + 1] if s.agent in group))
        together = len(in_plan) > 1
        names = " and ".join(in_plan)
        used_text = f"{exact(totals[limit.group])} {limit.unit}"
        counted = " counted together" if together else ""
        if severity == "caution":
            message = (
                f"{names}: {used_text} in this plan{counted}, past the usual {limit.amount} {limit.unit}: "
                f"review needed. {step.agent.duration.summary}"
            )
        else:
            message = (
                f"{names}: {used_text} in this plan{counted}; the limit is {limit.amount} {limit.unit}. "
                f"{step.agent.duration.summary}"
            )
        sources = list(dict.fromkeys(s for a in group for s in a.duration.sources))
        flagged[limit.group] = len(findings)
        findings.append(Finding("limit", i, message, sources, severity))
    return findings


def needs_follow_on(agent: Agent, family: Family) -> bool:
    """Must be followed by a medicine that slows bone breakdown: by its data, or as an anabolic."""
    return agent.stopping.must_be_followed or family.category in ("anabolic", "both")


def follows_well(agent: Agent, after: Family) -> bool:
    """Whether a drug of family `after` is a right follow-on for `agent`."""
    stopping = agent.stopping
    if after.id in stopping.followed_by:
        return True
    return not stopping.followed_by_only and after.category == "antiresorptive"


def _follow_ups(kb: KnowledgeBase, steps: list[Step], stopped: bool) -> list[Finding]:
    findings = []
    for i, step in enumerate(steps):
        if not needs_follow_on(step.agent, step.family):
            continue
        examples = " or ".join(f.name for f in followers(kb, step.agent))
        such_as = f" (such as {examples})" if examples else ""
        sources = step.agent.stopping.sources
        if i == len(steps) - 1:
            ending = "followed by 'stop'" if stopped else "the last step"
            findings.append(
                Finding(
                    "must-follow",
                    i,
                    f"{step.agent.name} is {ending}, but it has to be followed by a medicine that slows bone "
                    f"breakdown{such_as}. {step.agent.stopping.summary}",
                    sources,
                )
            )
            continue
        after = steps[i + 1]
        if after.agent.id == step.agent.id:
            continue  # the same drug again after a gap: a delayed restart, which `_timing` judges
        limit, next_limit = step.agent.duration.limit, after.agent.duration.limit
        if limit and next_limit and limit.group == next_limit.group:
            continue  # one course (teriparatide then abaloparatide): the later step carries the follow-on
        if (
            not stopping_only(step.agent)
            and step.family.category in ("anabolic", "both")
            and after.family.category in ("anabolic", "both")
        ):
            message = (
                f"{step.agent.name} is followed by {after.agent.name}, another medicine that builds bone. "
                f"That is not ruled out, but the plan still has to end with a medicine that slows bone breakdown; "
                f"ask whether this order is intended."
            )
            findings.append(Finding("anabolic-follow-up", i, message, list(step.agent.stopping.sources), "caution"))
            continue
        if not follows_well(step.agent, after.family):
            rule: Literal["must-follow", "anabolic-follow-up"] = (
                "anabolic-follow-up" if step.family.category in ("anabolic", "both") else "must-follow"
            )
            findings.append(
                Finding(
                    rule,
                    i,
                    _not_followed_text(kb, step, after),
                    sources,
                )
            )
    return findings


def stopping_only(agent: Agent) -> bool:
    return agent.stopping.followed_by_only


def _not_followed_text(kb: KnowledgeBase, step: Step, after: Step) -> str:
    stopping = step.agent.stopping
    if stopping.followed_by_only:
        names = " or ".join(f.singular.lower() for f in followers(kb, step.agent))
        return (
            f"{step.agent.name} is followed by {after.agent.name} ({after.family.name}), but only a {names} "
            f"is shown to reduce the loss after it, and only in part. {stopping.summary}"
        )
    examples = " or ".join(f.name for f in followers(kb, step.agent))
    such_as = f" (such as {examples})" if examples else ""
    return (
        f"{step.agent.name} is followed by {after.agent.name} ({after.family.category}), not by a "
        f"medicine that slows bone breakdown; {step.agent.name} has to be followed by one{such_as}."
    )
