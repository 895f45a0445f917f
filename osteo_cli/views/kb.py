"""Views of `osteo kb validate`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from osteo_cli.render.document import Document, Grid, View

if TYPE_CHECKING:
    from collections.abc import Callable

    from osteo_cli.knowledge.problems import Problem


def _count(problems: list[Problem], severity: str) -> str:
    n = sum(p.severity == severity for p in problems)
    return f"{n} {severity}{'' if n == 1 else 's'}"


def validation_document(label: str, problems: list[Problem]) -> Document:
    summary = f"{label}: {_count(problems, 'error')}, {_count(problems, 'warning')}"
    if not problems:
        return Document([], title=f"{label}: valid, no problems")
    rows = [(p.severity, str(p.line or ""), p.field, p.message) for p in problems]
    return Document([Grid(("Severity", "Line", "Field", "Problem"), rows)], title=summary)


def validation_json(
    label: str, path: str, custom: bool, kb_version: str | None, problems: list[Problem]
) -> dict[str, Any]:
    """As every command's JSON: `kb_version` (None when the file cannot be read) and
    `custom_data`; `path` is where the file is, `file` the phrase the table shows."""
    return {
        "kb_version": kb_version,
        "custom_data": custom,
        "path": path,
        "file": label,
        "errors": sum(p.severity == "error" for p in problems),
        "warnings": sum(p.severity == "warning" for p in problems),
        "problems": [
            {"severity": p.severity, "line": p.line, "field": p.field, "message": p.message} for p in problems
        ],
    }


def validation_view(
    label: str, path: str, custom: bool, kb_version: Callable[[], str | None], problems: list[Problem]
) -> View:
    """`kb_version` is read only for JSON: the table does not name it."""
    return View(
        lambda: validation_document(label, problems),
        lambda: validation_json(label, path, custom, kb_version(), problems),
    )
