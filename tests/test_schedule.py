"""`osteo schedule`: due dates, each missed-dose rule and its edges, courses, and every format.

The pure module is tested with regimens built here; the command runs on the shipped
knowledge base, whose `missed_doses` rules are real content. Two things the real data
does not have (a regimen whose rule is `none`, and a medicine with no missed-dose rule at
all) are tested on a copy of the shipped file with just those agents' `missed_doses`
overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject
from helpers import invoke, shipped_data, write_yaml

from osteo_cli.errors import UsageError
from osteo_cli.knowledge.models import Interval, Limit, MissedDose, MissedRule
from osteo_cli.queries import schedule as ds

D = dt.date
WEEK, DAY, MONTH, YEAR = Interval(1, "week"), Interval(1, "day"), Interval(1, "month"), Interval(1, "year")


def regimen(
    rule: MissedRule, interval: Interval, window: int | None = None, doses: int = 1, regimen_id: str = "r"
) -> MissedDose:
    return MissedDose(regimen_id, "a regimen", interval, rule, "what the label says", ["src"], window, doses)


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2027, 1, 31), 1, D(2027, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # a leap year
        (D(2027, 1, 31), 2, D(2027, 3, 31)),  # counted from the anchor, not from 28 February
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2027, 3, 31), -1, D(2027, 2, 28)),
    ],
)
def test_months_clamp_to_the_month_end(day: dt.date, months: int, expected: dt.date) -> None:
    assert ds.add_months(day, months) == expected


def test_a_leap_day_plus_a_year_is_the_end_of_february() -> None:
    assert ds.shift(D(2028, 2, 29), YEAR, 1) == D(2029, 2, 28)
    assert ds.shift(D(2028, 2, 29), YEAR, 4) == D(2032, 2, 29)
    assert ds.series(D(2027, 1, 31), MONTH, 1, 3) == (D(2027, 2, 28), D(2027, 3, 31), D(2027, 4, 30))


@pytest.mark.parametrize("text", ["2026-02-30", "2026-5-1", "20261124", "2026-W48-2", "", "tomorrow", "2026-13-01"])
def test_bad_dates_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        ds.parse_day(text, "--last")


@pytest.mark.parametrize("text", ["1899-12-31", "2200-01-01", "9999-12-31"])
def test_dates_out_of_range_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError, match="between 1900 and 2199"):
        ds.parse_day(text, "--today")


def test_dates_past_the_calendar_are_usage_errors() -> None:
    centuries = regimen("none", Interval(365, "year"))
    with pytest.raises(UsageError, match="past the year 9999"):
        ds.plan(centuries, D(2026, 1, 1), D(2026, 1, 2), 60)


def test_the_last_dose_cannot_be_after_today() -> None:
    with pytest.raises(UsageError, match="after today"):
        ds.plan(regimen("skip", DAY), D(2026, 11, 25), D(2026, 11, 24), 3)


# --- weekly, next-morning ----------------------------------------------------------------------

WEEKLY = regimen("next-morning", WEEK)
MONDAY = D(2026, 11, 16)


def test_weekly_not_yet_due() -> None:
    s = ds.plan(WEEKLY, MONDAY, D(2026, 11, 20), 3)
    assert (s.status, s.decision, s.days_until, s.due) == ("not-due", "wait", 3, D(2026, 11, 23))
    assert s.upcoming == (D(2026, 11, 23), D(2026, 11, 30), D(2026, 12, 7))


def test_weekly_on_time() -> None:
    s = ds.plan(WEEKLY, MONDAY, D(2026, 11, 23), 2)
    assert (s.status, s.decision, s.make_up) == ("due-today", "due", ())
    assert s.upcoming == (D(2026, 11, 23), D(2026, 11, 30))


def test_weekly_a_day_late_is_taken_the_next_morning_then_back_to_monday() -> None:
    s = ds.plan(WEEKLY, MONDAY, D(2026, 11, 24), 3)
    assert (s.status, s.days_late, s.decision) == ("late", 1, "make-up")
    assert s.make_up == (D(2026, 11, 25),)
    assert s.upcoming == (D(2026, 11, 30), D(2026, 12, 7), D(2026, 12, 14))
    assert all(d.weekday() == 0 for d in s.upcoming)


def test_weekly_never_two_on_one_day() -> None:
    # Remembered on Sunday: the next morning is the usual Monday, so that dose is the one.
    s = ds.plan(WEEKLY, MONDAY, D(2026, 11, 29), 3)
    assert (s.decision, s.make_up, s.upcoming[0]) == ("skip", (), D(2026, 11, 30))
    # Remembered on the usual day itself: today's dose only.
    s = ds.plan(WEEKLY, MONDAY, D(2026, 11, 30), 3)
    assert (s.decision, s.upcoming[0], s.missed) == ("skip", D(2026, 11, 30), 1)


def test_weekly_several_weeks_missed() -> None:
    s = ds.plan(WEEKLY, MONDAY, D(2026, 12, 9), 1)
    assert (s.days_late, s.missed, s.decision) == (16, 3, "make-up")
    assert s.make_up == (D(2026, 12, 10),) and s.upcoming == (D(2026, 12, 14),)


# --- daily, skip; same-day; unless-near-next; none -------------------------------------------------


def test_daily_skip() -> None:
    s = ds.plan(regimen("skip", DAY), D(2026, 11, 20), D(2026, 11, 22), 2)
    assert (s.status, s.days_late, s.decision, s.make_up) == ("late", 1, "skip", ())
    assert s.upcoming == (D(2026, 11, 22), D(2026, 11, 23))
    on_time = ds.plan(regimen("skip", DAY), D(2026, 11, 20), D(2026, 11, 21), 1)
    assert on_time.decision == "due"


def test_same_day() -> None:
    rule = regimen("same-day", DAY)
    assert ds.plan(rule, D(2026, 11, 20), D(2026, 11, 21), 1).decision == "due"
    late = ds.plan(rule, D(2026, 11, 20), D(2026, 11, 23), 1)
    assert (late.decision, late.missed, late.upcoming) == ("skip", 2, (D(2026, 11, 23),))


def test_unless_near_next() -> None:
    weekly = regimen("unless-near-next", WEEK, window=2)
    far = ds.plan(weekly, MONDAY, D(2026, 11, 25), 1)  # next on the 30th, 5 days away
    assert (far.decision, far.make_up) == ("make-up", (D(2026, 11, 25),))
    near = ds.plan(weekly, MONDAY, D(2026, 11, 28), 1)  # 2 days away
    assert near.decision == "skip"
    unsure = ds.plan(regimen("unless-near-next", WEEK), MONDAY, D(2026, 11, 25), 1)
    assert unsure.decision == "check"


def test_no_rule_says_check() -> None:
    s = ds.plan(regimen("none", YEAR), D(2025, 3, 1), D(2026, 4, 1), 2)
    assert (s.status, s.decision, s.upcoming) == ("late", "check", (D(2027, 3, 1), D(2028, 3, 1)))


# --- monthly, window ---------------------------------------------------------------------------

MONTHLY = regimen("window", MONTH, window=7)


def test_monthly_on_time_and_a_few_days_late() -> None:
    assert ds.plan(MONTHLY, D(2026, 1, 15), D(2026, 2, 15), 1).decision == "due"
    s = ds.plan(MONTHLY, D(2026, 1, 15), D(2026, 2, 18), 2)
    assert (s.days_late, s.decision, s.make_up) == (3, "make-up", (D(2026, 2, 19),))
    assert s.upcoming == (D(2026, 3, 15), D(2026, 4, 15))


@pytest.mark.parametrize(
    ("today", "away", "decision"),
    [
        (D(2026, 3, 7), 8, "make-up"),  # more than 7 days to the next: take it the next morning
        (D(2026, 3, 8), 7, "skip"),  # exactly 7: wait for the next one
        (D(2026, 3, 10), 5, "skip"),  # past the window
    ],
)
def test_monthly_seven_day_rule_on_both_sides(today: dt.date, away: int, decision: str) -> None:
    s = ds.plan(MONTHLY, D(2026, 1, 15), today, 1)
    assert (s.next_days_away, s.decision) == (away, decision)
    assert s.upcoming == (D(2026, 3, 15),)
    if decision == "make-up":
        assert s.make_up == (today + dt.timedelta(days=1),)
        assert (s.upcoming[0] - s.make_up[0]).days >= 7


def test_two_days_a_month() -> None:
    two = regimen("window", MONTH, window=7, doses=2)
    s = ds.plan(two, D(2026, 1, 10), D(2026, 2, 12), 2)
    assert s.make_up == (D(2026, 2, 13), D(2026, 2, 14))
    assert s.upcoming == (D(2026, 3, 10), D(2026, 4, 10))
    assert ds.plan(two, D(2026, 1, 10), D(2026, 3, 3), 1).decision == "skip"  # 7 days to 10 March
    assert ds.plan(two, D(2026, 1, 10), D(2026, 3, 2), 1).decision == "make-up"  # 8 days


def test_monthly_from_a_month_end() -> None:
    s = ds.plan(MONTHLY, D(2027, 1, 31), D(2027, 2, 28), 3)
    assert (s.due, s.decision) == (D(2027, 2, 28), "due")
    assert s.upcoming == (D(2027, 2, 28), D(2027, 3, 31), D(2027, 4, 30))


# --- injections, reset ---------------------------------------------------------------------------

SIX_MONTHLY = regimen("reset", Interval(6, "month"))


def test_reset_counts_from_today() -> None:
    s = ds.plan(SIX_MONTHLY, D(2026, 5, 10), D(2026, 11, 25), 3)
    assert (s.status, s.days_late, s.decision, s.reset) == ("late", 15, "reset", True)
    assert s.make_up == (D(2026, 11, 25),)
    assert s.upcoming == (D(2027, 5, 25), D(2027, 11, 25), D(2028, 5, 25))


def test_reset_on_time_keeps_the_schedule() -> None:
    s = ds.plan(SIX_MONTHLY, D(2026, 5, 10), D(2026, 11, 10), 2)
    assert (s.decision, s.reset, s.upcoming) == ("due", False, (D(2026, 11, 10), D(2027, 5, 10)))


def test_reset_from_a_month_end_and_a_leap_day() -> None:
    s = ds.plan(regimen("reset", MONTH), D(2027, 12, 15), D(2028, 1, 31), 2)
    assert s.upcoming == (D(2028, 2, 29), D(2028, 3, 31))
    yearly = ds.plan(regimen("none", YEAR), D(2028, 2, 29), D(2028, 6, 1), 2)
    assert (yearly.due, yearly.upcoming) == (D(2029, 2, 28), (D(2029, 2, 28), D(2030, 2, 28)))


# --- courses -----------------------------------------------------------------------------------------


def test_a_course_in_doses() -> None:
    s = ds.plan(regimen("reset", MONTH), D(2026, 5, 10), D(2026, 6, 1), 3)
    c = ds.course(Limit(12, "doses", "g"), s, D(2026, 1, 10))
    assert (c.used, c.left, c.ends, c.reached) == (5, 7, D(2026, 12, 10), False)
    late = ds.plan(regimen("reset", MONTH), D(2026, 5, 10), D(2026, 6, 20), 3)
    c = ds.course(Limit(12, "doses", "g"), late, D(2026, 1, 10))
    assert (c.used, c.left, c.ends) == (5, 7, D(2026, 12, 20))  # the late dose today, then monthly from it
    done = ds.plan(regimen("reset", MONTH), D(2026, 12, 10), D(2026, 12, 20), 3)
    assert ds.course(Limit(12, "doses", "g"), done, D(2026, 1, 10))[3:] == (0, D(2026, 12, 10), True)


def test_a_course_in_months() -> None:
    s = ds.plan(regimen("same-day", DAY), D(2026, 5, 10), D(2026, 5, 11), 1)
    c = ds.course(Limit(24, "months", "g"), s, D(2025, 1, 31))
    assert (c.used, c.left, c.ends, c.reached) == (15, 9, D(2027, 1, 31), False)
    later = ds.plan(regimen("same-day", DAY), D(2027, 2, 1), D(2027, 2, 1), 1)
    assert ds.course(Limit(24, "months", "g"), later, D(2025, 1, 31)).reached


def test_started_after_the_last_dose() -> None:
    s = ds.plan(WEEKLY, MONDAY, MONDAY, 1)
    with pytest.raises(UsageError, match="after the last dose"):
        ds.course(Limit(12, "doses", "g"), s, D(2026, 12, 1))


# --- the command, on the shipped knowledge base ------------------------------------------------------


def run(*args: str) -> Any:
    return invoke("schedule", *args)


@pytest.fixture(scope="module")
def kb_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped file, with zoledronic acid's rule made `none` and raloxifene's rules removed."""
    raw = shipped_data()
    agents = {a["id"]: a for a in raw["agents"]}
    agents["zoledronic-acid"]["missed_doses"] = [
        {
            "regimen": "yearly",
            "name": "5 mg once a year",
            "interval": {"every": 1, "unit": "year"},
            "rule": "none",
            "text": "Placeholder words for a regimen whose label gives no rule.",
            "sources": ["label-reclast"],
        }
    ]
    del agents["raloxifene"]["missed_doses"]
    path = tmp_path_factory.mktemp("kb") / "medications.yaml"
    return write_yaml(path, raw)


