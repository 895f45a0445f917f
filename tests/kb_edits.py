"""The shipped knowledge base with a few edits, written to a temporary file, and what
`kb validate` says about it."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import SHIPPED, invoke


def edited_kb(tmp_path: Path, *edits: tuple[str, str], name: str = "kb.yaml", everywhere: bool = False) -> Path:
    """The shipped file with each `(old, new)` replaced once (with `everywhere`, at every
    occurrence), in order, at `tmp_path / name`.

    Each `old` must occur in the text it is applied to, so an edit that no longer matches
    the data fails the test instead of silently testing the unedited file.
    """
    text = SHIPPED.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, f"the edit's text is not in the knowledge base: {old!r}"
        assert old != new, f"the edit changes nothing: {old!r}"
        text = text.replace(old, new, -1 if everywhere else 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, *, strict: bool = False) -> list[str]:
    """The messages `osteo kb validate PATH` finds in a file it must fail (exit 1)."""
    result = invoke("kb", "validate", str(path), *(["--strict"] if strict else []), "-f", "json")
    assert result.exit_code == 1, result.output
    return [p["message"] for p in json.loads(result.stdout)["problems"]]
