"""The reliability review of December 2026 (shared/reviews/reliability-2026-12.md), outside the
cache: each reproduction, as a test that failed before its fix. Ids are the review's."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from helpers import invoke
from hypothesis import given
from hypothesis import strategies as st

from osteo_cli.queries.numbers import plain_decimal

# --- W4, U2: check reads a number once, exactly, and bounded ---------------------------


@pytest.mark.parametrize(
    "typed",
    ["34.99999999999999999999999", "3_4", "1E+1", "1e1", "35.001", "nan", "inf", "-inf", "1e309", "0E-999999999"],
)
def test_a_number_more_precise_than_can_be_judged_is_refused(typed: str) -> None:
    from osteo_cli.errors import UsageError
    from osteo_cli.queries.check import parse_measure

    with pytest.raises(UsageError, match="at most 2 decimal places"):
        parse_measure(typed, "crcl")


def test_check_refuses_a_number_it_cannot_judge_exactly() -> None:
    result = invoke("check", "alendronate", "--crcl", "34.99999999999999999999999", "-f", "json")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "at most 2 decimal places" in result.stderr


@pytest.mark.parametrize(("typed", "shown"), [("34.99", 34.99), ("+35", 35)])
def test_check_shows_and_writes_the_value_it_judged(typed: str, shown: float) -> None:
    result = invoke("check", "alendronate", "--crcl", typed, "-f", "json")
    data = json.loads(result.stdout)
    assert data["input"]["crcl"] == shown
    verdict = data["results"][0]["verdict"]
    assert (verdict == "avoid") == (shown < 35)


def test_check_egfr_is_bounded_the_same_way() -> None:
    result = invoke("check", "--egfr", "2_9")
    assert result.exit_code == 2 and "--egfr '2_9'" in result.stderr


@given(st.decimals(min_value=1, max_value=200, places=2, allow_nan=False, allow_infinity=False))
def test_every_accepted_value_survives_json_digit_for_digit(value: Decimal) -> None:
    parsed = plain_decimal(str(value), whole=3, places=2)
    assert parsed == value
    assert Decimal(json.dumps(float(value))) == value


# --- U3: undecodable argv never reaches JSON as a lone surrogate ------------------------


def _strict_json(text: str) -> object:
    """Parsed as a strict (I-JSON) reader does: a lone surrogate escape is refused."""
    import re

    pairs = re.sub(r"\\ud[89ab][0-9a-f]{2}\\ud[c-f][0-9a-f]{2}", "", text, flags=re.IGNORECASE)
    assert not re.search(r"\\ud[89a-f][0-9a-f]{2}", pairs, re.IGNORECASE), "a lone surrogate in JSON"
    return json.loads(text)


@pytest.mark.parametrize(
    "args",
    [
        ("search", "bone\udcff"),
        ("check", "--takes", "calcium\udcff"),
        ("check", "--has", "\udcffpregnancy", "alendronate"),
    ],
)
def test_undecodable_argv_is_cleaned_to_u_fffd_in_json(args: tuple[str, ...]) -> None:
    result = invoke(*args, "-f", "json")
    assert result.stdout, result.stderr
    _strict_json(result.stdout)  # the condition resolves whatever the stray byte: nothing to clean there
    if args[1] != "--has":
        assert "\ufffd" in json.dumps(json.loads(result.stdout), ensure_ascii=False)


def test_a_character_beyond_the_bmp_stays_itself_in_json() -> None:
    from osteo_cli.render.output import to_json

    assert json.loads(to_json({"a": "\U0001f9b4 bone\udcff"})) == {"a": "\U0001f9b4 bone\ufffd"}


# --- U7: full-width and Turkish capitals resolve -----------------------------------------


@pytest.mark.parametrize("typed", ["İBANDRONATE", "ＩＢＡＮＤＲＯＮＡＴＥ", "ıbandronate", "Ｂｏｎｉｖａ"])
def test_names_are_nfkc_normalised_before_case_folding(typed: str) -> None:
    from osteo_cli.knowledge.names import normalize

    assert normalize(typed) in ("ibandronate", "boniva")


def test_a_full_width_name_resolves_on_the_command_line() -> None:
    result = invoke("drugs", "show", "ＩＢＡＮＤＲＯＮＡＴＥ", "--section", "dosing", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["agent"]["id"] == "ibandronate"


def test_check_vocabulary_is_nfkc_normalised_too() -> None:
    result = invoke("check", "alendronate", "--takes", "ＣＡＬＣＩＵＭ", "-f", "json")
    assert json.loads(result.stdout)["input"]["substances"][0]["matched"] == ["calcium"]


# --- U8: every repeatable option and argument has a bound, stated in its help ------------


def _repeatable() -> list[tuple[str, object]]:
    from helpers import command_paths
    from typer.main import get_command

    from osteo_cli.cli import app

    root = get_command(app)
    found: list[tuple[str, object]] = []
    for path in command_paths():
        command = root
        for part in path.split():
            command = command.commands[part]  # type: ignore[attr-defined]
        found += [(path, p) for p in command.params if getattr(p, "multiple", False) or p.nargs == -1]
    return found


def test_every_repeatable_option_and_argument_states_its_bound() -> None:
    unbounded = [
        f"{path} {param.name}"  # type: ignore[attr-defined]
        for path, param in _repeatable()
        if "at most" not in (getattr(param, "help", "") or "").lower()
    ]
    assert unbounded == []


def test_check_refuses_thousands_of_takes_at_once() -> None:
    takes = [arg for i in range(5000) for arg in ("--takes", f"x{i}")]
    result = invoke("check", "alendronate", *takes)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "osteo: error: give at most 20 medicines with --takes (5000 given)\n"


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--has", "x", *["alendronate"] * 21),
        ("check", *[a for _ in range(21) for a in ("--has", "pregnancy")]),
        ("evidence", *["denosumab"] * 21),
        ("drugs", "compare", *["denosumab"] * 13),
        ("drugs", "show", *["zoledronic"] * 9),
        ("drugs", "show", "alendronate", *[a for _ in range(21) for a in ("--section", "dosing")]),
        ("faq", *["bone"] * 17),
        ("sequence", *["denosumab:1y"] * 21),
        ("schedule", *["x"] * 9, "--last", "2026-01-01"),
    ],
)
def test_one_past_each_bound_is_a_usage_error(args: tuple[str, ...]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert "give at most" in result.stderr and result.stderr.count("\n") == 1


# --- U4, U5, N14: calendars that behave in calendar apps ----------------------------------


def _ics(*args: str) -> str:
    result = invoke("schedule", *args, "-f", "ics")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_a_used_up_course_is_an_error_that_says_why_not_an_empty_calendar() -> None:
    args = ("romosozumab", "--started", "2025-01-01", "--last", "2025-12-01", "--today", "2026-01-05", "-f", "ics")
    result = invoke("schedule", *args)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "course limit of 12 doses is used up" in result.stderr


def _import(store: dict[str, tuple[int, object]], text: str) -> None:
    """What a calendar app does on import: an event replaces the one with its UID, if newer."""
    import icalendar

    for event in icalendar.Calendar.from_ical(text).walk("VEVENT"):
        uid, sequence = str(event["UID"]), int(event.get("SEQUENCE", 0))
        if uid not in store or store[uid][0] <= sequence:
            store[uid] = (sequence, event)


def _days(store: dict[str, tuple[int, object]]) -> list[object]:
    import vobject

    days = []
    for _, event in store.values():
        wrapped = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{event.to_ical().decode()}END:VCALENDAR\r\n"  # type: ignore[attr-defined]
        component = vobject.readOne(wrapped).vevent
        days += (
            [d.date() for d in component.getrruleset()] if hasattr(component, "rrule") else [component.dtstart.value]
        )
    return sorted(days)


def test_importing_again_after_a_dose_updates_instead_of_duplicating() -> None:
    from datetime import date

    store: dict[str, tuple[int, object]] = {}
    _import(store, _ics("alendronate", "-r", "weekly", "--last", "2026-11-30", "--today", "2026-12-01"))
    _import(store, _ics("alendronate", "-r", "weekly", "--last", "2026-12-07", "--today", "2026-12-08"))
    assert _days(store) == [date(2026, 12, 14), date(2026, 12, 21), date(2026, 12, 28)]
    # and an older file imported last changes nothing
    _import(store, _ics("alendronate", "-r", "weekly", "--last", "2026-11-30", "--today", "2026-12-01"))
    assert _days(store)[0] == date(2026, 12, 14)


def test_a_month_end_series_keeps_one_uid_too() -> None:
    first = _ics("risedronate", "-r", "monthly", "--last", "2027-01-31", "--today", "2027-02-01")
    later = _ics("risedronate", "-r", "monthly", "--last", "2027-02-28", "--today", "2027-03-01")
    uids = [line for text in (first, later) for line in text.splitlines() if line.startswith("UID")]
    assert uids == ["UID:risedronate-monthly@osteo"] * 2


@pytest.mark.parametrize(
    ("remind", "trigger", "hours"), [((), "-PT6H", 6), (("--remind", "1d"), "-P1D", 24), (("--remind", "0"), "P0D", 0)]
)
def test_every_event_carries_a_reminder(remind: tuple[str, ...], trigger: str, hours: int) -> None:
    import datetime as dt

    import icalendar
    import vobject

    text = _ics("prolia", "--last", "2026-05-10", "--today", "2026-11-25", *remind)
    events = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert len(events) == 2
    for event in events:
        (alarm,) = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY" and "Denosumab" in str(alarm["DESCRIPTION"])
        assert alarm["TRIGGER"].to_ical() in (trigger, trigger.encode())
    parsed = vobject.readOne(text)  # a second parser reads the same reminders
    assert {-e.valarm.trigger.value for e in parsed.vevent_list} == {dt.timedelta(hours=hours)}


def test_no_reminder_when_asked_and_a_bad_lead_time_is_a_usage_error() -> None:
    assert "VALARM" not in _ics("prolia", "--last", "2026-05-10", "--remind", "none")
    for bad in ("15d", "6", "soon", "-1h"):
        result = invoke("schedule", "prolia", "--last", "2026-05-10", "-f", "ics", "--remind", bad)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, bad


def test_the_calendar_round_trips_through_icalendar() -> None:
    import icalendar

    data = invoke("schedule", "prolia", "--last", "2026-05-10", "--today", "2026-11-25", "-f", "ics").stdout_bytes
    assert icalendar.Calendar.from_ical(data).to_ical() == data


# --- N13: a pager that cannot start falls back to plain output ---------------------------


@pytest.mark.parametrize("pager", ["no-such-pager-osteo", "no-such-pager-osteo -R", "no-such-pager-osteo --x=1"])
def test_a_pager_that_cannot_start_leaves_the_answer_whole(
    pager: str, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    import os

    from osteo_cli.render import output

    monkeypatch.setattr(output, "pager_command", lambda: pager)
    monkeypatch.setattr(os, "get_terminal_size", lambda *_: os.terminal_size((80, 5)))
    monkeypatch.setenv("LINES", "5")
    text = "".join(f"line {i}\n" for i in range(40))
    output._show(text)
    out, err = capfd.readouterr()
    assert out == text
    assert "cannot run the pager" in err and err.count("osteo: warning") == 1


def _on_a_terminal(*args: str, env: dict[str, str], rows: int = 24, cols: int = 80) -> tuple[int, str]:
    """osteo as a process whose stdout and stderr are a pseudo-terminal of that size."""
    import fcntl
    import os
    import struct
    import subprocess
    import termios

    from helpers import OSTEO, process_env

    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    base = {k: v for k, v in process_env().items() if k not in ("COLUMNS", "LINES", "PAGER", "OSTEO_PAGER")}
    proc = subprocess.Popen([*OSTEO, *args], stdin=follower, stdout=follower, stderr=follower, env={**base, **env})
    os.close(follower)
    import select
    import time

    chunks = []
    deadline = time.monotonic() + 30  # a pager waiting for a key is a hang: fail, never block
    while time.monotonic() < deadline:
        if not select.select([leader], [], [], 1)[0]:
            continue
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the last writer closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    else:
        proc.kill()
    os.close(leader)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


def test_a_missing_pager_on_a_real_terminal_gives_the_whole_answer() -> None:
    code, shown = _on_a_terminal(
        "drugs", "show", "prolia", "--all", env={"PAGER": "no-such-pager-osteo", "TERM": "xterm"}
    )
    assert code == 0
    assert "cannot run the pager 'no-such-pager-osteo'" in shown
    assert "Boxed warning" in shown or "boxed warning" in shown
    assert "Reference only, not medical advice." in shown  # the footer: the end of the answer


# --- TERM=dumb, 0 columns and odd sizes give the whole answer -----------------------------

NAMES = ("Alendronate", "Denosumab", "Romosozumab", "Teriparatide", "Raloxifene")


@pytest.mark.parametrize("columns", ["1", "7", "39"])
def test_a_narrow_width_still_gives_whole_words_and_whole_help(columns: str) -> None:
    listing = invoke("drugs", "list", env={"COLUMNS": columns})
    assert listing.exit_code == 0 and all(name in listing.stdout for name in NAMES)
    for args in (("--help",), ()):
        shown = invoke(*args, env={"COLUMNS": columns}).stdout
        assert "…" not in shown
        assert all(f" {command} " in shown for command in ("drugs", "sequence", "guidelines", "search", "kb"))
    assert "--install-completion" in invoke("--help", env={"COLUMNS": columns}).stdout


def test_no_default_pager_on_a_dumb_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from osteo_cli.render import output

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    for name in ("OSTEO_PAGER", "PAGER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "dumb")
    assert output.pager_command() is None
    monkeypatch.setenv("PAGER", "most")  # one the user chose is still used
    assert output.pager_command() == "most"
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("PAGER")
    assert output.pager_command() == output.DEFAULT_PAGER


@pytest.mark.parametrize(
    ("env", "rows", "cols"),
    [
        ({"TERM": "dumb"}, 24, 80),
        ({"TERM": "xterm", "OSTEO_PAGER": "cat"}, 0, 0),
        ({"TERM": "xterm", "OSTEO_PAGER": "cat"}, 3, 7),
    ],
)
def test_real_terminals_of_odd_kinds_get_the_whole_answer(env: dict[str, str], rows: int, cols: int) -> None:
    code, shown = _on_a_terminal("drugs", "list", env=env, rows=rows, cols=cols)
    assert code == 0, shown[-300:]
    assert all(name in shown for name in NAMES)
    assert "Reference only, not medical advice." in shown


# --- Ctrl-C at any moment: exit 130 and at most one line ----------------------------------


@pytest.mark.parametrize(
    ("exc", "interrupted"),
    [
        (KeyboardInterrupt(), True),
        (OSError("Signal 2 ignored due to race condition"), True),
        (OSError("Signal 15 ignored due to race condition"), False),
        (ValueError("something else"), False),
    ],
)
def test_a_ctrl_c_python_can_only_report_exits_130_at_once(
    exc: BaseException, interrupted: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import sys
    from types import SimpleNamespace

    from osteo_cli import entry

    def exit_now(code: int) -> None:
        raise SystemExit(code)

    reported: list[object] = []
    monkeypatch.setattr(os, "_exit", exit_now)
    monkeypatch.setattr(sys, "__unraisablehook__", reported.append)
    if interrupted:
        with pytest.raises(SystemExit, match="130"):
            entry._unraisable(SimpleNamespace(exc_value=exc))
        assert reported == []
    else:
        entry._unraisable(SimpleNamespace(exc_value=exc))
        assert len(reported) == 1


def test_ctrl_c_while_output_waits_on_a_full_pipe_exits_130_quietly() -> None:
    import os
    import signal
    import subprocess
    import time

    from helpers import OSTEO, process_env

    reader, writer = os.pipe()  # never read: `kb schema` (over 100 KB) fills it and waits
    proc = subprocess.Popen([*OSTEO, "kb", "schema"], stdout=writer, stderr=subprocess.PIPE, env=process_env())
    os.close(writer)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=30)
    finally:
        os.close(reader)
    assert proc.returncode in (130, -signal.SIGINT)  # -2 only if it came before Python set up its handler
    assert err.count(b"\n") <= 1 and b"Exception ignored" not in err and b"Traceback" not in err


# --- Notes: a non-blocking stdout with a slow reader ---------------------------------------


def test_a_non_blocking_stdout_with_a_slow_reader_gets_every_byte() -> None:
    import os
    import threading
    import time

    from osteo_cli.render.streams import FdWriter

    reader, writer = os.pipe()
    os.set_blocking(writer, False)
    data = bytes(range(256)) * 1024  # 256 KiB: several times a pipe's buffer
    got = bytearray()

    def slowly() -> None:
        time.sleep(0.05)
        while chunk := os.read(reader, 65536):
            got.extend(chunk)

    thread = threading.Thread(target=slowly)
    thread.start()
    try:
        assert FdWriter(writer).write(data) == len(data)
    finally:
        os.close(writer)
        thread.join(timeout=30)
        os.close(reader)
    assert bytes(got) == data


# --- newcomer N17: --no-pager after the command ---------------------------------------------


def test_no_pager_after_the_command_is_read_as_the_root_option() -> None:
    from osteo_cli.render import output

    result = invoke("drugs", "show", "prolia", "--section", "dosing", "--no-pager")
    assert result.exit_code == 0, result.stderr
    assert output.pager_off
    assert invoke("search", "--", "--no-pager").stderr.startswith("osteo: error: nothing mentions '--no-pager'")
