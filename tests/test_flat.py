"""The flat table renderer (render/flat.py) against Rich: the same bytes on stdout and stderr,
for random documents at random widths and for every command's real output, with and without
colour; and what it does not reproduce is left to Rich."""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st
from test_fast import SAMPLES

from osteo_cli.commands import fast
from osteo_cli.render import flat, output
from osteo_cli.render.document import Cell, Document, Grid
from osteo_cli.render.formats import OutputFormat

# How the output stream looks to Rich: the variables its Console reads, and whether the
# stream says it is a terminal. None removes a variable.
Env = Mapping[str, str | None]
PIPED: Env = {"FORCE_COLOR": None, "NO_COLOR": "1"}
SCREENS: dict[str, tuple[Env, bool]] = {
    "piped": (PIPED, False),
    "piped-colour-allowed": ({"FORCE_COLOR": None, "NO_COLOR": None}, False),
    "force-color-standard": ({"FORCE_COLOR": "1", "NO_COLOR": None, "TERM": "xterm", "COLORTERM": None}, False),
    "force-color-256": ({"FORCE_COLOR": "1", "NO_COLOR": None, "TERM": "xterm-256color", "COLORTERM": None}, False),
    "force-color-truecolor": ({"FORCE_COLOR": "1", "NO_COLOR": None, "COLORTERM": "truecolor"}, False),
    "force-color-no-color": ({"FORCE_COLOR": "1", "NO_COLOR": "1", "TERM": "xterm-16color"}, False),
    "force-color-empty": ({"FORCE_COLOR": "", "NO_COLOR": None}, True),  # empty: not a terminal
    "tty": ({"FORCE_COLOR": None, "NO_COLOR": None, "TERM": "xterm-kitty", "COLORTERM": None}, True),
    "tty-no-color": ({"FORCE_COLOR": None, "NO_COLOR": "1", "TERM": "screen"}, True),
    "tty-dumb": ({"FORCE_COLOR": None, "NO_COLOR": None, "TERM": "dumb"}, True),  # 80 columns, no colour
    "tty-dumb-lines": ({"FORCE_COLOR": None, "NO_COLOR": None, "TERM": "unknown", "LINES": "30"}, True),
    "tty-compatible-0": ({"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1", "NO_COLOR": None}, True),
    "tty-compatible-1": ({"TTY_COMPATIBLE": "1", "FORCE_COLOR": None, "NO_COLOR": None, "TERM": "xterm"}, False),
}


