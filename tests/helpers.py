"""Shared test helpers (imported by name: tests/ is on sys.path under pytest)."""

from __future__ import annotations

import copy
import functools
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner, Result

from osteo_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "medications.yaml"


@functools.cache
def _shipped_text_as_data() -> Any:
    return yaml.load(SHIPPED.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def shipped_data() -> dict[str, Any]:
    """A fresh copy of the shipped file as plain data (parsed once, with libyaml where it is
    installed: the pure-Python loader costs a second a read), to change and write back."""
    data = copy.deepcopy(_shipped_text_as_data())
    assert isinstance(data, dict)
    return data


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]  # yaml has no stubs here
    """Writes shared lists out in full: osteo refuses YAML anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def write_yaml(path: Path, data: Any) -> Path:
    path.write_text(yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run the CLI in-process, through the real error boundary, stdout and stderr apart."""
    return CliRunner().invoke(app, list(args), env=env)


# This checkout's code as a process, whichever checkout runs the tests: `python -m osteo_cli`
# runs the same entry point as the `osteo` console script, with the project root first on
# the path (an installed `osteo` script could belong to another checkout).
OSTEO = [sys.executable, "-m", "osteo_cli"]


# The cache folder of the processes the tests start, unless a test names its own: one per
# test process, shared by its tests, so a process answers from the compiled form the first
# one wrote instead of validating the YAML again (about 0.4 CPU-s each). tests/test_cache.py
# gives each of its processes a folder of its own.
PROCESS_CACHE = tempfile.mkdtemp(prefix="osteo-test-process-cache-")
# And their bytecode, outside the checkout: where PYTHONDONTWRITEBYTECODE is set (as on some
# CI machines), each process would otherwise compile osteo from source (60 ms a process).
PROCESS_BYTECODE = tempfile.mkdtemp(prefix="osteo-test-bytecode-")


def process_env(base: Mapping[str, str] | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in (os.environ if base is None else base).items() if k != "PYTHONDONTWRITEBYTECODE"}
    path = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    bytecode = {"PYTHONPYCACHEPREFIX": PROCESS_BYTECODE}
    return {**env, **bytecode, "OSTEO_CACHE_DIR": PROCESS_CACHE, "PYTHONPATH": path, **extra}


def command_paths() -> list[str]:
    """Every command the app has, as typed: `faq`, `drugs show`, `kb validate`..."""
    from typer.main import get_command

    root = get_command(app)
    paths = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        paths += [f"{name} {sub}" for sub in subcommands] if subcommands else [name]
    return paths
