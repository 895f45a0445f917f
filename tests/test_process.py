"""The installed command as a real process: pipes, terminals, completion, Ctrl-C."""

from __future__ import annotations

import json
import os
import pty
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import OSTEO, ROOT, process_env


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "_TYPER_FORCE_DISABLE_TERMINAL")}
    return process_env(env, **extra)


def test_piped_table_has_no_escape_codes() -> None:
    result = subprocess.run([*OSTEO, "drugs", "list"], capture_output=True, text=True, env=_env(), check=False)
    assert result.returncode == 0
    assert "\x1b" not in result.stdout and "Denosumab" in result.stdout
    assert result.stderr.startswith("Reference only, not medical advice.")


def test_terminal_table_is_in_colour_with_the_note_on_stdout() -> None:
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [*OSTEO, "drugs", "list"],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=_env(TERM="xterm-256color", COLUMNS="120", OSTEO_PAGER="cat"),
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the pty closes when the process exits
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert proc.wait(timeout=30) == 0
    os.close(leader)
    screen = b"".join(chunks).decode()
    assert "\x1b[" in screen and "Denosumab" in screen
    assert "Reference only, not medical advice." in screen


def test_head_closing_the_pipe_prints_no_broken_pipe_error() -> None:
    result = subprocess.run(
        f"'{sys.executable}' -m osteo_cli drugs show denosumab | head -1",
        shell=True,
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.strip()
    assert "BrokenPipe" not in result.stderr and "Traceback" not in result.stderr


def test_python_dash_m_runs_the_same_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "osteo_cli", "--version"], capture_output=True, text=True, env=_env(), check=False
    )
    assert result.returncode == 0 and result.stdout.startswith("osteo ")


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("osteo drugs show deno", ["denosumab"]),
        ("osteo drugs show den", ["denosumab", "denbrayce"]),
        ("osteo drugs compare denosumab ter", ["teriparatide", "teriparatide-injection", "terrosa"]),
    ],
)
def test_shell_completion_of_drug_names(words: str, expected: list[str]) -> None:
    env = _env(_OSTEO_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=str(len(words.split()) - 1))
    result = subprocess.run(OSTEO, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0
    assert result.stdout.split() == expected


def _wait_until_mapped(pid: int, library: str, timeout: float = 10.0) -> bool:
    """Wait until the process has loaded a shared library: a sign its code has reached a point."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if library in Path(f"/proc/{pid}/maps").read_text():
                return True
        except OSError:
            return False  # the process has ended
        time.sleep(0.002)
    return False


def test_ctrl_c_exits_130_without_a_traceback() -> None:
    # Interrupt only once osteo's own code runs: with the cache off, the knowledge base is
    # validated, which loads pydantic's compiled core and then takes long enough to be
    # interrupted. (Before that, a SIGINT lands in Python's start-up, outside osteo.)
    proc = subprocess.Popen(
        [*OSTEO, "drugs", "list"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env(OSTEO_NO_CACHE="1")
    )
    assert _wait_until_mapped(proc.pid, "_pydantic_core")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    # 130 from osteo's handler; or, when the signal lands as the interpreter shuts down (its
    # handlers restored), killed by SIGINT itself, which a shell reports as the same 130.
    assert proc.returncode in (130, -signal.SIGINT), err
    assert err == b""


# Output that cannot be written in full is an error, buffered or not (reliability D4, C7, U1, U2).


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_a_full_disk_is_one_error_line_and_exit_1(tmp_path: Path, unbuffered: str) -> None:
    out = tmp_path / "out.json"
    env = _env(PYTHONUNBUFFERED=unbuffered) if unbuffered else _env()
    with out.open("wb") as stdout:
        proc = subprocess.run(
            [*OSTEO, "drugs", "show", "denosumab", "-f", "json"],
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            preexec_fn=_limit_file_size,
            check=False,
        )
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.splitlines() == ["osteo: error: cannot write output: File too large"]


def test_dev_full_is_a_write_error_not_an_internal_error() -> None:
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            [*OSTEO, "drugs", "list"], stdout=full, stderr=subprocess.PIPE, text=True, env=_env(), check=False
        )
    assert proc.returncode == 1
    assert "osteo: error: cannot write output: No space left on device" in proc.stderr
    assert "internal error" not in proc.stderr and "Exception ignored" not in proc.stderr


def test_a_closed_stdout_is_one_error_line() -> None:
    proc = subprocess.run(
        f"'{sys.executable}' -m osteo_cli drugs list >&-", shell=True, capture_output=True, text=True, env=_env()
    )
    assert proc.returncode == 1
    assert "osteo: error: cannot write output: stdout is closed" in proc.stderr
    assert "internal error" not in proc.stderr


# Any encoding: degraded, never a crash (reliability C10, newcomer D11).


@pytest.mark.parametrize("encoding", ["ascii", "cp1252", "latin-1", "cp437"])
@pytest.mark.parametrize(
    "args",
    [
        ["tscore", "-2.7"],
        ["sequence", "teriparatide:18m", "alendronate:5y"],
        ["sequence", "teriparatide:18m", "alendronate:5y", "-f", "markdown"],
        ["search", "rebound", "-f", "json"],
        ["drugs", "show", "denosumab"],
    ],
)
def test_any_output_encoding_is_degraded_never_a_crash(encoding: str, args: list[str]) -> None:
    proc = subprocess.run([*OSTEO, *args], capture_output=True, env=_env(PYTHONIOENCODING=encoding), check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode(encoding)
    assert b"Error" not in proc.stderr


def test_json_is_ascii_whatever_the_encoding() -> None:
    proc = subprocess.run([*OSTEO, "tscore", "-2.7", "-f", "json"], capture_output=True, env=_env(), check=False)
    assert proc.returncode == 0
    proc.stdout.decode("ascii")
    assert "≤" in str(json.loads(proc.stdout)) or proc.stdout.isascii()


@pytest.mark.parametrize(
    ("module", "args"),
    [
        ("typer", ["drugs", "list", "--help"]),  # imported at start
        ("rich", ["drugs", "list"]),  # imported only to draw a table
        ("yaml", ["kb", "validate"]),  # imported only to read a file
    ],
)
def test_a_broken_dependency_is_one_line(tmp_path: Path, module: str, args: list[str]) -> None:
    (tmp_path / f"{module}.py").write_text("raise ImportError('broken on purpose')\n")
    env = _env()
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), env["PYTHONPATH"]])
    proc = subprocess.run([*OSTEO, *args], capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        "osteo: error: cannot start (a dependency is missing or broken): ImportError: broken on purpose"
    ]


@pytest.mark.parametrize("columns", ["0", "-5", "abc"])
def test_nonsense_columns_behave_like_an_unknown_width(columns: str) -> None:
    proc = subprocess.run(
        [*OSTEO, "drugs", "list"], capture_output=True, text=True, env=_env(COLUMNS=columns), check=False
    )
    assert proc.returncode == 0
    assert "Denosumab" in proc.stdout and "Zoledronic" in proc.stdout
    help_text = subprocess.run([*OSTEO, "--help"], capture_output=True, text=True, env=_env(COLUMNS=columns))
    assert "drugs" in help_text.stdout


# Ctrl-C at any moment: 130 or 0, never "Exception ignored" (reliability C8, C9).


def test_ctrl_c_as_the_process_ends_prints_nothing() -> None:
    """C8: a SIGINT landing in Python's shutdown printed "Exception ignored … KeyboardInterrupt"."""
    code = (
        "import atexit, os, signal, sys\n"
        "atexit.register(lambda: os.kill(os.getpid(), signal.SIGINT))\n"
        "sys.argv = ['osteo', 'drugs', 'list', '-f', 'json']\n"
        "from osteo_cli.entry import run\n"
        "run()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(), check=False)
    assert proc.returncode in (0, 130)
    assert "Exception ignored" not in proc.stderr and "KeyboardInterrupt" not in proc.stderr


def test_ctrl_c_reported_as_unraisable_exits_130_at_once() -> None:
    """C9: a KeyboardInterrupt in a finaliser was printed and swallowed, and the command went on."""
    code = (
        "import sys\n"
        "sys.argv = ['osteo', 'drugs', 'list']\n"
        "from osteo_cli import entry\n"
        "sys.unraisablehook = entry._unraisable\n"
        "class Finalised:\n"
        "    def __del__(self):\n"
        "        raise KeyboardInterrupt\n"
        "Finalised()\n"
        "print('went on')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(), check=False)
    assert proc.returncode == 130
    assert proc.stdout == "" and "Exception ignored" not in proc.stderr


# Long output pages on a terminal, as git and gh do (newcomer D1).


def _on_a_terminal(args: list[str], **env: str) -> tuple[int, str]:
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [*OSTEO, *args], stdout=follower, stderr=subprocess.PIPE, env=_env(TERM="dumb", COLUMNS="80", **env)
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    code = proc.wait(timeout=30)
    os.close(leader)
    return code, b"".join(chunks).decode()


def test_long_output_on_a_terminal_goes_through_the_pager(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    code, screen = _on_a_terminal(["drugs", "show", "prolia", "--all"], LINES="24", OSTEO_PAGER=f"cat > '{paged}'")
    assert code == 0
    assert "Denosumab" in paged.read_text() and "Denosumab" not in screen


def test_osteo_pager_comes_before_pager(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    _on_a_terminal(["drugs", "show", "prolia", "--all"], LINES="24", PAGER="false", OSTEO_PAGER=f"cat > '{paged}'")
    assert "Denosumab" in paged.read_text()


@pytest.mark.parametrize(("option", "pager"), [(["--no-pager"], "x"), ([], "cat")])
def test_no_pager_option_or_cat_prints_directly(tmp_path: Path, option: list[str], pager: str) -> None:
    paged = tmp_path / "paged.txt"
    command = f"cat > '{paged}'" if pager == "x" else pager
    code, screen = _on_a_terminal([*option, "drugs", "show", "prolia", "--all"], LINES="24", OSTEO_PAGER=command)
    assert code == 0 and "Denosumab" in screen and not paged.exists()


def test_short_output_and_pipes_are_never_paged(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    code, screen = _on_a_terminal(["tscore", "-2.7", "-f", "json"], LINES="100", OSTEO_PAGER=f"cat > '{paged}'")
    assert code == 0 and "tscore" in screen and not paged.exists()
    piped = subprocess.run(
        [*OSTEO, "drugs", "show", "prolia"], capture_output=True, env=_env(OSTEO_PAGER=f"cat > '{paged}'")
    )
    assert b"Denosumab" in piped.stdout and not paged.exists()


# Completion with your own data, in any case, and only what a parameter accepts (newcomer D9).


@pytest.mark.parametrize(
    ("words", "extra", "expected"),
    [
        ("osteo drugs show Pro", {}, ["Prolia"]),
        ("osteo drugs show --data {shipped} deno", {}, ["denosumab"]),
        ("osteo drugs show deno", {"OSTEO_DATA": "{shipped}"}, ["denosumab"]),
        ("osteo sequence deno", {}, ["denosumab:"]),
        ("osteo learn sc", {}, ["scans"]),
    ],
)
def test_completion_with_data_in_any_case_and_for_plan_steps(
    words: str, extra: dict[str, str], expected: list[str]
) -> None:
    shipped = str(ROOT / "data" / "medications.yaml")
    words = words.format(shipped=shipped)
    env = _env(
        _OSTEO_COMPLETE="complete_bash",
        COMP_WORDS=words,
        COMP_CWORD=str(len(words.split()) - 1),
        **{k: v.format(shipped=shipped) for k, v in extra.items()},
    )
    result = subprocess.run(OSTEO, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0
    assert result.stdout.split() == expected


def test_piped_table_lines_end_with_their_last_word() -> None:
    """Newcomer review: 39 of 40 piped lines of `drugs list` ended in padding spaces."""
    result = subprocess.run([*OSTEO, "drugs", "list"], capture_output=True, text=True, env=_env(), check=False)
    assert result.returncode == 0
    assert not [line for line in result.stdout.splitlines() if line != line.rstrip()]