def test_prolia_late() -> None:
    # the example: late, what to do now, and why a late dose matters
    result = run("prolia", "--last", "2026-05-10", "--today", "2026-11-25")
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "Prolia is a brand of Denosumab" in out
    assert "late by 15 days: it was due on 2026-11-10 (Tuesday)" in out
    assert "Give the missed dose as soon as possible (today, if it can be)" in out
    assert "A missed injection is given as soon as possible." in out  # the label's rule, from the data
    assert "next on 2027-05-25 (Tuesday), 2027-11-25 (Thursday)" in out  # counted from today
    assert "Why a late dose matters" in out and "rapid rebound in bone loss" in out
    assert "several spine fractures" in out and "It must be followed by a bisphosphonate." in out
    assert "label-prolia" in out and "endocrine-2019" in out
    assert "Reference only, not medical advice." in result.stderr
    payload = json.loads(run("prolia", "--last", "2026-05-10", "--today", "2026-11-25", "-f", "json").stdout)
    assert (payload["status"], payload["days_late"], payload["decision"]) == ("late", 15, "reset")
    assert payload["make_up"] == ["2026-11-25"] and payload["upcoming"][0] == "2027-05-25"
    assert payload["regimen"]["id"] == "every-6-months" and payload["regimen"]["rule"] == "reset"
    assert [f["id"] for f in payload["late_risk"]["followed_by"]] == ["bisphosphonates"]


