"""Shared test helpers (imported by name: tests/ is on sys.path under pytest)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from typer.testing import CliRunner, Result

from osteo_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "medications.yaml"


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run the CLI in-process, through the real error boundary, stdout and stderr apart."""
    return CliRunner().invoke(app, list(args), env=env)


# This checkout's code as a process, whichever checkout runs the tests: `python -m osteo_cli`
# runs the same entry point as the `osteo` console script, with the project root first on
# the path (an installed `osteo` script could belong to another checkout).
OSTEO = [sys.executable, "-m", "osteo_cli"]


def process_env(base: Mapping[str, str] | None = None, **extra: str) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    path = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return {**env, "PYTHONPATH": path, **extra}


def command_paths() -> list[str]:
    """Every command the app has, as typed: `faq`, `drugs show`, `kb validate`..."""
    from typer.main import get_command

    root = get_command(app)
    paths = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        paths += [f"{name} {sub}" for sub in subcommands] if subcommands else [name]
    return paths
