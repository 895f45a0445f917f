"""Search: every word must match, and names and titles rank above text."""

from __future__ import annotations

import pytest

from osteo_cli.errors import UsageError
from osteo_cli.knowledge import load, locate
from osteo_cli.search import build_index, load_index
from osteo_cli.search import search as find

INDEX = load_index(build_index(load(None).kb), *locate(None))


def titles(*words: str) -> list[tuple[str, str]]:
    return [(h.kind, h.title) for h in find(INDEX, words)]


def test_rebound_finds_denosumab_first() -> None:
    assert titles("rebound")[:3] == [("drug", "Denosumab"), ("family", "RANKL inhibitors"), ("learn", "Key points")]


def test_name_match_ranks_above_text_match() -> None:
    hits = titles("teriparatide")
    assert hits[0] == ("drug", "Teriparatide")


def test_brand_names_are_searched() -> None:
    assert titles("evista")[0] == ("drug", "Raloxifene")


def test_every_word_must_match_and_prefixes_count() -> None:
    both = titles("stop", "denosumab")
    assert ("faq", "4. Can I stop taking my osteoporosis medicine?") in both
    assert all(kind != "lifestyle" for kind, _ in both)
    both = titles("calcium", "absorb")
    assert ("lifestyle", "Calcium and vitamin D") in both
    assert ("drug", "Alendronate") in both  # its interactions: calcium stops it being absorbed
    assert ("lifestyle", "Protein") not in both and titles("achalasia", "tai", "chi") == []


def test_each_kind_is_reachable_with_the_command_that_shows_it() -> None:
    commands = {h.kind: h.command for h in find(INDEX, ["bone"], limit=200)}
    assert commands["drug"].startswith("osteo drugs show ")
    assert commands["faq"].startswith("osteo faq ")
    assert commands["lifestyle"] == "osteo lifestyle"
    assert commands["learn"].startswith("osteo learn ")
    assert commands["tscore"] == "osteo tscore VALUE"


def test_no_match_and_empty_query() -> None:
    assert find(INDEX, ["xylophone"]) == []
    with pytest.raises(UsageError):
        find(INDEX, ["  ", "-"])