def test_prolia_on_time_says_nothing_of_risk() -> None:
    result = run("prolia", "--last", "2026-05-10", "--today", "2026-11-01")
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    assert "not yet due: due on 2026-11-10 (Tuesday), in 9 days" in out
    assert "Why a late dose matters" not in out


def test_alendronate_weekly_late() -> None:
    # the example: the missed-tablet rule
    result = run("alendronate", "--regimen", "weekly", "--last", "2026-11-16", "--today", "2026-11-24")
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    assert "late by 1 day" in out
    assert "Take the missed dose the morning of 2026-11-25 (Wednesday)" in out
    assert "next on 2026-11-30 (Monday)" in out
    assert "Take the missed tablet on the morning after you remember. Never take two tablets on the same day." in out
    assert "label-fosamax" in out
    assert "Why a late dose matters" not in out  # alendronate need not be followed


def test_alendronate_daily_skip_carries_its_confidence() -> None:
    result = run("alendronate", "-r", "daily", "--last", "2026-11-20", "--today", "2026-11-22", "-f", "json")
    payload = json.loads(result.stdout)
    assert (payload["status"], payload["days_late"], payload["decision"], payload["make_up"]) == (
        "late",
        1,
        "skip",
        [],
    )
    assert payload["regimen"]["confidence"] == "medium"
    table = run("alendronate", "-r", "daily", "--last", "2026-11-20", "--today", "2026-11-22")
    assert "(medium confidence)" in table.stdout


