"""The man page (`man/osteo.1`) and the command reference (`docs/reference.md`), generated
from the app itself: the commands, their help, arguments, options and examples as `--help`
shows them, and the environment and exit codes the root help lists (`osteo_cli/cli.py`).

Both files are committed: the wheel carries the man page (`share/man/man1/osteo.1`) and
MkDocs builds the reference page. `make examples` rewrites them (`--update`);
`tests/test_manual.py` fails when either differs from what this writes.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MAN_PAGE = ROOT / "man" / "osteo.1"
REFERENCE = ROOT / "docs" / "reference.md"


@dataclass
class Entry:
    """One command as its help shows it."""

    path: str  # "drugs show"
    usage: str  # "osteo drugs show [OPTIONS] NAME..."
    help: list[str]  # paragraphs, each on one line
    arguments: list[tuple[str, str]]  # (name, help)
    options: list[tuple[str, str]]  # ("-s, --section SECTION", help with [default: ...])
    examples: list[str]


def _paragraphs(text: str) -> list[str]:
    return [" ".join(part.split()) for part in text.split("\n\n") if part.strip()]


def _examples(epilog: str | None) -> list[str]:
    return [line[2:] for line in (epilog or "").splitlines() if line.startswith("$ ")]


def _entry(command: Any, ctx: Any, path: str) -> Entry:
    arguments, options = [], []
    for param in command.params:
        if getattr(param, "hidden", False):
            continue
        record = param.get_help_record(ctx)
        if record is None:
            continue
        name, text = record
        if param.param_type_name == "argument":
            arguments.append((name, " ".join(text.split())))
        else:
            options.append((name, " ".join(text.split())))
    options.append(("-h, --help", "Show the help and exit."))
    usage = " ".join(["osteo", *path.split(), *command.collect_usage_pieces(ctx)]).replace("{", "").replace("}", "")
    return Entry(path, usage, _paragraphs(command.help or ""), arguments, options, _examples(command.epilog))


def entries() -> list[Entry]:
    """The root, then every command and group in the order `osteo --help` lists them."""
    from typer.main import get_command

    from osteo_cli.cli import app

    root = get_command(app)
    root_ctx = root.make_context("osteo", [], resilient_parsing=True)
    found = [_entry(root, root_ctx, "")]

    def walk(group: Any, ctx: Any, prefix: str) -> None:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            sub_ctx = command.make_context(name, [], parent=ctx, resilient_parsing=True)
            found.append(_entry(command, sub_ctx, f"{prefix}{name}"))
            if hasattr(command, "commands"):
                walk(command, sub_ctx, f"{prefix}{name} ")

    walk(root, root_ctx, "")
    return found


# -- roff --------------------------------------------------------------------------------


def _roff(text: str) -> str:
    """Markdown help text as roff: `code` and **strong** in bold, roff's specials escaped."""
    text = text.replace("\\", "\\e")
    text = re.sub(r"`([^`]+)`", lambda m: "\\fB" + m[1].replace("-", "\\-") + "\\fR", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"\\fB\1\\fR", text)
    return text


def _line(text: str) -> str:
    """A text line that roff cannot take for a request."""
    return "\\&" + text if text.startswith((".", "'")) else text


def _option(name: str) -> str:
    """`-s, --section SECTION`: the flags in bold, the value in italics."""
    words = []
    for word in name.split(" "):
        if word.startswith("-"):
            flag, comma = (word[:-1], ",") if word.endswith(",") else (word, "")
            words.append("\\fB" + flag.replace("-", "\\-") + "\\fR" + comma)
        else:
            words.append("\\fI" + word.replace("\\", "\\e").replace("-", "\\-") + "\\fR")
    return " ".join(words)


def _code_lines(lines: list[str]) -> list[str]:
    escaped = [_line(line.replace("\\", "\\e").replace("-", "\\-")) for line in lines]
    return [".PP", ".RS 4", ".nf", *escaped, ".fi", ".RE"]


