"""The documentation stays true: its examples print what it says, and it covers every command."""

from __future__ import annotations

from pathlib import Path

import pytest
from doc_examples import README, ROOT, examples, pages, run
from helpers import command_paths

TEXT = README.read_text(encoding="utf-8")
EXAMPLES = [(page, command, output) for page in pages() for command, output in examples(page.read_text("utf-8"))]
DOCS = "\n".join(page.read_text("utf-8") for page in pages()[1:])


def test_the_docs_have_examples() -> None:
    assert len(EXAMPLES) >= 25


@pytest.mark.parametrize(
    ("page", "command", "expected"), EXAMPLES, ids=[f"{p.relative_to(ROOT)}: {c}" for p, c, _ in EXAMPLES]
)
def test_doc_example_matches_real_output(page: Path, command: str, expected: str) -> None:
    assert run(command) == expected, f"{page.name}: example drifted; run `make examples` if the change is intended"


@pytest.mark.parametrize("path", command_paths())
def test_every_command_is_in_the_readme_and_the_docs_and_has_an_example_in_help(path: str) -> None:
    assert f"osteo {path}" in TEXT
    assert f"osteo {path}" in DOCS
    from helpers import invoke

    result = invoke(*path.split(), "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout


def test_readme_is_a_front_door() -> None:
    """What osteo is, how to install it, the two make commands, exit codes, links: at most 300 lines."""
    assert TEXT.startswith("# osteo\n\nosteo is an osteoporosis medication reference")
    assert TEXT.index("## Install") < TEXT.index("pipx install .") < TEXT.index("## Quick start")
    quick = TEXT.index("## Quick start")
    assert TEXT.index("make run", quick) < TEXT.index("make test", quick) < TEXT.index("## Commands")
    assert "not medical advice" in TEXT
    assert "## Exit codes" in TEXT
    assert len(TEXT.splitlines()) <= 300
    for link in ("docs/usage.md", "docs/knowledge-base.md", "docs/performance.md", "CONTRIBUTING.md"):
        assert f"]({link})" in TEXT


def test_the_site_lists_every_page_in_its_navigation() -> None:
    """mkdocs.yml's nav holds every page in docs/ (`make docs` builds it with --strict in CI)."""
    import yaml

    def pages_in(nav: object) -> list[str]:
        if isinstance(nav, str):
            return [nav]
        if isinstance(nav, list):
            return [page for item in nav for page in pages_in(item)]
        if isinstance(nav, dict):
            return [page for value in nav.values() for page in pages_in(value)]
        return []

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    listed = pages_in(config["nav"])
    on_disk = [str(page.relative_to(ROOT / "docs")) for page in pages()[1:]]
    assert sorted(listed) == sorted(on_disk)
    assert listed[0] == "index.md" and config["strict"] is True