def test_risedronate_seven_day_rule() -> None:
    args = ["risedronate", "-r", "monthly", "--last", "2026-01-15", "-f", "json"]
    take = json.loads(run(*args, "--today", "2026-03-07").stdout)
    wait = json.loads(run(*args, "--today", "2026-03-08").stdout)
    assert (take["decision"], take["make_up"], take["next_scheduled_days_away"]) == ("make-up", ["2026-03-08"], 8)
    assert (wait["decision"], wait["make_up"], wait["next_scheduled_days_away"]) == ("skip", [], 7)
    past = json.loads(run(*args, "--today", "2026-03-10").stdout)
    assert (past["decision"], past["make_up"], past["upcoming"][0]) == ("skip", [], "2026-03-15")
    two = run("risedronate", "-r", "two-days-monthly", "--last", "2026-01-10", "--today", "2026-02-12")
    out = " ".join(two.stdout.split())
    assert "morning of 2026-02-13 (Friday) and 2026-02-14 (Saturday)" in out and "dose 2 of 2" in out
    assert "26 days away, more than the label's 7 days" in out


def test_raloxifene_unless_near_next_daily() -> None:
    # a daily tablet a day late: the next one is due today, so the missed one is left out
    result = run("raloxifene", "--last", "2026-11-20", "--today", "2026-11-22", "-f", "json")
    payload = json.loads(result.stdout)
    assert (payload["regimen"]["rule"], payload["regimen"]["window_days"]) == ("unless-near-next", None)
    assert (payload["status"], payload["decision"], payload["make_up"]) == ("late", "skip", [])
    assert payload["upcoming"][0] == "2026-11-22"
    table = " ".join(run("raloxifene", "--last", "2026-11-20", "--today", "2026-11-22").stdout.split())
    assert "Leave the missed dose out: the next one is due today, so take that one only." in table


