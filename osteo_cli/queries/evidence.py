"""How well each medicine works: the pivotal trials, the guidelines, calcium and vitamin D.

Pure functions from a KnowledgeBase (and what the user typed) to plain results. They
never print and never import Rich. `for_agent` and `site_summary` are what `drugs show`
and `drugs compare` can call for an evidence section and rows for the three sites.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from osteo_cli.errors import UsageError
from osteo_cli.knowledge.models import SITES, Agent, IntakeAmount, Measure, Site
from osteo_cli.queries.names import group_words, resolve
from osteo_cli.queries.relations import members_of

if TYPE_CHECKING:
    from osteo_cli.knowledge.models import Guideline, KnowledgeBase, Reduction, Trial

SITE_NAMES: dict[Site, str] = {"vertebral": "Spine (vertebral)", "non_vertebral": "Non-vertebral", "hip": "Hip"}
SITE_SHORT: dict[Site, str] = {"vertebral": "spine", "non_vertebral": "non-spine", "hip": "hip"}

# Said once wherever the numbers are shown.
MEANING = (
    "Each percentage is a relative reduction: how many fewer people in the trial had a new fracture "
    "than in the comparison group, over the trial's length. It is an average for the people studied, "
    "not a promise for one person."
)
MEDIUM = "* medium confidence: seen only in a secondary source, or not yet checked against the primary text."
MINUS, ASCII_MINUS = "\N{MINUS SIGN}", "-"


def for_agent(kb: KnowledgeBase, agent_id: str) -> list[Trial]:
    """The pivotal trials of one agent, in file order (an empty list for an agent without any)."""
    return [t for t in kb.trials if t.agent == agent_id]


def agents_named(kb: KnowledgeBase, names: Sequence[str]) -> list[Agent]:
    """The agents the names stand for, in the order typed; a family stands for its members."""
    found: dict[str, Agent] = {}
    for name in group_words(kb, names):  # `zoledronic acid` unquoted is one name
        entry = resolve(kb, name).entry
        for agent in members_of(kb, entry):
            found.setdefault(agent.id, agent)
    return list(found.values())


def trials_for(kb: KnowledgeBase, names: Sequence[str]) -> list[Trial]:
    """Every trial, or the trials of the medicines named (agents in the order typed)."""
    if not names:
        return list(kb.trials)
    agents = agents_named(kb, names)
    trials = [t for a in agents for t in for_agent(kb, a.id)]
    if not trials:
        listed = ", ".join(a.name for a in agents)
        raise UsageError(f"osteo holds no fracture trial for {listed}; 'osteo evidence' lists every trial")
    return trials


def percent_text(value: float, minus: str = MINUS) -> str:
    """A reduction as a signed percentage: 68 -> "−68%" (fewer fractures)."""
    number = f"{value:.0f}" if value == int(value) else f"{value:.1f}"
    return f"{minus}{number}%"


def site_text(result: Reduction, minus: str = MINUS) -> str:
    """One site's result in a few words: "−68%", "not shown", "not measured"; never "0%"."""
    if not result.measured:
        text = "not measured"
    elif not result.shown:
        text = "not shown"
    elif result.percent is None:
        text = "fewer (size not recorded)"
    else:
        text = percent_text(result.percent, minus)
    return text + (" *" if result.confidence == "medium" else "")


def against(trial: Trial) -> str:
    return f"vs {trial.comparator}"


def _trial_label(trial: Trial) -> str:
    """ "FREEDOM, vs placebo", with the regimen caveat when the trial tested another dose."""
    caveat = f"; {trial.regimen_caveat}" if trial.regimen_caveat else ""
    return f"{trial.name}, {against(trial)}{caveat}"


def site_summary(kb: KnowledgeBase, agent_id: str) -> dict[Site, str]:
    """Each site's results across the agent's trials, in one line each, for `drugs show/compare`.

    "−68% (FREEDOM, vs placebo)"; several trials are joined with "; ". A site where no trial
    showed a reduction reads "not shown (BONE, vs placebo)"; with no trial at all, "no trial in osteo".
    """
    trials = for_agent(kb, agent_id)
    summary: dict[Site, str] = {}
    for site in SITES:
        if not trials:
            summary[site] = "no trial in osteo"
            continue
        parts = [f"{site_text(getattr(t.results, site))} ({_trial_label(t)})" for t in trials]
        summary[site] = "; ".join(parts)
    return summary


def any_medium(kb: KnowledgeBase, agent_ids: Iterable[str]) -> bool:
    """Whether a result `site_summary` shows for these agents is of medium confidence (marked *)."""
    return any(
        getattr(t.results, site).confidence == "medium" for a in agent_ids for t in for_agent(kb, a) for site in SITES
    )


def guidelines(kb: KnowledgeBase, typed: str | None = None) -> list[Guideline]:
    """Every guideline, or the one `typed` names (by id, name, or the start of either)."""
    from osteo_cli.queries.names import normalize

    if typed is None:
        return list(kb.guidelines)
    wanted = normalize(typed)
    keys = [(g, normalize(g.id), normalize(g.name)) for g in kb.guidelines]
    exact = [g for g, gid, name in keys if wanted in (gid, name)]
    starts = [g for g, gid, name in keys if gid.startswith(wanted) or name.startswith(wanted)]
    for found in (exact, starts):
        if len(found) == 1:
            return found
    ids = ", ".join(g.id for g in kb.guidelines)
    raise UsageError(f"no guideline called '{typed}'; choose from {ids}")


# `osteo lifestyle GROUP` shows the intake amounts and measures of these groups.
MEASURE_GROUPS: dict[str, tuple[str, ...]] = {
    "nutrition": ("calcium", "vitamin-d", "protein"),
    "habits": ("alcohol", "smoking", "falls"),
    "exercise": ("exercise",),
}


def intake_amounts(kb: KnowledgeBase, group: str | None = None) -> list[IntakeAmount]:
    if group not in (None, "nutrition"):
        return []
    return list(kb.intake.amounts)


def measures(kb: KnowledgeBase, group: str | None = None) -> list[Measure]:
    wanted = MEASURE_GROUPS.get(group) if group else None
    return [m for m in kb.intake.measures if wanted is None or m.group in wanted]


def who(amount: IntakeAmount) -> str:
    """Whom an amount is for, in words: "Women 51-70", "Everyone 71 and over"."""
    ages = f"{amount.age_from}-{amount.age_to}" if amount.age_to is not None else f"{amount.age_from} and over"
    return f"{amount.sex.capitalize()} {ages}"


def amount_text(amount: IntakeAmount) -> str:
    """ "1,200 mg", "800-1,000 IU"."""
    top = f"-{amount.amount_to:,}" if amount.amount_to is not None else ""
    return f"{amount.amount:,}{top} {amount.unit}"
