"""The console-script entry point, kept free of imports so Ctrl-C is quiet from the start.

A KeyboardInterrupt during the ~100 ms of importing typer, rich and pydantic would
otherwise print a traceback; catching it here, around the import too, exits 130.
"""

from __future__ import annotations

import sys


def run() -> None:
    try:
        from osteo_cli.cli import app

        app()
    except KeyboardInterrupt:
        sys.exit(130)
