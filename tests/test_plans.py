"""Treatment sequences: parsing, each rule, its boundaries, and plans with 0, 1 or more problems."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from osteo_cli.errors import UsageError
from osteo_cli.knowledge import load
from osteo_cli.queries.sequence import build

KB = load(None).kb


def rules(*tokens: str) -> list[tuple[str, int]]:
    return [(f.rule, f.step) for f in build(KB, tokens).findings]


@pytest.mark.parametrize(
    "plan",
    [
        ["romosozumab:12m", "alendronate:5y"],
        ["romosozumab:12doses", "denosumab:2y", "zoledronic acid:3y", "stop"],
        ["teriparatide:24m", "denosumab:2y", "alendronate:2y"],
        ["alendronate:5y", "stop"],  # a drug holiday after a bisphosphonate
        ["denosumab:2y", "zoledronic acid:1y", "stop"],
        ["raloxifene:3y"],
    ],
)
def test_plans_without_problems(plan: list[str]) -> None:
    assert rules(*plan) == []


def test_romosozumab_beyond_twelve_doses() -> None:
    assert rules("romosozumab:13m", "denosumab:2y", "alendronate:1y") == [("limit", 0)]
    assert rules("romosozumab:13doses", "alendronate:1y") == [("limit", 0)]
    assert rules("romosozumab:6m", "romosozumab:7m", "alendronate:1y") == [("limit", 0)]  # one course


def test_teriparatide_and_abaloparatide_count_together() -> None:
    plan = build(KB, ["teriparatide:18m", "abaloparatide:12m"])
    limit = [f for f in plan.findings if f.rule == "limit"]
    assert [(f.step, f.sources) for f in limit] == [(1, ["label-forteo", "label-tymlos"])]
    assert "30 months in this plan counted together; the limit is 24 months" in limit[0].message


def test_limit_boundary_is_inclusive() -> None:
    assert rules("teriparatide:2y", "alendronate:1y") == []
    assert rules("teriparatide:24.1m", "alendronate:1y") == [("limit", 0)]
    assert rules("romosozumab:1y", "alendronate:1y") == []
    # 24 months together is at the limit: only the switch between two anabolics is flagged
    # Switching between PTH analogs within their shared limit is one course (review N-I6): no finding.
    assert rules("teriparatide:12m", "abaloparatide:12m", "alendronate:3y") == []


def test_drug_that_must_be_followed_is_last_or_before_stop() -> None:
    assert rules("romosozumab:12m", "denosumab:2y", "stop") == [("must-follow", 1)]
    assert rules("denosumab:5y") == [("must-follow", 0)]
    plan = build(KB, ["denosumab:5y", "stop"])
    assert "followed by 'stop'" in plan.findings[0].message
    assert "rebound" in plan.findings[0].message
    assert plan.findings[0].sources == [
        "article",
        "endocrine-2019",
        "label-prolia",
        "ects-2021",
        "ects-2021-abstract",
        "dst-trial",
        "raloxifene-after-denosumab",
    ]


def test_anabolic_not_followed_by_an_antiresorptive() -> None:
    assert rules("teriparatide:2y", "romosozumab:12m", "denosumab:1y", "alendronate:1y") == [("anabolic-follow-up", 0)]
    assert rules("denosumab:2y", "teriparatide:2y", "alendronate:2y") == [("must-follow", 0)]


def test_several_problems_in_step_order() -> None:
    assert rules("denosumab:2y", "teriparatide:18m", "abaloparatide:12m") == [
        ("must-follow", 0),
        ("limit", 2),
        ("must-follow", 2),
    ]
    assert rules("teriparatide:18m", "abaloparatide:12m") == [
        ("limit", 1),
        ("must-follow", 1),
    ]


def test_durations_in_months_years_and_doses() -> None:
    plan = build(KB, ["romosozumab:12doses", "denosumab:1.5y", "zoledronic acid:2doses"])
    assert [s.months for s in plan.steps] == [Decimal(12), Decimal(18), Decimal(24)]
    assert [s.start for s in plan.steps] == [Decimal(0), Decimal(12), Decimal(30)]
    assert plan.steps[1].doses == Decimal(3)
    assert plan.months == Decimal(54)


@pytest.mark.parametrize(
    ("tokens", "message"),
    [
        (["romosozumab:abc"], "'abc' is not a duration"),
        (["unknown:3m"], "no drug or family called 'unknown'"),
        (["denosumab:-1y"], "the duration must be a positive number"),
        (["denosumab:0m"], "the duration must be a positive number"),
        (["denosumab"], "is not a step; write DRUG:DURATION"),
        (["alendronate:12doses"], "has more than one schedule"),
        (["bisphosphonates:2y"], "is a family; name one of its drugs"),
        (["denosumab:51y"], "longer than 50 years"),
        (["stop"], "at least one drug before 'stop'"),
        (["denosumab:1y", "stop", "alendronate:1y"], "'stop' can only be the last step"),
        ([], "give at least one step"),
    ],
)
def test_bad_steps(tokens: list[str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        build(KB, tokens)


STEPS = st.tuples(
    st.sampled_from([a.id for a in KB.agents]),
    st.integers(min_value=1, max_value=60),
    st.sampled_from(["m", "y"]),
).map(lambda t: f"{t[0]}:{t[1]}{t[2]}")


@given(st.lists(STEPS, min_size=1, max_size=6), st.booleans())
def test_any_plan_of_real_drugs_is_checked_without_error(steps: list[str], stop: bool) -> None:
    try:
        plan = build(KB, [*steps, "stop"] if stop else steps)
    except UsageError as exc:  # only the 50-year bound can refuse these
        assert "longer than 50 years" in str(exc)
        return
    assert plan.months > 0
    assert all(0 <= f.step < len(plan.steps) for f in plan.findings)
    assert [f.step for f in plan.findings] == sorted(f.step for f in plan.findings)
    last = plan.steps[-1]
    if last.agent.stopping.must_be_followed:
        assert any(f.rule == "must-follow" and f.step == len(plan.steps) - 1 for f in plan.findings)


def test_timeline_figure_exact_text() -> None:
    from osteo_cli.views.figures import timeline

    plan = build(KB, ["romosozumab:12m", "denosumab:2y", "stop"])
    assert timeline(plan) == [
        "Romosozumab  ████████████████",
        "Denosumab                    ████████████████████████████████",
        "stop                                                         ■",
        "             0y              1y              2y              3y",
    ]


def test_a_gap_after_denosumab_makes_the_follow_on_late() -> None:
    """Review N-I2: the follow-on is due 6 months after the last injection; 7 is the latest."""
    assert rules("denosumab:2y", "gap:1m", "zoledronic-acid:1y", "stop") == []
    assert rules("denosumab:2y", "gap:6m", "zoledronic-acid:1y", "stop") == [("late-follow-on", 0)]
    plan = build(KB, ["denosumab:2y", "gap:6m", "zoledronic-acid:1y", "stop"])
    assert plan.problems and "12 months after the last Denosumab dose" in plan.problems[0].message
    assert plan.steps[1].gap == 6 and plan.steps[1].start == 30
    # a delayed restart of denosumab itself is late too
    assert rules("denosumab:1y", "gap:3m", "denosumab:1y", "alendronate:1y") == [("late-follow-on", 0)]
    # ... and says so: a delayed injection, not a late follow-on bisphosphonate
    restart = build(KB, ["denosumab:1y", "gap:3m", "denosumab:1y", "alendronate:1y"]).problems[0].message
    assert "Denosumab starts again 9 months after its last dose" in restart
    assert "4 weeks late" in restart and "follow-on" not in restart
    assert "follow-on bisphosphonate" in plan.problems[0].message


def test_gap_steps_are_checked() -> None:
    for bad in ("gap:", "gap:0m", "gap:3doses", "gap:x"):
        with pytest.raises(UsageError):
            build(KB, ["denosumab:2y", bad, "alendronate:1y"])
    with pytest.raises(UsageError):
        build(KB, ["gap:3m"])


def test_whole_doses_and_time_since_the_last_one() -> None:
    """Review N-S2: 27 months of a 6-monthly injection is 5 injections, the last at month 24."""
    step = build(KB, ["denosumab:27m", "zoledronic-acid:1y", "stop"]).steps[0]
    assert step.whole_doses == 5
    assert step.since_last_dose == 3


def test_long_denosumab_use_is_a_caution_about_the_follow_on() -> None:
    """Review N-I1: after long use the follow-on protects only partly."""
    plan = build(KB, ["denosumab:10y", "alendronate:1y", "stop"])
    assert [(f.rule, f.severity) for f in plan.findings] == [("long-use", "caution")]
    assert "dst-trial" in plan.findings[0].sources


def test_anabolic_after_anabolic_is_a_caution_not_a_problem() -> None:
    """Review N-I6: romosozumab and a PTH analog in either order."""
    for plan in (
        ["teriparatide:18m", "romosozumab:12m", "alendronate:2y"],
        ["romosozumab:12m", "teriparatide:18m", "alendronate:2y"],
    ):
        found = build(KB, plan).findings
        assert [(f.rule, f.severity) for f in found] == [("anabolic-follow-up", "caution")]


def test_a_very_short_anabolic_course_is_a_caution_with_the_usual_length() -> None:
    found = build(KB, ["teriparatide:3m", "alendronate:2y", "stop"]).findings
    assert [(f.rule, f.severity) for f in found] == [("short-course", "caution")]
    assert "usual course of 24 months" in found[0].message
