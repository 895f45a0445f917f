"""`osteo kb ...`: check a knowledge-base file, print its JSON Schema."""

from pathlib import Path
from typing import Annotated

import typer

from osteo_cli.commands.common import FormatOption, finish
from osteo_cli.errors import ExitCode
from osteo_cli.render.formats import OutputFormat

app = typer.Typer(
    help="Work on knowledge-base files: validate one, print the schema.\n\n"
    "Example: `osteo kb validate my-formulary.yaml --strict`",
    no_args_is_help=True,
)


@app.command()
def validate(
    path: Annotated[
        Path | None,
        typer.Argument(
            metavar="[PATH]", help="The file to check (default: the shipped knowledge base).", show_default=False
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on warnings too (such as a lapsed review date).")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Check a knowledge-base file and list every problem with its line and field.

    Errors (schema, duplicate ids or names, references to nothing, missing sources) and
    warnings (review dates in the future or more than a year old, unused sources).
    Exit 0 when clean, 1 when there are errors (or warnings, with --strict).

    Example: `osteo kb validate my-formulary.yaml --strict`
    """
    from osteo_cli import knowledge
    from osteo_cli.render.output import emit
    from osteo_cli.views import kb as views

    where = path or knowledge.shipped_path()
    problems = knowledge.check(where)
    label = str(path) if path else "the shipped knowledge base"

    def version() -> str | None:
        return None if any(p.severity == "error" for p in problems) else knowledge.load(path).kb.kb_version

    emit(fmt, views.validation_view(label, str(where), path is not None, version, problems))
    failing = [p for p in problems if p.severity == "error" or strict]
    finish(ExitCode.FAILURE if failing else ExitCode.OK)


@app.command()
def schema() -> None:
    """Print the JSON Schema of a knowledge-base file, for editors and other tools.

    Save it and point a YAML language server at it with a first line such as
    `# yaml-language-server: $schema=osteo-kb.schema.json`.

    Example: `osteo kb schema > osteo-kb.schema.json`
    """
    import sys

    from osteo_cli.knowledge.validate import json_schema
    from osteo_cli.render.output import to_json

    sys.stdout.write(to_json(json_schema()) + "\n")
