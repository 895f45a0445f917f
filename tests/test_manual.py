"""Help that stands alone: `man osteo`, the command reference and `--help` say the same, and
stay current with the app (generated in-process by tests/docgen.py: no build, no `man`)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from docgen import ROOT, generated
from helpers import command_paths, invoke

from osteo_cli.cli import ENVIRONMENT, EXIT_STATUS
from osteo_cli.errors import ExitCode

GENERATED = generated()
# Read by Rich's Console and by shutil.get_terminal_size (osteo only drops nonsense sizes).
LIBRARY_READS = {"NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES"}


@pytest.mark.parametrize("path", sorted(GENERATED), ids=lambda p: str(p.relative_to(ROOT)))
def test_generated_reference_is_current(path: Path) -> None:
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: run `make examples`"
    assert path.read_text(encoding="utf-8") == GENERATED[path], (
        f"{path.relative_to(ROOT)} is out of date: run `make examples` and commit it"
    )


def test_the_man_page_has_the_sections_a_reader_looks_for() -> None:
    page = (ROOT / "man" / "osteo.1").read_text(encoding="utf-8")
    sections = re.findall(r"^\.SH (.+)$", page, re.MULTILINE)
    assert sections == [
        "NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "ENVIRONMENT", "FILES", "EXIT STATUS",
        "EXAMPLES", "NOTES", "SEE ALSO",
    ]  # fmt: skip
    headings = re.findall(r'^\.SS "osteo (\S+(?: (?!\[)\S+)?)', page, re.MULTILINE)
    assert sorted(headings) == sorted(p.replace("-", "\\-") for p in [*command_paths(), "drugs", "kb"])
    for name, _ in ENVIRONMENT:
        assert f"\\fB{name}\\fR" in page
    assert "not medical advice" in page


def test_every_environment_variable_osteo_reads_is_documented() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "osteo_cli").rglob("*.py"))
    read = set(re.findall(r'environ(?:\.get\(|\[)"([A-Z_]+)"', code))
    read |= set(re.findall(r'envvar="([A-Z_]+)"', code))
    read |= set(re.findall(r'_VARIABLE = "([A-Z_]+)"', code))
    read -= {"HOME"}  # the ~ of the cache folder's default
    documented = {name for name, _ in ENVIRONMENT}
    assert read | LIBRARY_READS == documented


def test_root_help_lists_the_environment_and_exit_codes_and_ends_with_examples() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for name, _ in ENVIRONMENT:
        assert name in result.stdout
    assert [code for code, _ in EXIT_STATUS] == list(ExitCode)
    for code, _ in EXIT_STATUS:
        assert f"{int(code)}: " in result.stdout
    assert _last_lines(result.stdout)[-1] == "$ osteo search rebound"


@pytest.mark.parametrize("path", command_paths())
def test_leaf_help_ends_with_its_examples_one_command_a_line(path: str) -> None:
    result = invoke(*path.split(), "--help")
    assert result.exit_code == 0
    lines = _last_lines(result.stdout)
    start = lines.index("Examples")
    examples = lines[start + 1 :]
    assert examples and all(line.startswith(f"$ osteo {path}") for line in examples), lines[start:]


def _last_lines(text: str) -> list[str]:
    return [stripped for line in text.splitlines() if (stripped := line.strip())]


def test_the_wheel_installs_the_man_page_and_the_sdist_carries_it() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    targets = project["tool"]["hatch"]["build"]["targets"]
    assert targets["wheel"]["shared-data"] == {"man/osteo.1": "share/man/man1/osteo.1"}
    assert {"man", "docs", "mkdocs.yml"} <= set(targets["sdist"]["include"])
