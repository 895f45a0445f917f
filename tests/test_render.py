"""Renderers: exact text at a pinned width, and untrusted text kept inert."""

from __future__ import annotations

import io

from rich.console import Console

from osteo_cli.document import Document, Grid
from osteo_cli.render.markdown import to_markdown
from osteo_cli.render.table import to_renderable
from osteo_cli.textsafe import clean


def render(doc: Document, width: int = 60) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, markup=False, emoji=False, highlight=False)
    console.print(to_renderable(doc, width))
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines())


SAMPLE = Document(
    [Grid(("Drug", "Schedule"), [("Denosumab", "every 6 months"), ("Teriparatide", ("daily", "up to 2 years"))])],
    title="Sample",
    intro=["Prolia is a brand of Denosumab."],
    notes=["Last reviewed 2026-11-24."],
    footer="Reference only, not medical advice.",
)


def test_table_exact_text_at_pinned_width() -> None:
    assert render(SAMPLE) == "\n".join(
        [
            "Sample",
            "Prolia is a brand of Denosumab.",
            " Drug           Schedule",
            "────────────────────────────────",
            " Denosumab      every 6 months",
            " Teriparatide   - daily",
            "                - up to 2 years",
            "",
            "Last reviewed 2026-11-24.",
        ]
    )


def test_row_header_grid_with_title_exact_text() -> None:
    doc = Document(
        [Grid(("", ""), [("Route", "oral"), ("Dose", "70 mg once a week")], title="Dosing", row_headers=True)]
    )
    assert render(doc) == "\n".join(
        [
            "Dosing",
            " Route  oral",
            " Dose   70 mg once a week",
        ]
    )


def test_narrow_table_wraps_between_words_and_loses_nothing() -> None:
    long = "No maximum duration; treatment is reassessed after 5 to 10 years."
    doc = Document([Grid(("Drug", "Duration"), [("Denosumab", long)])])
    text = render(doc, width=40)
    assert all(len(line) <= 40 for line in text.splitlines())
    assert " ".join(text.split()).count("reassessed after 5 to 10 years.") == 1
    assert "…" not in text


def test_markdown_exact_text() -> None:
    assert to_markdown(SAMPLE) == "\n".join(
        [
            "## Sample",
            "",
            "Prolia is a brand of Denosumab.",
            "",
            "| Drug | Schedule |",
            "|---|---|",
            "| Denosumab | every 6 months |",
            "| Teriparatide | - daily<br>- up to 2 years |",
            "",
            "Last reviewed 2026-11-24.",
            "",
            "_Reference only, not medical advice._",
            "",
        ]
    )


HOSTILE = "[bold]x[/bold] [link=https://evil.example]click[/link] :skull: [/x] \x1b[31mred\x1b]8;;\x07 \u202eabc"


def test_markup_and_escapes_in_data_are_printed_literally_and_inert() -> None:
    doc = Document([Grid(("Field",), [(HOSTILE,)])], title=HOSTILE, notes=[HOSTILE])
    text = render(doc, width=200)
    assert "[bold]x[/bold]" in text
    assert "[link=https://evil.example]click[/link]" in text
    assert ":skull:" in text and "💀" not in text
    assert "[/x]" in text
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text


def test_markdown_escapes_pipes_and_newlines_and_strips_controls() -> None:
    doc = Document([Grid(("A",), [("x | y\nz\x1b[2J",)])])
    assert "| x \\| y<br>z\ufffd[2J |" in to_markdown(doc)


def test_clean_replaces_controls_keeps_text() -> None:
    assert clean("a\tb\x00c\x9bd\ud800e\n") == "a b\ufffdc\ufffdd\ufffde\n"


def test_figure_lines_are_kept_whole_between_title_and_table() -> None:
    doc = Document([Grid(("A",), [("x",)])], title="T", figure=["██  ■", "0y  1y"])
    assert render(doc) == "\n".join(["T", "", "██  ■", "0y  1y", "", " A", "───", " x"])
    assert "```text\n██  ■\n0y  1y\n```" in to_markdown(doc)
