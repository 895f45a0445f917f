"""Renderers: exact text at a pinned width, and untrusted text kept inert."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
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
    notes=["Last reviewed 2026-11-25."],
    footer="Reference only, not medical advice.",
)


def test_table_exact_text_at_pinned_width() -> None:
    assert render(SAMPLE) == "\n".join(
        [
            "Sample",
            "Prolia is a brand of Denosumab.",
            "Drug          Schedule",
            "──────────────────────────────",
            "Denosumab     every 6 months",
            "Teriparatide  - daily",
            "              - up to 2 years",
            "",
            "Last reviewed 2026-11-25.",
        ]
    )


def test_row_header_grid_with_title_exact_text() -> None:
    doc = Document(
        [Grid(("", ""), [("Route", "oral"), ("Dose", "70 mg once a week")], title="Dosing", row_headers=True)]
    )
    assert render(doc) == "\n".join(
        [
            "Dosing",
            "Route  oral",
            "Dose   70 mg once a week",
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
            "Last reviewed 2026-11-25.",
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
    assert render(doc) == "\n".join(["T", "", "██  ■", "0y  1y", "", "A", "──", "x"])
    assert "```text\n██  ■\n0y  1y\n```" in to_markdown(doc)


def _alnum(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def _alnum_in(doc: Document) -> int:
    texts = [doc.title or "", *doc.intro, *doc.notes]
    for grid in doc.grids:
        texts.append(grid.title or "")
        for row in [grid.headers, *grid.rows]:
            texts += [item for cell in row for item in ((cell,) if isinstance(cell, str) else cell)]
    return sum(_alnum(t) for t in texts)


WORDS = st.text(alphabet=st.characters(categories=["Ll", "Lu", "Nd"]), min_size=1, max_size=30)
CELL = st.one_of(
    st.lists(WORDS, min_size=1, max_size=12).map(" ".join),
    st.lists(st.lists(WORDS, min_size=1, max_size=8).map(" ".join), min_size=2, max_size=3).map(tuple),
)


@given(
    columns=st.integers(min_value=1, max_value=5),
    rows=st.integers(min_value=1, max_value=4),
    width=st.integers(min_value=40, max_value=160),
    row_headers=st.booleans(),
    data=st.data(),
)
def test_tables_never_cut_text_or_overflow_the_width(  # type: ignore[no-untyped-def]
    columns, rows, width, row_headers, data
) -> None:
    headers = tuple(data.draw(WORDS) for _ in range(columns))
    body = [tuple(data.draw(CELL) for _ in range(columns)) for _ in range(rows)]
    doc = Document([Grid(headers, body, title="T", row_headers=row_headers)])
    text = render(doc, width=width)
    assert all(len(line) <= width for line in text.splitlines())
    assert _alnum(text) == _alnum_in(doc)


@pytest.mark.parametrize("width", [40, 55, 67, 70, 80, 93, 100, 120, 160])
def test_real_documents_keep_every_character_at_any_width(width: int) -> None:
    from osteo_cli import catalog, plans
    from osteo_cli.knowledge import load
    from osteo_cli.views import drugs, plan

    loaded = load(None)
    kb = loaded.kb
    docs = [
        drugs.agent_list(loaded, catalog.agents_in(kb)),
        drugs.compare_document(loaded, catalog.compare(kb, ["denosumab", "teriparatide", "bisphosphonates"])),
        drugs.show_agent(loaded, kb.agent("denosumab"), None),
        drugs.show_family(loaded, kb.family("bisphosphonates"), None),
        plan.sequence_document(loaded, plans.build(kb, ["teriparatide:18m", "abaloparatide:12m"])),
    ]
    for doc in docs:
        text = render(doc, width=width)
        assert all(len(line) <= width for line in text.splitlines())
        # A figure is drawn whole or cropped at the edge (a bar cannot wrap); only the tables count here.
        shown = text.splitlines()
        if doc.figure:
            start = shown.index("") + 1
            shown = shown[:start] + shown[start + len(doc.figure) :]
        assert _alnum("\n".join(shown)) == _alnum_in(doc)
