"""Rich's emoji table is loaded at the first lookup, not at the first markup: Typer's help
(which holds no emoji code) no longer loads it, and a code is still replaced as Rich does."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import process_env

from osteo_cli.render.emoji_table import OnFirstLookup


def _python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=process_env(), check=True)
    return done.stdout


@pytest.mark.parametrize("args", [["--help"], ["drugs", "show", "--help"], []])
def test_a_help_never_loads_the_table(args: list[str]) -> None:
    """The help is drawn in full (Typer's Markdown mode, panels and all) with the table unread."""
    out = _python(
        "import sys\n"
        "from osteo_cli.cli import app\n"
        "try:\n"
        f"    app({args!r}, prog_name='osteo')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('table loaded:', sys.modules['rich._emoji_codes'].EMOJI.loaded)\n"
    )
    assert "Usage: osteo" in out and "Options" in out
    assert out.endswith("table loaded: False\n")


def test_a_code_is_still_replaced_as_rich_replaces_it() -> None:
    out = _python(
        "from osteo_cli.render import emoji_table\n"
        "emoji_table.install()\n"
        "from rich.text import Text\n"
        "from rich.emoji import Emoji\n"
        "print(Text.from_markup(':thumbs_up: :nonesuch: 10:30:00').plain)\n"
        "print(str(Emoji('smiley')), Emoji.replace(':x:'))\n"
    )
    assert out == "\N{THUMBS UP SIGN} :nonesuch: 10:30:00\n\N{SMILING FACE WITH OPEN MOUTH} \N{CROSS MARK}\n"


def test_the_stand_in_reads_as_rich_s_own_table() -> None:
    from rich._emoji_codes import EMOJI as RICH

    for read in (len, list, lambda t: "smiley" in t, lambda t: t.get("smiley"), lambda t: sorted(t.items())[:3]):
        assert read(OnFirstLookup()) == read(RICH)
    table = OnFirstLookup()
    assert table["smiley"] == RICH["smiley"] and table.loaded
    with pytest.raises(KeyError):
        table["nonesuch"]  # an unknown code raises, as in Rich's own table
