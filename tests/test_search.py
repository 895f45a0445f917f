"""Search: every word must match, and names and titles rank above text; FTS5 forgives
punctuation, possessives, plurals and other endings, and suggests a spelling."""

from __future__ import annotations

import re

import pytest
from helpers import invoke

from osteo_cli.errors import UsageError
from osteo_cli.knowledge import load
from osteo_cli.queries import search as finder
from osteo_cli.queries.search import search as find

INDEX = finder.open_index(None)


def titles(*words: str) -> list[tuple[str, str]]:
    return [(h.kind, h.title) for h in find(INDEX, words)]


def test_rebound_finds_denosumab_first() -> None:
    assert titles("rebound")[:2] == [("drug", "Denosumab"), ("family", "RANKL inhibitors")]


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


def test_the_index_is_fts5_here() -> None:
    assert finder.fts5_available() and INDEX.db is not None


@pytest.mark.parametrize("word", ["rebound?", "(rebound)", "REBOUND!", "rebound."])
def test_punctuation_is_ignored(word: str) -> None:
    assert titles(word) == titles("rebound")


def test_possessives_are_ignored() -> None:
    assert titles("Prolia's")[0] == ("drug", "Denosumab")
    assert titles("Prolia’s") == titles("prolia")


def every(word: str) -> set[tuple[str, str]]:
    return {(h.kind, h.title) for h in find(INDEX, [word], limit=1000)}


def test_plural_and_singular_find_the_same_entries() -> None:
    # the same entries; the word as typed ranks first, so the first 20 may differ
    assert every("fractures") == every("fracture")
    assert ("drug", "Alendronate") in titles("fractures")
    assert titles("stones") and every("stones") == every("stone")


def test_everyday_words_side_effects() -> None:
    hits = find(INDEX, ["side", "effects"])
    assert hits and all(h.kind == "drug" for h in hits[:3])
    assert any("side effect" in h.snippet.casefold() for h in hits)


def test_other_endings_of_a_word_match() -> None:
    assert ("faq", "4. Can I stop taking my osteoporosis medicine?") in titles("stopped", "denosumab")


def test_did_you_mean_comes_from_the_index() -> None:
    assert find(INDEX, ["zolendronic"]) == []
    assert finder.suggest(INDEX, ["zolendronic"]) == ["zoledronic"]
    assert finder.suggest(INDEX, ["xylophone"]) is None
    result = invoke("search", "zolendronic")
    assert result.exit_code == 1 and "did you mean 'zoledronic'?" in result.stderr


def test_snippets_start_and_end_at_word_boundaries() -> None:
    kb = load(None).kb
    words = set(re.findall(r"[^\W_]+", " ".join(t for e in finder._entries(kb) for _, t in e[3])))
    for query in (["bone"], ["rebound"], ["side", "effects"], ["calcium"], ["kidney"]):
        for hit in find(INDEX, query, limit=200):
            inner = hit.snippet.strip("…")
            first, last = re.findall(r"[^\W_]+", inner)[0], re.findall(r"[^\W_]+", inner)[-1]
            assert first in words and last in words, (query, hit.snippet)
            assert len(hit.snippet) <= 82


def test_words_are_deduplicated_and_bounded() -> None:
    assert titles(*["rebound"] * 10_000) == titles("rebound")
    with pytest.raises(UsageError, match="at most 64 letters"):  # refused before any scan
        find(INDEX, ["a" * 60_000])
    with pytest.raises(UsageError, match="at most 16 different words"):
        find(INDEX, [f"w{i}" for i in range(17)])


def test_without_fts5_a_search_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """One engine on every path: a Python without FTS5 is told so, never given other results."""
    monkeypatch.setattr(finder, "fts5_available", lambda: False)
    result = invoke("search", "rebound")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.strip() == (
        "osteo: error: search needs SQLite with FTS5, which this Python's sqlite3 module lacks"
    )


def test_every_kind_of_entry_is_in_the_index() -> None:
    kinds = {h.kind for h in find(INDEX, ["the"], limit=1000)}
    assert kinds >= {"drug", "family", "faq", "lifestyle", "learn", "tscore", "evidence", "guideline"}