class Tty(io.StringIO):
    """A captured stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@contextmanager
def _environ(changes: Env) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in changes}
    try:
        for key, value in changes.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def _captured(tty: bool) -> Iterator[tuple[io.StringIO, io.StringIO]]:
    out, err = (Tty() if tty else io.StringIO()), (Tty() if tty else io.StringIO())
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        yield out, err
    finally:
        sys.stdout, sys.stderr = saved


def _emit(doc: Document, use_flat: bool, tty: bool) -> tuple[str, str]:
    saved = output.flat
    output.flat = use_flat
    try:
        with _captured(tty) as (out, err):
            output.emit(OutputFormat.table, lambda: doc, dict)
    finally:
        output.flat = saved
    return out.getvalue(), err.getvalue()


_LINK_ID = re.compile("\x1b]8;id=[^;]*;")


def _same_links(outcome: tuple[str, str]) -> tuple[str, str]:
    """Rich gives every hyperlink a random id: two Rich drawings differ only there."""
    return (_LINK_ID.sub("\x1b]8;id=;", outcome[0]), _LINK_ID.sub("\x1b]8;id=;", outcome[1]))


def _both(doc: Document, screen: str, width: int) -> tuple[tuple[str, str], tuple[str, str], bool]:
    """Rich's output, the flat renderer's, and whether the flat renderer drew it."""
    changes, tty = SCREENS[screen]
    with _environ({"COLUMNS": str(width), "LINES": None, "OSTEO_PAGER": "cat", **changes}):
        with _captured(tty):
            drawn = flat.draw(doc) is not None
        rich, drawn_flat = _emit(doc, False, tty), _emit(doc, True, tty)
    return _same_links(rich), _same_links(drawn_flat), drawn


# -- random documents -------------------------------------------------------------------

LETTERS = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789"
PUNCTUATION = ",.;:-()/%'\"!?[]*"
ACCENTED = "éèüñçÅøß"
SYMBOLS = "—–…≥≤→×²µ•−‘’“”①"
OUTSIDE = "中文字\u0301\u2028😀"  # wide, combining, a line separator, an emoji: left to Rich

word = st.text(st.sampled_from(LETTERS + PUNCTUATION + ACCENTED + SYMBOLS), min_size=1, max_size=30) | st.sampled_from(
    ["a", "of", "mg", "https://example.org/a/long/path/to/somewhere", "x" * 45, "\t", "\xa0", "\x1b[1m"]
)
gap = st.sampled_from([" ", " ", " ", "  ", "   ", "\n", " \n", "\n\n", "\t", "\xa0"])


@st.composite
def phrase(draw: st.DrawFn, max_words: int = 12, outside: bool = True) -> str:
    words = draw(st.lists(word, max_size=max_words))
    parts: list[str] = [draw(st.sampled_from(["", "", " ", "  "]))]
    for w in words:
        parts += [w, draw(gap)]
    if outside and draw(st.integers(0, 20)) == 0:
        parts.insert(draw(st.integers(0, len(parts))), draw(st.sampled_from(OUTSIDE)))
    if not draw(st.booleans()):
        parts.pop()  # sometimes a trailing gap, sometimes not
    return "".join(parts)


def cell(outside: bool) -> st.SearchStrategy[Cell]:
    items = st.lists(phrase(6, outside).filter(bool), min_size=1, max_size=3).map(tuple)
    return phrase(outside=outside) | items


@st.composite
def grid(draw: st.DrawFn, outside: bool) -> Grid:
    count = draw(st.integers(1, 6))
    header = phrase(3, outside)
    headers = draw(st.sampled_from(["none", "some", "all"]))
    if headers == "none":
        heads = ("",) * count
    else:
        heads = tuple(draw(header) if headers == "some" else draw(header.filter(bool)) for _ in range(count))
    rows = draw(st.lists(st.tuples(*[cell(outside)] * count), max_size=4))
    title = draw(st.none() | phrase(5, outside))
    return Grid(heads, rows, title=title, row_headers=draw(st.booleans()))


@st.composite
def document(draw: st.DrawFn) -> Document:
    bar = st.text(st.sampled_from(" █▏▎▍▌▋▊▉═─│|.-0123456789 ab"), max_size=70)
    outside = draw(st.integers(0, 7)) == 0  # sometimes a character Rich measures otherwise
    return Document(
        grids=draw(st.lists(grid(outside), max_size=3)),
        title=draw(st.none() | phrase(8, outside)),
        intro=draw(st.lists(phrase(10, outside), max_size=2)),
        figure=draw(st.lists(bar, max_size=3)),
        notes=draw(st.lists(phrase(15, outside), max_size=2)),
        footer=draw(st.sampled_from(["", "Reference only; knowledge base 2026.1 (2026-01-15). Not medical advice."])),
    )


SIMPLE = Document(
    grids=[
        Grid(("Name", "Dose"), [("Alendronate", "70 mg weekly"), ("Denosumab", ("60 mg", "every 6 months"))], "Dosing"),
        Grid(("", ""), [("Kidney", "no adjustment for CrCl ≥ 35 mL/min; avoid below it")], row_headers=True),
    ],
    title="Example",
    intro=["An intro line."],
    figure=["█████▌ 2.5 years"],
    notes=["A note."],
    footer="Reference only.",
)


@given(doc=document(), width=st.integers(20, 200), screen=st.sampled_from(sorted(SCREENS)))
@example(doc=SIMPLE, width=30, screen="force-color-256")
@example(doc=SIMPLE, width=100, screen="piped")
def test_the_flat_renderer_writes_what_rich_writes(doc: Document, width: int, screen: str) -> None:
    rich, drawn_flat, drawn = _both(doc, screen, width)
    event("drawn flat" if drawn else "left to Rich")
    assert drawn_flat == rich


@given(doc=document(), width=st.integers(1, 19), screen=st.sampled_from(["piped", "force-color-256"]))
def test_narrow_widths_too(doc: Document, width: int, screen: str) -> None:
    rich, drawn_flat, _ = _both(doc, screen, width)
    assert drawn_flat == rich


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_the_simple_document_is_drawn_flat(screen: str) -> None:
    rich, drawn_flat, drawn = _both(SIMPLE, screen, 60)
    assert drawn
    assert drawn_flat == rich
    if "color" in screen and screen != "force-color-empty":
        assert "\x1b[" in drawn_flat[0]


# -- what is left to Rich ---------------------------------------------------------------------


def _declined(doc: Document, width: int = 80, screen: str = "piped") -> bool:
    rich, drawn_flat, drawn = _both(doc, screen, width)
    assert drawn_flat == rich
    return not drawn


@pytest.mark.parametrize("text", ["漢字の説明", "e\u0301", "a\u2028b", "😀", "\ufe0f", "\u3000"])
def test_characters_rich_measures_otherwise_are_left_to_rich(text: str) -> None:
    assert _declined(Document([Grid(("A", "B"), [("x", f"a {text} b")])]))
    assert _declined(Document([], title=text))
    assert _declined(Document([], notes=[f"note {text}"]))


def test_a_stacked_grid_is_left_to_rich() -> None:
    words = "interchangeable " * 3
    assert _declined(
        Document([Grid(("Aaaaaaaaaaaaaa", "Bbbbbbbbbbbbbbb", "Ccccccccccccc"), [(words, words, words)])]), 20
    )


@pytest.mark.parametrize("screen", ["piped", "force-color-256", "force-color-no-color"])
def test_addresses_detached_below_a_table_are_drawn_flat(screen: str) -> None:
    url = "https://example.org/" + "a" * 60
    doc = Document([Grid(("Source", "Address"), [("FDA label", url), ("EMA", f"{url}/b\nsee also")])])
    rich, drawn_flat, drawn = _both(doc, screen, 60)
    assert drawn
    assert drawn_flat == rich
    unlinked = re.sub("\x1b]8;[^\x1b]*\x1b\\\\", "", drawn_flat[0])  # OSC 8 around each address
    assert f"[1] {url}\n" in unlinked
    assert f"[2] {url}/b\n" in unlinked


def test_each_link_gets_its_own_id() -> None:
    url = "https://example.org/" + "a" * 60
    doc = Document([Grid(("Source", "Address"), [("A", url), ("B", url), ("C", url)])])
    with _environ({"COLUMNS": "60", **SCREENS["force-color-256"][0]}):
        drawn = flat.draw(doc)
    assert drawn is not None
    ids = re.findall("\x1b]8;id=([0-9]+);", drawn.stdout)
    assert len(ids) == 3
    assert len(set(ids)) == 3


def test_a_narrow_list_cell_and_an_empty_one_are_left_to_rich() -> None:
    narrow = Document([Grid(("", "", "", "", "", ""), [("a", "b", "c", "d", "e", ("x", "y"))])])
    assert _declined(narrow, 20)  # a column of 1-3 characters holds the list
    with pytest.raises(IndexError):  # Rich's path fails on an empty list as it always has
        _both(Document([Grid(("A",), [((),)])]), "piped", 80)
    with _environ({"COLUMNS": "80"}):
        assert flat.draw(Document([Grid(("A",), [((),)])])) is None


def test_a_grid_without_columns_is_left_to_rich() -> None:
    assert _declined(Document([Grid((), [])], title="t"))


def test_a_figure_line_with_a_newline_is_left_to_rich() -> None:
    assert _declined(Document([], figure=["ab\ncd"]))


def test_consoles_rich_sets_up_otherwise_are_left_to_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    with _environ({"COLUMNS": "80"}):
        assert flat.screen() is not None
        with monkeypatch.context() as patch:
            patch.setattr(sys, "platform", "win32")
            assert flat.screen() is None
        with monkeypatch.context() as patch:
            patch.setattr("builtins.get_ipython", lambda: None, raising=False)
            assert flat.screen() is None
        with monkeypatch.context() as patch:
            patch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="cp1252"))
            assert flat.screen() is None
        with monkeypatch.context() as patch:
            patch.setattr(sys, "stdout", None)
            assert flat.screen() is None
    with _environ({"COLUMNS": "0", "LINES": "20"}):
        assert flat.screen() is None


@pytest.mark.parametrize(
    ("env", "tty", "expected"),
    [
        ({"COLUMNS": "77", "LINES": "20", "FORCE_COLOR": None, "TTY_COMPATIBLE": None}, False, (77, False, False)),
        ({"COLUMNS": "77", "LINES": "20", "FORCE_COLOR": "1", "TERM": "dumb"}, False, (77, True, False)),
        ({"COLUMNS": "77", "LINES": None, "FORCE_COLOR": "1", "TERM": "dumb"}, False, (80, True, False)),
        ({"COLUMNS": "77", "LINES": None, "FORCE_COLOR": None, "TERM": "xterm"}, True, (77, True, True)),
        ({"COLUMNS": "x", "LINES": None, "FORCE_COLOR": "1", "TERM": "xterm"}, False, None),
    ],
)
def test_the_screen_is_the_console_rich_would_make(
    env: Env, tty: bool, expected: tuple[int, bool, bool] | None
) -> None:
    with _environ({"TTY_COMPATIBLE": None, **env}), _captured(tty):
        decided = flat.screen()
        console = output.console()
        rich = (console.width, console.is_terminal, console.color_system is not None)
    assert decided is not None
    assert (decided.width, decided.is_terminal, decided.colour) == rich
    if expected is not None:
        assert rich == expected


def test_every_character_taken_as_narrow_is_one_cell_in_every_unicode_version() -> None:
    import re

    from rich._unicode_data import load
    from rich._unicode_data._versions import VERSIONS
    from rich.cells import cell_len

    allowed = re.compile(f"[{flat._NARROW}]")
    characters = [chr(c) for c in range(0x110000) if allowed.fullmatch(chr(c)) and chr(c) != "\n"]
    assert len(characters) > 1000
    for version in VERSIONS:
        load(version)
        for ch in characters:
            assert cell_len(ch, version) == 1, (version, hex(ord(ch)))
    # (a variation selector that could widen one of them, U+FE0F, is itself outside the set)
    for ch in characters:
        assert cell_len(ch) == 1
        assert cell_len("中" + ch) == 3  # also when measured through the tables


# -- every command's real output ---------------------------------------------------------------

# Every command line test_fast.py holds the fast path to (answers and errors), and a few more.
MORE: dict[tuple[str, ...], list[list[str]]] = {
    ("drugs", "show"): [["teriparatide"], ["romosozumab"], ["raloxifene"], ["abaloparatide"]],
    ("drugs", "stopping"): [["alendronate"]],
    ("search",): [["fractures", "kidney"]],
}
LINES = [[*path, *sample] for table in (SAMPLES, MORE) for path, samples in table.items() for sample in samples]
COMMAND_SCREENS = ["piped", "force-color-256", "tty-no-color"]


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("flat-cache")


def _run(argv: list[str], use_flat: bool, tty: bool) -> tuple[str, str, int]:
    call = fast.parse(argv, os.environ)
    assert call is not None, argv
    saved = output.flat
    output.flat = use_flat
    try:
        with _captured(tty) as (out, err):
            code = fast.run(call)
    finally:
        output.flat = saved
    return out.getvalue(), err.getvalue(), code


@pytest.mark.parametrize("screen", COMMAND_SCREENS)
@pytest.mark.parametrize("width", [40, 80, 100, 160])
@pytest.mark.parametrize("argv", LINES, ids=" ".join)
def test_every_command_prints_what_rich_prints(
    argv: list[str], width: int, screen: str, warm_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OSTEO_CACHE_DIR", str(warm_cache))
    changes, tty = SCREENS[screen]
    with _environ({"COLUMNS": str(width), "LINES": None, "OSTEO_PAGER": "cat", **changes}):
        rich = _run(argv, False, tty)
        drawn = _run(argv, True, tty)
    assert (*_same_links(drawn[:2]), drawn[2]) == (*_same_links(rich[:2]), rich[2])


def test_most_commands_are_drawn_flat(warm_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fallback is for the odd document: the real ones are drawn flat at common widths."""
    monkeypatch.setenv("OSTEO_CACHE_DIR", str(warm_cache))
    declined: list[list[str]] = []
    original = flat.draw

    def spy(doc: Document) -> flat.Drawn | None:
        drawn = original(doc)
        if drawn is None:
            declined.append(current)
        return drawn

    monkeypatch.setattr(flat, "draw", spy)
    with _environ({"COLUMNS": "100", "LINES": None, "OSTEO_PAGER": "cat", **PIPED}):
        for current in LINES:
            _run(current, True, False)
    assert declined == []
