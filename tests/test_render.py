"""Renderers: exact text at a pinned width, and untrusted text kept inert."""

from __future__ import annotations

import io
import re
from collections import Counter

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from osteo_cli.render.document import Document, Entry, Grid
from osteo_cli.render.markdown import to_markdown
from osteo_cli.render.table import to_renderable
from osteo_cli.render.textsafe import clean


def render(doc: Document, width: int = 60) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, markup=False, emoji=False, highlight=False)
    console.print(to_renderable(doc, width), crop=False)
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
            "",  # rows that take several lines are set apart
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
    assert "| x \\| y<br>z\ufffd\\[2J |" in to_markdown(doc)


def test_clean_replaces_controls_keeps_text() -> None:
    assert clean("a\tb\x00c\x9bd\ud800e\n") == "a b\ufffdc\ufffdd\ufffde\n"


ENTRIES = Document(
    [],
    entries=[
        Entry("1. Is it safe?", ("Yes, for most people. More: osteo learn key-points.",)),
        Entry("2. How long?", ("It depends.", "Sources: label.")),
    ],
    notes=["Two questions."],
)


def test_entries_exact_text_a_heading_and_its_paragraphs_across_the_width() -> None:
    assert render(ENTRIES, width=30) == "\n".join(
        [
            "1. Is it safe?",
            "    Yes, for most people.",
            "    More: osteo learn",
            "    key-points.",
            "",
            "2. How long?",
            "    It depends.",
            "    Sources: label.",
            "",
            "Two questions.",
        ]
    )
    assert render(ENTRIES, width=12).splitlines()[:3] == ["1. Is it", "safe?", "Yes, for"]  # no indent
    # A long heading's next lines stand under its words, not at the margin like the answer's.
    long = Document([], entries=[Entry("15. I felt ill with fever after it. What now?", ("Rest.",))])
    assert render(long, width=30) == "15. I felt ill with fever\n    after it. What now?\n    Rest."


def test_entries_in_markdown_are_bold_headings_and_paragraphs_and_inert() -> None:
    doc = Document([], entries=[Entry("1. [b]Q[/b] *x*", ("a | b <i>",))])
    assert to_markdown(doc) == "**1. \\[b\\]Q\\[/b\\] \\*x\\***\n\na \\| b &lt;i&gt;\n"
    assert "[b]Q[/b]" in render(doc, width=80)


def test_figure_lines_are_kept_whole_between_title_and_table() -> None:
    doc = Document([Grid(("A",), [("x",)])], title="T", figure=["██  ■", "0y  1y"])
    assert render(doc) == "\n".join(["T", "", "██  ■", "0y  1y", "", "A", "──", "x"])
    assert "```text\n██  ■\n0y  1y\n```" in to_markdown(doc)


