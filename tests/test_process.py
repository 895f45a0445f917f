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


def test_ctrl_c_exits_130_without_a_traceback() -> None:
    interrupted = 0
    # From 50 ms on, osteo's own code is running. Earlier, a SIGINT lands in Python's start-up
    # or in the console-script wrapper pip writes (`import re`), before any osteo code.
    for delay in (0.05, 0.08, 0.12, 0.2):
        proc = subprocess.Popen([OSTEO, "drugs", "list"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env())
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        # -SIGINT: interrupted before Python installed its handler; a shell shows 130 too.
        assert proc.returncode in (0, 130, -signal.SIGINT)
        assert b"Traceback" not in err and b"KeyboardInterrupt" not in err
        interrupted += proc.returncode in (130, -signal.SIGINT)
    assert interrupted
