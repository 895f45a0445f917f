"""The documentation's console examples: find them, run them, and (with --update) rewrite them.

A console block in README.md or docs/ is a `$ osteo ...` line followed by that command's
output (stdout and stderr as a terminal shows them, at 100 columns). `make examples`
refreshes them after an intended change; `tests/test_docs.py` fails when they drift.
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def pages() -> list[Path]:
    """README.md and every Markdown page in docs/."""
    return [README, *sorted((ROOT / "docs").rglob("*.md"))]


# Three backticks, or four around output that holds a fence of its own (Markdown output).
BLOCK = re.compile(r"(?P<fence>`{3,4})console\n\$ (?P<command>osteo [^\n]*)\n(?P<output>.*?)(?P=fence)\n", re.DOTALL)
WIDTH = "100"


def examples(text: str) -> list[tuple[str, str]]:
    """(command line, expected output) for each console block."""
    return [(m["command"], m["output"]) for m in BLOCK.finditer(text)]


def run(command: str) -> str:
    """The command's output as the README shows it: trailing spaces trimmed."""
    import os

    from typer.testing import CliRunner

    from osteo_cli.cli import app

    os.environ.update({"COLUMNS": WIDTH, "TERMINAL_WIDTH": WIDTH, "NO_COLOR": "1"})
    args = shlex.split(command)[1:]
    result = CliRunner().invoke(app, args)
    lines = [line.rstrip() for line in result.output.splitlines()]
    return "\n".join(lines) + "\n"


def update() -> None:
    for page in pages():
        text = page.read_text(encoding="utf-8")
        fresh = BLOCK.sub(lambda m: f"{m['fence']}console\n$ {m['command']}\n{run(m['command'])}{m['fence']}\n", text)
        if fresh != text:
            page.write_text(fresh, encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        update()
    else:
        sys.exit("usage: python tests/doc_examples.py --update")
