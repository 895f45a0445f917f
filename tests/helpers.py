"""Shared test helpers (imported by name: tests/ is on sys.path under pytest)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from osteo_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "medications.yaml"


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run the CLI in-process, through the real error boundary, stdout and stderr apart."""
    return CliRunner().invoke(app, list(args), env=env)
