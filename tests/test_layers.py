"""The package's shape: imports run one way, and each command loads only what it uses.

knowledge <- queries <- views <- commands <- cli <- entry, with render (Documents in, text
out) below views and commands; errors and the package root are below everything. Every
import counts, at the top of a module or inside a function, for type checking or not.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, process_env

PACKAGE = ROOT / "osteo_cli"
BASE = {"osteo_cli", "errors"}  # the package root (__version__) and the exit codes
MAY_IMPORT = {
    "knowledge": {"knowledge"},
    "queries": {"knowledge", "queries"},
    "render": {"render"},
    "views": {"knowledge", "queries", "render", "views"},
    "commands": {"knowledge", "queries", "render", "views", "commands"},
    "cli": {"knowledge", "queries", "render", "views", "commands"},
    "entry": {"render", "cli"},
    "__main__": {"entry"},
}


def _layer(module: str) -> str:
    parts = module.split(".")
    if parts[0] != "osteo_cli":
        return ""
    return parts[1] if len(parts) > 1 else "osteo_cli"


def _imports(path: Path) -> set[str]:
    """The osteo_cli layers a module imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {_layer(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "osteo_cli":  # `from osteo_cli import knowledge` (or `__version__`)
                found |= {_layer(f"osteo_cli.{alias.name}".removesuffix(".__version__")) for alias in node.names}
            else:
                found.add(_layer(node.module))
    return found - {""}


def _modules() -> list[tuple[str, str]]:
    """(path under osteo_cli/, its layer) for every module."""
    return [
        (path.relative_to(PACKAGE).as_posix(), path.relative_to(PACKAGE).parts[0].removesuffix(".py"))
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


def test_imports_run_one_way() -> None:
    upward = set()
    for name, layer in _modules():
        allowed = MAY_IMPORT.get(layer, set()) | BASE | {layer}
        upward |= {(name, imported) for imported in _imports(PACKAGE / name) - allowed}
    assert sorted(upward) == [], "imports against the layers"


def test_an_import_inside_a_function_counts(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from osteo_cli.queries.names import claims\n")
    assert _imports(module) == {"queries"}


def test_knowledge_imports_only_itself_errors_and_the_version() -> None:
    """What the cache's code digest hashes (knowledge/, errors.py, __init__.py) is all that
    shapes a compiled knowledge base."""
    for path in sorted((PACKAGE / "knowledge").glob("*.py")):
        assert _imports(path) <= {"knowledge", "errors", "osteo_cli"}, path


def _loaded(args: list[str], out: Path, **env: str) -> set[str]:
    """The top-level modules loaded by the time `osteo ARGS` has run, as a real process."""
    code = (
        "import atexit, sys\n"
        f"atexit.register(lambda: open({str(out)!r}, 'w').write(' '.join({{m.split('.')[0] for m in sys.modules}})))\n"
        f"sys.argv = ['osteo', *{args!r}]\n"
        "from osteo_cli.entry import run\n"
        "run()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, env=process_env(None, **env), check=False)
    assert proc.returncode == 0, proc.stderr
    return set(out.read_text().split())


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One cache for these runs, filled by a first one: they measure warm runs."""
    folder = tmp_path_factory.mktemp("layers") / "cache"
    _loaded(["drugs", "list"], folder.parent / "cold", OSTEO_CACHE_DIR=str(folder))
    return str(folder)


# hashlib loads OpenSSL (3.5 MiB): the cache hashes with CPython's own sha256 instead.
HEAVY = {"rich", "pydantic", "pydantic_core", "yaml", "hashlib", "_hashlib"}


@pytest.mark.parametrize(
    ("args", "env", "unwanted"),
    [
        # A Tab press reads names only: no Rich, no validation, no YAML.
        ([], {"_OSTEO_COMPLETE": "complete_bash", "COMP_WORDS": "osteo drugs show den", "COMP_CWORD": "3"}, HEAVY),
        # A command on the shipped knowledge base draws with Rich, and validates nothing.
        (["drugs", "show", "denosumab"], {}, HEAVY - {"rich"}),
        (["check", "--crcl", "32", "-f", "json"], {}, HEAVY),
        (["--help"], {}, HEAVY - {"rich"}),  # Typer's help is drawn by Rich
    ],
)
def test_each_command_loads_only_what_it_uses(
    args: list[str], env: dict[str, str], unwanted: set[str], warm_cache: str, tmp_path: Path
) -> None:
    assert _loaded(args, tmp_path / "modules", OSTEO_CACHE_DIR=warm_cache, **env) & unwanted == set()
