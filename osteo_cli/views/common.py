"""What every view shares: the reference-only footer, metadata for JSON, cited sources."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from osteo_cli.document import Cell, Grid

if TYPE_CHECKING:
    from osteo_cli.knowledge import Loaded
    from osteo_cli.models import Brand, KnowledgeBase


DISCLAIMER = "Reference only, not medical advice."


def footer(loaded: Loaded) -> str:
    kb = loaded.kb
    if loaded.custom:
        return (
            f"{DISCLAIMER} Custom knowledge base {loaded.path} (version {kb.kb_version}), "
            "not the shipped, reviewed one."
        )
    return f"{DISCLAIMER} Knowledge base {kb.kb_version}, reviewed {kb.last_reviewed}."


def meta(loaded: Loaded) -> dict[str, Any]:
    return {"kb_version": loaded.kb.kb_version, "custom_data": loaded.custom}


def brands(brands: Iterable[Brand]) -> str:
    return ", ".join(f"{b.name} (biosimilar)" if b.kind == "biosimilar" else b.name for b in brands)


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def lines(items: list[str]) -> Cell:
    """Several items for one cell: a bulleted list when there is more than one."""
    return items[0] if len(items) == 1 else tuple(items)


def sources_grid(kb: KnowledgeBase, ids: Iterable[str]) -> Grid:
    unique = list(dict.fromkeys(ids))
    rows = []
    for source_id in unique:
        s = kb.source(source_id)
        detail = [s.title, *(x for x in (s.url, f"revised {s.revised}" if s.revised else None) if x)]
        rows.append((source_id, s.kind, "\n".join(detail)))
    return Grid(("Source", "Kind", "Title and address"), rows, title="Sources")
