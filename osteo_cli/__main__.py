"""`python -m osteo_cli` runs the same entry point as the `osteo` command."""

from osteo_cli.entry import run

run()
