"""The console-script entry point, kept free of imports so Ctrl-C is quiet from the start.

A KeyboardInterrupt during the ~100 ms of importing typer, rich and pydantic would
otherwise print a traceback; catching it here, around the import too, exits 130.

At exit, `gc.freeze()` moves every object the imports made out of the collector's sight,
so the interpreter's final collections do not walk them (about 15% of a command's time).
Output is flushed and errors reported before that, as without it: only the exit is cheaper.
"""

from __future__ import annotations

import sys


def run() -> None:
    try:
        from osteo_cli.cli import app

        app()
    except KeyboardInterrupt:
        sys.exit(130)
    finally:
        import gc

        gc.freeze()