def test_forteo_same_day() -> None:
    on_time = json.loads(run("forteo", "--last", "2026-05-10", "--today", "2026-05-11", "-f", "json").stdout)
    late = json.loads(run("forteo", "--last", "2026-05-10", "--today", "2026-05-13", "-f", "json").stdout)
    assert (on_time["regimen"]["rule"], on_time["decision"]) == ("same-day", "due")
    assert (late["decision"], late["missed"], late["upcoming"][0]) == ("skip", 2, "2026-05-13")


def test_several_regimens_need_a_choice() -> None:
    result = run("alendronate", "--last", "2026-11-16")
    assert result.exit_code == 2
    assert "'weekly'" in result.stderr and "'daily'" in result.stderr and "--regimen" in result.stderr
    assert run("alendronate", "-r", "monthly", "--last", "2026-11-16").exit_code == 2


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["bisphosphonates", "--last", "2026-01-01"], 2, "is a family"),
        (["prolia", "--last", "2026-02-30"], 2, "YYYY-MM-DD"),
        (["prolia", "--last", "2026-01-01", "--today", "01/02/2026"], 2, "YYYY-MM-DD"),
        (["prolia", "--last", "2026-03-01", "--today", "2026-02-01"], 2, "after today"),
        (["prolia", "--last", "2026-01-01", "--count", "0"], 2, "--count"),
        (["prolia", "--last", "2026-01-01", "--count", "61"], 2, "--count"),
        (["nosuchdrug", "--last", "2026-01-01"], 2, "no drug or family"),
    ],
)
def test_errors_are_one_line(args: list[str], code: int, message: str) -> None:
    result = run(*args)
    assert result.exit_code == code
    assert message in result.stderr and result.stderr.count("\n") == 1 and result.stdout == ""


