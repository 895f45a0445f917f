"""Imports run one way (issue 21): `knowledge` <- `queries` <- `views` <- `render` / `commands`.

Read from the source with `ast`, so imports inside functions and under TYPE_CHECKING count
too. `render/document.py` is the contract views build and renderers draw: it sits at the
bottom, beside `knowledge`, and imports nothing of osteo's. `errors` and the package root
(its version) sit below every layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from helpers import ROOT

PACKAGE = ROOT / "osteo_cli"
RANKS = {"knowledge": 0, "render.document": 0, "queries": 1, "views": 2, "render": 3, "commands": 4}


def _rank(module: str) -> int | None:
    """The layer of `osteo_cli.<module...>`, or None for what sits below every layer."""
    parts = module.split(".")
    for length in (2, 1):
        key = ".".join(parts[:length])
        if key in RANKS:
            return RANKS[key]
    return None


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    """Every osteo module a file imports, with its line (`from osteo_cli import x` names x)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "osteo_cli":
                found += [(node.lineno, f"osteo_cli.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
    return [(line, name.removeprefix("osteo_cli.")) for line, name in found if name.startswith("osteo_cli.")]


FILES = sorted(p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] in RANKS)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_import_reaches_up(path: Path) -> None:
    relative = path.relative_to(PACKAGE)
    own = _rank(".".join(relative.with_suffix("").parts))
    assert own is not None
    tree = ast.parse(path.read_text(encoding="utf-8"))
    upward = [f"line {line}: {name}" for line, name in _imports(tree) if (_rank(name) or 0) > own]
    assert not upward, f"{relative} imports from a layer above it: {upward}"


def test_the_layers_are_all_found() -> None:
    tops = {p.relative_to(PACKAGE).parts[0] for p in FILES}
    assert tops == {"knowledge", "queries", "views", "render", "commands"}


def test_knowledge_imports_only_itself_errors_and_the_version() -> None:
    """What the cache's code digest hashes (knowledge/, errors.py, __init__.py) is all that
    shapes a compiled knowledge base."""
    for path in sorted((PACKAGE / "knowledge").glob("*.py")):
        names = {name for _, name in _imports(ast.parse(path.read_text(encoding="utf-8")))}
        assert all(n.startswith("knowledge") or n in ("errors", "__version__") for n in names), (path, names)


def test_a_reaching_import_is_found() -> None:
    tree = ast.parse("def f():\n    from osteo_cli.queries.names import claims\n")
    assert [(_rank(name) or 0) > RANKS["knowledge"] for _, name in _imports(tree)] == [True]
