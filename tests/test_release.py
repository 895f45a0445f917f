"""The release: one version, shown by `osteo --version` with the knowledge base's, and a
changelog in Keep a Changelog's form with a section for it. (`make dist` builds and checks the
sdist and the wheel in CI; the slow packaging test installs one.)"""

from __future__ import annotations

import re

from helpers import ROOT, invoke

from osteo_cli import __version__

CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
KINDS = ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")


def test_version_shows_osteo_and_the_knowledge_base() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    expected = rf"osteo {re.escape(__version__)}, knowledge base \d{{4}}\.\d{{1,2}}\.\d+ \(reviewed [0-9-]+\)\n"
    assert re.fullmatch(expected, result.stdout)


def test_the_changelog_follows_keep_a_changelog() -> None:
    versions = re.findall(r"^## (.+)$", CHANGELOG, re.MULTILINE)
    assert versions[0] == "[Unreleased]"
    for heading in versions[1:]:
        assert re.fullmatch(r"\[\d+\.\d+\.\d+\] - \d{4}-\d{2}-\d{2}", heading), heading
    assert versions[1].startswith(f"[{__version__}] - "), "the version in osteo_cli/__init__.py has the newest section"
    for kind in re.findall(r"^### (.+)$", CHANGELOG, re.MULTILINE):
        assert kind in KINDS, kind
    assert "Unreleased:" not in CHANGELOG  # the old diary headings