def man_page() -> str:
    from osteo_cli import __version__
    from osteo_cli.cli import ENVIRONMENT, EXIT_STATUS

    root, *commands = entries()
    out = [
        '.\\" Generated from the osteo app by tests/docgen.py (make examples): do not edit.',
        f'.TH OSTEO 1 "" "osteo {__version__}" "User Commands"',
        ".SH NAME",
        "osteo \\- the osteoporosis medication reference for the terminal",
        ".SH SYNOPSIS",
        ".B osteo",
        "[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]...",
        ".SH DESCRIPTION",
    ]
    for paragraph in root.help:
        out += [".PP", _line(_roff(paragraph))]
    out += [
        ".PP",
        "Every answer comes from one validated knowledge base in which every entry names its "
        "sources. osteo works offline. Every command that prints a result takes "
        "\\fB\\-\\-format\\fR \\fItable\\fR|\\fIjson\\fR|\\fImarkdown\\fR: a table on a terminal, "
        "JSON for scripts, Markdown for notes. Data goes to stdout; the one\\-line "
        "\\(lqreference only\\(rq note and errors go to stderr.",
        ".SH OPTIONS",
    ]
    for name, text in root.options:
        out += [".TP", _option(name), _line(_roff(text))]
    out.append(".SH COMMANDS")
    for entry in commands:
        out += [".SS " + '"' + entry.usage.replace("-", "\\-") + '"']
        for paragraph in entry.help:
            out += [".PP", _line(_roff(paragraph))]
        for name, text in entry.arguments:
            out += [".TP", "\\fI" + name + "\\fR", _line(_roff(text))]
        for name, text in entry.options:
            out += [".TP", _option(name), _line(_roff(text))]
        if entry.examples:
            out += [".PP", "Examples:", *_code_lines(entry.examples)[1:]]
    out.append(".SH ENVIRONMENT")
    for variable, text in ENVIRONMENT:
        out += [".TP", f"\\fB{variable}\\fR", _line(_roff(text))]
    out += [
        ".SH FILES",
        ".TP",
        "\\fI$OSTEO_CACHE_DIR\\fR, else \\fI$XDG_CACHE_HOME/osteo\\fR, else \\fI~/.cache/osteo\\fR",
        "The cache: the compiled form of a knowledge\\-base file (its validated records, the names "
        "completion offers, the search index), named by the sha256 of the file's bytes and of the "
        "code that reads it, so an edited file is never answered from an old entry. Safe to delete. "
        "Entries unused for 30 days are removed.",
        ".TP",
        "\\fIosteo_cli/data/medications.yaml\\fR (inside the installed package)",
        "The shipped knowledge base, with its compiled form in \\fIosteo_cli/data/compiled/\\fR. "
        "\\fBosteo kb schema\\fR prints its JSON Schema; \\fB\\-\\-data\\fR or \\fBOSTEO_DATA\\fR "
        "reads another file in the same format.",
        ".SH EXIT STATUS",
    ]
    for code, text in EXIT_STATUS:
        out += [".TP", f"\\fB{int(code)}\\fR", _line(_roff(text))]
    out += [".SH EXAMPLES", *_code_lines(root.examples)[1:]]
    out += [
        ".SH NOTES",
        "osteo is a reference, not medical advice. Decisions about treatment belong with a doctor "
        "who knows the patient.",
        ".SH SEE ALSO",
        "\\fBosteo \\-\\-help\\fR, \\fBosteo\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR; the documentation "
        "in the source's \\fIdocs/\\fR folder (\\fBmkdocs serve\\fR shows it as a site).",
    ]
    return "\n".join(out) + "\n"


# -- Markdown ----------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def reference() -> str:
    from osteo_cli.cli import ENVIRONMENT, EXIT_STATUS

    root, *commands = entries()
    out = [
        "# Command reference",
        "",
        "<!-- Generated from the osteo app by tests/docgen.py (make examples): do not edit. -->",
        "",
        "Every command, argument and option, as `osteo COMMAND --help` shows them. The",
        "[command pages](commands/drugs.md) show what each command prints; `man osteo` holds the",
        "same reference.",
        "",
    ]
    for entry in [root, *commands]:
        out += [f"## `{entry.usage}`", ""]
        out += [paragraph + "\n" for paragraph in entry.help]
        rows = [(f"`{name}`", text) for name, text in entry.arguments + entry.options]
        if rows:
            out += ["| argument or option | meaning |", "|---|---|"]
            out += [f"| {_cell(name)} | {_cell(text)} |" for name, text in rows]
            out.append("")
        if entry.examples:
            out += ["```sh", *entry.examples, "```", ""]
    out += ["## Environment", "", "| variable | meaning |", "|---|---|"]
    out += [f"| `{name}` | {_cell(text)} |" for name, text in ENVIRONMENT]
    out += ["", "## Exit status", "", "| code | meaning |", "|---|---|"]
    out += [f"| {int(code)} | {_cell(text)} |" for code, text in EXIT_STATUS]
    return "\n".join(out) + "\n"


def generated() -> dict[Path, str]:
    return {MAN_PAGE: man_page(), REFERENCE: reference()}


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/docgen.py --update")
    for path, text in generated().items():
        path.parent.mkdir(exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