def test_a_medicine_without_rules_says_so(kb_path: Path) -> None:
    result = invoke("schedule", "raloxifene", "--last", "2026-01-01", "--data", str(kb_path))
    assert result.exit_code == 1 and result.stdout == ""
    assert "no schedule or missed-dose rule for Raloxifene" in result.stderr and result.stderr.count("\n") == 1


def test_every_shipped_medicine_has_a_rule() -> None:
    for agent in ("alendronate", "risedronate", "ibandronate", "zoledronic-acid", "denosumab", "teriparatide"):
        regimens = ["-r", "monthly"] if agent in ("risedronate", "ibandronate") else []
        if agent == "alendronate":
            regimens = ["-r", "weekly"]
        if agent == "zoledronic-acid":
            regimens = ["-r", "yearly"]
        result = run(agent, *regimens, "--last", "2026-01-01", "--today", "2026-01-02")
        assert result.exit_code == 0, (agent, result.stderr)
    for agent in ("abaloparatide", "romosozumab", "raloxifene", "conjugated-estrogens", "estradiol"):
        assert run(agent, "--last", "2026-01-01", "--today", "2026-01-02").exit_code == 0, agent


def test_json_shape() -> None:
    result = run("evenity", "--last", "2026-05-10", "--today", "2026-06-20", "--started", "2026-01-10", "-f", "json")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["agent"] == {"id": "romosozumab", "name": "Romosozumab"}
    assert payload["regimen"]["id"] == "monthly" and payload["regimen"]["interval"] == {"every": 1, "unit": "month"}
    assert (payload["status"], payload["days_late"], payload["decision"]) == ("late", 10, "reset")
    assert payload["make_up"] == ["2026-06-20"] and payload["upcoming"][0] == "2026-07-20"
    assert payload["late_risk"]["followed_by"][0]["id"] == "rankl-inhibitors"
    course = payload["course"]
    assert (course["used"], course["left"], course["ends"], course["reached"]) == (5, 7, "2026-12-20", False)
    assert course["limit"] == {"amount": 12, "unit": "doses", "group": "romosozumab", "severity": "problem"}
    assert {s["id"] for s in payload["sources"]} >= {"label-evenity", "article"}
    assert payload["custom_data"] is False


def test_course_in_months_and_a_medicine_without_a_limit() -> None:
    result = run("forteo", "--last", "2026-05-10", "--today", "2026-05-11", "--started", "2025-01-10")
    out = " ".join(result.stdout.split())
    assert "16 months of 24" in out and "2027-01-10" in out and "Teriparatide and Abaloparatide" in out
    assert "Then A bisphosphonate or a RANKL inhibitor." in out
    none = run("prolia", "--last", "2026-05-10", "--today", "2026-06-01", "--started", "2020-01-01")
    assert "no fixed course limit" in none.stdout


def test_markdown() -> None:
    result = run("zoledronic acid", "-r", "yearly", "--last", "2028-02-29", "--today", "2029-03-05", "-f", "markdown")
    assert result.exit_code == 0
    md = result.stdout
    assert md.startswith("## Zoledronic acid: 5 mg infusion once a year")
    assert "| **Status** | late by 5 days: it was due on 2029-02-28 (Wednesday) |" in md
    assert "next on 2030-03-05 (Tuesday)" in md  # reset: counted from today
    assert "The label gives no rule for a missed infusion" in md and "(medium confidence)" in md
    assert "### Next doses" in md
    assert md.rstrip().endswith("(" + str(shipped_data()["last_reviewed"]) + ")._")


