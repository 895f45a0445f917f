"""The installed command as a real process: pipes, terminals, completion, Ctrl-C."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

OSTEO = str(Path(sys.executable).with_name("osteo"))


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "_TYPER_FORCE_DISABLE_TERMINAL")}
    return {**env, **extra}


def test_piped_table_has_no_escape_codes() -> None:
    result = subprocess.run([OSTEO, "drugs", "list"], capture_output=True, text=True, env=_env(), check=False)
    assert result.returncode == 0
    assert "\x1b" not in result.stdout and "Denosumab" in result.stdout
    assert result.stderr.startswith("Reference only, not medical advice.")


def test_terminal_table_is_in_colour_with_the_note_on_stdout() -> None:
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [OSTEO, "drugs", "list"],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=_env(TERM="xterm-256color", COLUMNS="120"),
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
        f"'{OSTEO}' drugs show denosumab | head -1", shell=True, capture_output=True, text=True, env=_env(), check=False
    )
    assert result.returncode == 0
    assert result.stdout.strip()
    assert "BrokenPipe" not in result.stderr and "Traceback" not in result.stderr


def test_python_dash_m_runs_the_same_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "osteo_cli", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stdout.startswith("osteo ")


@pytest.mark.parametrize(
    ("words", "expected"),
    [("osteo drugs show den", ["denosumab"]), ("osteo drugs compare denosumab ter", ["teriparatide", "terrosa"])],
)
def test_shell_completion_of_drug_names(words: str, expected: list[str]) -> None:
    env = _env(_OSTEO_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=str(len(words.split()) - 1))
    result = subprocess.run([OSTEO], capture_output=True, text=True, env=env, check=False)
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
    # Interrupt only once osteo's own code runs: `_hashlib` is loaded by osteo's cache module,
    # and with the cache off the validation that follows takes long enough to be interrupted.
    # (Before that, a SIGINT lands in Python's start-up or pip's wrapper, outside osteo.)
    proc = subprocess.Popen(
        [OSTEO, "drugs", "list"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env(OSTEO_NO_CACHE="1")
    )
    assert _wait_until_mapped(proc.pid, "_hashlib")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert err == b""
