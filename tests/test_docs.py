"""The README stays true: its examples print what it says, and it covers every command."""

from __future__ import annotations

import pytest
from helpers import command_paths
from readme_examples import README, examples, run

TEXT = README.read_text(encoding="utf-8")


def test_readme_has_examples() -> None:
    assert len(examples(TEXT)) >= 5


@pytest.mark.parametrize(("command", "expected"), examples(TEXT), ids=[c for c, _ in examples(TEXT)])
def test_readme_example_matches_real_output(command: str, expected: str) -> None:
    assert run(command) == expected, "README example drifted; run `make readme` if the change is intended"


@pytest.mark.parametrize("path", command_paths())
def test_every_command_is_in_the_readme_and_has_an_example_in_help(path: str) -> None:
    assert f"osteo {path}" in TEXT
    from helpers import invoke

    result = invoke(*path.split(), "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout


def test_readme_starts_with_what_osteo_is_then_the_two_commands() -> None:
    assert TEXT.startswith("# osteo\n\nosteo is an osteoporosis medication reference")
    quick = TEXT.index("## Quick start")
    assert TEXT.index("make run", quick) < TEXT.index("make test", quick) < TEXT.index("## Commands")
    assert "not medical advice" in TEXT
    assert "## Exit codes" in TEXT or "### Exit codes" in TEXT