def _alnum(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def _texts(doc: Document) -> list[str]:
    texts = [doc.title or "", *doc.intro, *doc.notes]
    texts += [text for entry in doc.entries for text in (entry.heading, *entry.paragraphs)]
    for grid in doc.grids:
        texts.append(grid.title or "")
        for row in [grid.headers, *grid.rows]:
            texts += [item for cell in row for item in ((cell,) if isinstance(cell, str) else cell)]
    return texts


def _alnum_in(doc: Document) -> int:
    return sum(_alnum(t) for t in _texts(doc))


def _keeps_every_character(text: str, doc: Document) -> bool:
    """Every letter and digit of the document is shown (a stacked layout repeats headers)."""
    shown = Counter(ch for ch in text if ch.isalnum())
    wanted = Counter(ch for t in _texts(doc) for ch in t if ch.isalnum())
    return not wanted - shown


WORDS = st.text(alphabet=st.characters(categories=["Ll", "Lu", "Nd"]), min_size=1, max_size=30)
CELL = st.one_of(
    st.lists(WORDS, min_size=1, max_size=12).map(" ".join),
    st.lists(st.lists(WORDS, min_size=1, max_size=8).map(" ".join), min_size=2, max_size=3).map(tuple),
)


@given(
    columns=st.integers(min_value=1, max_value=5),
    rows=st.integers(min_value=1, max_value=4),
    width=st.integers(min_value=1, max_value=200),
    row_headers=st.booleans(),
    data=st.data(),
)
def test_tables_never_cut_text_or_overflow_the_width(  # type: ignore[no-untyped-def]
    columns, rows, width, row_headers, data
) -> None:
    headers = tuple(data.draw(WORDS) for _ in range(columns))
    body = [tuple(data.draw(CELL) for _ in range(columns)) for _ in range(rows)]
    doc = Document([Grid(headers, body, title="T", row_headers=row_headers)])
    # One column cannot hold a double-width character (０, 漢): nothing can show it there.
    assume(width > 1 or all(cell_len(ch) <= 1 for t in _texts(doc) for ch in t))
    text = render(doc, width=width)
    assert all(len(line) <= width for line in text.splitlines())
    assert _keeps_every_character(text, doc)


def test_every_width_from_1_to_200_keeps_every_word_of_every_table() -> None:
    """Reliability D5: below the longest words the rows are stacked, never a column dropped."""
    for width in range(1, 201):
        text = render(COMPARE, width=width)
        assert all(len(line) <= width for line in text.splitlines()), width
        assert _keeps_every_character(text, COMPARE), width


COMPARE = Document(
    [
        Grid(
            ("", "Alendronate", "Denosumab", "Teriparatide", "Romosozumab", "Conjugated estrogens"),
            [
                ("Route", "oral, once a week", "subcutaneous", "subcutaneous, daily", "subcutaneous", "oral"),
                ("Must follow", ("no",), ("yes: a bisphosphonate",), ("yes", "an antiresorptive"), "yes", "no"),
            ],
            title="Compared",
            row_headers=True,
        ),
        Grid(("Drug", "Family", "Schedule"), [("Zoledronic acid", "Bisphosphonates", "intravenous, once a year")]),
    ],
    title="Compare",
)


@pytest.mark.parametrize("width", [1, 5, 12, 30, 40, 55, 67, 70, 80, 93, 100, 120, 160])
def test_real_documents_keep_every_character_at_any_width(width: int) -> None:
    from osteo_cli.knowledge import load
    from osteo_cli.queries import drugs as drug_queries
    from osteo_cli.queries import faq as faq_queries
    from osteo_cli.queries import sequence as sequence_queries
    from osteo_cli.views import drugs, faq, sequence

    loaded = load(None)
    kb = loaded.kb
    docs = [
        drugs.agent_list(loaded, drug_queries.agents_in(kb)),
        drugs.compare_document(loaded, drug_queries.compare(kb, ["denosumab", "teriparatide", "bisphosphonates"])),
        drugs.show_agent(loaded, kb.agent("denosumab"), None),
        drugs.show_family(loaded, kb.family("bisphosphonates"), None),
        sequence.sequence_document(loaded, sequence_queries.build(kb, ["teriparatide:18m", "abaloparatide:12m"])),
        faq.faq_document(loaded, faq_queries.faq(kb, ["denosumab"])),
    ]
    for doc in docs:
        text = render(doc, width=width)
        # An address is never folded: it may overflow, on a line of its own.
        assert all(len(line) <= width or re.fullmatch(r"(\[\d+\] )?https?://\S+", line) for line in text.splitlines())
        # A figure is drawn whole or left out (a bar cannot wrap); only the tables count here.
        shown = [line for line in text.splitlines() if line not in doc.figure]
        assert _keeps_every_character("\n".join(shown), doc)


def test_a_row_identifier_keeps_its_whole_width_when_it_fits() -> None:
    """Newcomer D3: "Zoledronic acid" is not split into two lines that read like two rows."""
    doc = Document([Grid(("Drug", "Schedule"), [("Zoledronic acid", "intravenous, once a year " * 3)])])
    assert render(doc, width=50).splitlines()[2].startswith("Zoledronic acid ")


def test_too_narrow_for_the_words_stacks_the_rows() -> None:
    doc = Document([Grid(("Drug", "Family"), [("Denosumab", "RANKL inhibitors"), ("Alendronate", "Bisphosphonates")])])
    assert render(doc, width=20).splitlines() == [
        "Drug: Denosumab",
        "Family: RANKL",
        "inhibitors",
        "",
        "Drug: Alendronate",
        "Family:",
        "Bisphosphonates",
    ]


def test_figures_scale_to_any_width_or_are_left_out() -> None:
    """Reliability D6, newcomer D12: never a cropped bar or a lost marker."""
    from decimal import Decimal

    from osteo_cli.knowledge import load
    from osteo_cli.queries import sequence as sequence_queries
    from osteo_cli.views import figures

    plan = sequence_queries.build(load(None).kb, ["teriparatide:2y", "denosumab:10y", "alendronate:5y", "stop"])
    for columns in range(1, 121):
        for lines in (
            figures.timeline(plan, columns=columns),
            figures.gauge(Decimal("2.5"), Decimal("-2.5"), Decimal("-1.0"), columns=columns),
        ):
            assert all(len(line) <= columns for line in lines), columns
            if lines and "▲" in "".join(lines):
                assert "2.5" in "".join(lines)
    assert "■" in "\n".join(figures.timeline(plan, columns=40))


def test_a_plan_of_centuries_draws_its_axis() -> None:
    """Reliability C2: next() without a default once a plan passed 400 years."""
    from osteo_cli.knowledge import load
    from osteo_cli.queries import sequence as sequence_queries
    from osteo_cli.views import figures

    steps = ["alendronate:50y", "denosumab:50y"] * 5
    plan = sequence_queries.build(load(None).kb, steps)
    assert figures.timeline(plan)[-1].strip().startswith("0y")


def test_addresses_are_never_folded() -> None:
    """Newcomer D8: a folded URL cannot be clicked or copied."""
    url = "https://www.fda.gov/drugs/drug-safety-and-availability/fda-adds-boxed-warning-increased-risk"
    doc = Document([Grid(("Source", "Title and address"), [("fda-2024", f"FDA adds Boxed Warning\n{url}")])])
    for width in (40, 80, 100):
        lines = render(doc, width=width).splitlines()
        assert any(line.endswith(url) for line in lines), width


ITEM_WORDS = st.sampled_from(
    ["a", "bb", "calcium", "x" * 40, "two words", "é", "漢字", "line\nbreak", "  lead", "trail  ", "", "-", "—"]
)


def _in_a_cell(renderable: object, width: int, terminal: bool) -> str:
    from rich.table import Table

    console = Console(
        file=io.StringIO(),
        width=width + 12,
        force_terminal=terminal,
        color_system="truecolor" if terminal else None,
        markup=False,
        emoji=False,
        highlight=False,
    )
    outer = Table(show_header=False, box=None, padding=(0, 2, 0, 0), show_edge=False)
    outer.add_column("label", style="bold cyan", width=6)
    outer.add_column("cell", width=width, overflow="fold")
    outer.add_row("label", renderable)  # type: ignore[arg-type]
    with console.capture() as captured:
        console.print(outer, crop=False)
    return captured.get()


def test_a_list_cell_hangs_its_wrapped_lines_under_the_first_letter() -> None:
    from rich.text import Text

    from osteo_cli.render.table import Bullets

    drawn = _in_a_cell(Bullets([Text("take with a full glass of water"), Text("x" * 14)]), 12, terminal=False)
    assert [line.rstrip() for line in drawn.splitlines()] == [
        "label   - take with",
        "          a full",
        "          glass of",
        "          water",
        "        - xxxxxxxxxx",
        "          xxxx",
    ]


@given(
    items=st.lists(st.lists(ITEM_WORDS, max_size=12).map(" ".join), min_size=1, max_size=4),
    width=st.integers(1, 110),
    terminal=st.booleans(),
)
def test_a_list_cell_keeps_every_character_within_its_width(items: list[str], width: int, terminal: bool) -> None:
    """Every width, wide characters, blank and multi-line items, on a terminal and piped."""
    from rich.text import Text

    from osteo_cli.render.table import Bullets

    assume(width > 1 or all(cell_len(ch) <= 1 for item in items for ch in item))  # 漢 needs two columns
    drawn = _in_a_cell(Bullets([Text(item) for item in items]), width, terminal)
    plain = re.sub("\x1b\\[[0-9;]*m", "", drawn)
    cells = [line[8:] for line in plain.splitlines()]  # after the label column
    assert all(cell_len(line.rstrip()) <= width for line in cells)

    def marks(text: str) -> Counter[str]:  # what a reader sees, bullets aside
        return Counter(ch for ch in text if not ch.isspace() and ch != "-")

    assert not marks("".join(items)) - marks("".join(cells))
    if width >= 4:  # room for the bullet and a wide letter: one "- " for each item
        assert sum(line.startswith("- ") for line in cells) >= len(items)