def test_markdown_for_a_rule_of_none_on_custom_data(kb_path: Path) -> None:
    result = invoke(
        "schedule", "zoledronic acid", "--last", "2028-02-29", "--today", "2029-03-05", "-f", "markdown",
        "--data", str(kb_path),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    md = result.stdout
    assert md.startswith("## Zoledronic acid: 5 mg once a year")
    assert "| **Status** | late by 5 days: it was due on 2029-02-28 (Wednesday) |" in md
    assert "gives no rule" in md and "### Next doses" in md
    assert "2030-02-28" in md  # not reset: the yearly schedule keeps its day, clamped to February
    assert md.rstrip().endswith("not the shipped, reviewed one._")


# --- iCalendar ---------------------------------------------------------------------------------------


def ics(*args: str) -> str:
    result = run(*args, "--format", "ics")
    assert result.exit_code == 0, result.stderr
    data: bytes = result.stdout_bytes  # as written: Click's `stdout` turns CRLF into LF
    return data.decode("utf-8")


def test_ics_parsed_by_icalendar() -> None:
    text = ics("prolia", "--last", "2026-05-10", "--today", "2026-11-25")
    assert "\r\n" in text and all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    cal = icalendar.Calendar.from_ical(text)
    assert str(cal["PRODID"]).startswith("-//osteo//")
    events = cal.walk("VEVENT")
    assert [e.decoded("DTSTART") for e in events] == [D(2026, 11, 25), D(2027, 5, 25)]
    missed, regular = events
    assert "RRULE" not in missed
    rrule = regular["RRULE"]
    assert isinstance(rrule, icalendar.vRecur)
    assert dict(rrule) == {"FREQ": ["MONTHLY"], "INTERVAL": [6], "COUNT": [3]}
    for event in events:
        description = str(event["DESCRIPTION"])
        assert "Denosumab" in str(event["SUMMARY"])
        assert "A missed injection is given as soon as possible." in description
        assert "Reference only, not medical advice." in description and "rebound in bone loss" in description
    assert str(missed["UID"]) == "denosumab-every-6-months-missed@osteo"


def test_ics_parsed_by_vobject_and_the_recurrence_matches() -> None:
    text = ics("alendronate", "-r", "weekly", "--last", "2026-11-16", "--today", "2026-11-24", "-n", "4")
    cal = vobject.readOne(text)
    events = list(cal.vevent_list)
    assert events[0].dtstart.value == D(2026, 11, 25) and not hasattr(events[0], "rrule")
    recurring = [d.date() for d in events[1].getrruleset()]
    assert recurring == [D(2026, 11, 30), D(2026, 12, 7), D(2026, 12, 14), D(2026, 12, 21)]
    assert "morning" not in events[1].summary.value and "Alendronate" in events[1].summary.value
    assert "Take the missed tablet on the morning after you remember." in events[1].description.value


def test_ics_month_end_is_listed_date_by_date() -> None:
    text = ics("risedronate", "-r", "monthly", "--last", "2027-01-31", "--today", "2027-02-01", "-n", "3")
    (event,) = list(vobject.readOne(text).vevent_list)
    assert not hasattr(event, "rrule")  # the dates are listed (RDATE): an RRULE would skip them
    assert [d.date() for d in event.getrruleset()] == [D(2027, 2, 28), D(2027, 3, 31), D(2027, 4, 30)]
    cal = icalendar.Calendar.from_ical(text)
    assert [str(e["UID"]) for e in cal.walk("VEVENT")] == ["risedronate-monthly@osteo"]


def test_ics_two_day_sets_span_two_days() -> None:
    text = ics("risedronate", "-r", "two-days-monthly", "--last", "2026-01-10", "--today", "2026-01-20", "-n", "2")
    event = vobject.readOne(text).vevent
    assert (event.dtstart.value, event.dtend.value) == (D(2026, 2, 10), D(2026, 2, 12))


def test_ics_is_stable_so_reimport_does_not_duplicate() -> None:
    args = ("prolia", "--last", "2026-05-10", "--today", "2026-11-25")
    assert ics(*args) == ics(*args)


def test_no_dose_is_scheduled_past_a_course_limit_in_doses() -> None:
    # Twelve romosozumab doses from 2025-12-20: the last was given on 2026-11-20.
    args = ["romosozumab", "--last", "2026-11-20", "--started", "2025-12-20", "--today", "2026-11-25"]
    payload = json.loads(invoke("schedule", *args, "-f", "json").stdout)
    assert payload["decision"] == "course-done"
    assert payload["upcoming"] == [] and payload["make_up"] == []
    assert payload["course"]["left"] == 0
    ics = invoke("schedule", *args, "-f", "ics").stdout
    assert "BEGIN:VEVENT" not in ics


def test_a_course_with_doses_left_schedules_only_those() -> None:
    # Started 2026-01-01, last 2026-10-01: 10 given, 2 left (the missed one and one more).
    args = ["romosozumab", "--last", "2026-10-01", "--started", "2026-01-01", "--today", "2026-11-25"]
    payload = json.loads(invoke("schedule", *args, "--count", "5", "-f", "json").stdout)
    assert payload["course"]["left"] == 2
    assert len(payload["make_up"]) + len(payload["upcoming"]) == 2
    ics = invoke("schedule", *args, "--count", "5", "-f", "ics").stdout
    starts = [line for line in ics.splitlines() if line.startswith("DTSTART")]
    assert starts == ["DTSTART;VALUE=DATE:20261125", "DTSTART;VALUE=DATE:20261225"]
    assert "RRULE" not in ics


def test_teriparatide_past_24_months_is_left_to_the_prescriber() -> None:
    args = ["teriparatide", "--last", "2026-11-24", "--started", "2024-10-01", "--today", "2026-11-25"]
    result = invoke("schedule", *args, env={"COLUMNS": "200"})
    text = " ".join(result.stdout.split())
    assert "Past the usual 24 months, so no more doses are scheduled here" in text
    assert "Take today's dose as usual" not in text


def test_zoledronic_acid_prevention_is_every_two_years() -> None:
    """Review N-I5: a prevention patient is not late after one year; with no regimen, osteo asks."""
    asked = run("reclast", "--last", "2025-10-01", "--today", "2026-12-07")
    assert asked.exit_code == 2 and "'prevention'" in asked.stderr and "'yearly'" in asked.stderr
    result = run("reclast", "-r", "prevention", "--last", "2025-10-01", "--today", "2026-12-07", "-f", "json")
    payload = json.loads(result.stdout)
    assert payload["status"] == "not-due" and payload["due"] == "2027-10-01"


def test_a_late_denosumab_dose_says_what_to_do() -> None:
    """Review N-O4: months late, contact the prescriber; the advice grows with the delay."""
    payload = json.loads(run("denosumab", "--last", "2025-10-01", "--today", "2026-12-07", "-f", "json").stdout)
    advice = payload["late_advice"]
    assert advice["after_days"] == 113 and "Contact the prescriber" in advice["text"]
    assert "calcium is checked" in advice["text"]
    days = json.loads(run("prolia", "--last", "2026-01-01", "--today", "2026-07-20", "-f", "json").stdout)
    assert days["late_advice"]["after_days"] == 1 and "not be more than 4 weeks late" in days["late_advice"]["text"]
    weeks = json.loads(run("prolia", "--last", "2026-01-01", "--today", "2026-08-05", "-f", "json").stdout)
    assert weeks["late_advice"]["after_days"] == 29
    on_time = json.loads(run("prolia", "--last", "2026-01-01", "--today", "2026-06-20", "-f", "json").stdout)
    assert on_time["late_advice"] is None


def test_denosumab_16_weeks_is_the_boundary() -> None:
    """Exactly 112 days (16 weeks) late still has the 4-week advice; 113 days has the 16-week advice."""
    due = dt.date(2026, 7, 1)  # 6 months after 2026-01-01
    for late, after_days, phrase in ((112, 29, "More than 4 weeks late"), (113, 113, "More than 16 weeks late")):
        today = (due + dt.timedelta(days=late)).isoformat()
        payload = json.loads(run("prolia", "--last", "2026-01-01", "--today", today, "-f", "json").stdout)
        assert payload["due"] == due.isoformat()
        assert payload["late_advice"]["after_days"] == after_days, late
        assert payload["late_advice"]["text"].startswith(phrase), late


def test_romosozumab_course_complete_status() -> None:
    """Review N-S3."""
    out = run("romosozumab", "--last", "2026-11-30", "--today", "2026-12-07", "--started", "2025-12-30").stdout
    assert "course complete" in out and "not yet due" not in out
