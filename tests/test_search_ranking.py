"""Issue 22 and W3: whole words and names outrank prefixes and stems, a question's stop
words do not empty the result, the results beyond those shown are counted, and a drug hit
points to the section that holds it."""

from __future__ import annotations

import json

from helpers import invoke

from osteo_cli.queries import search as finder

INDEX = finder.open_index(None)


def first(*words: str) -> tuple[str, str]:
    hit = finder.search(INDEX, words)[0]
    return hit.kind, hit.title


def test_a_brand_outranks_its_stem() -> None:
    # porter reads "evenity" as "even": Denosumab's "events" matched, and ranked first
    assert first("evenity") == ("drug", "Romosozumab")


def test_a_whole_word_outranks_a_prefix() -> None:
    hits = finder.search(INDEX, ["men"])
    assert all("menopaus" not in h.title.casefold() for h in hits[:5])
    assert first("men") in {("learn", "Osteoporosis medicines in men"), ("faq", "24. Do these medicines work in men?")}
    assert "healing" in finder.search(INDEX, ["healing"])[0].snippet


def test_stop_words_in_a_question_do_not_empty_the_result() -> None:
    found = finder.find(INDEX, ["how", "long", "does", "alendronate", "take", "to", "work"])
    assert found.words == ["long", "alendronate", "work"]
    assert ("faq", "8. How long until my medicine starts to work?") in [(h.kind, h.title) for h in found.hits]
    result = invoke("search", "how", "long", "does", "alendronate", "take", "to", "work", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert "Searched for: long alendronate work (left out: how does take to)." in result.stdout
    assert result.stdout.endswith("\n")


def test_results_beyond_those_shown_are_counted() -> None:
    found = finder.find(INDEX, ["calcium"])
    assert len(found.hits) == 20 and found.total > 20
    words = " ".join(invoke("search", "calcium", env={"COLUMNS": "80"}).stdout.split())
    assert words.startswith(f"20 of {found.total} results for 'calcium'")
    assert f"{found.total - 20} more not shown: add a word to narrow the search." in words
    data = json.loads(invoke("search", "calcium", "-f", "json").stdout)
    assert data["total"] == found.total and len(data["results"]) == 20


def test_a_drug_hit_points_to_its_section() -> None:
    hits = {h.title: h.command for h in finder.search(INDEX, ["stop", "denosumab"])}
    assert hits["Denosumab"] == "osteo drugs show denosumab --section stopping"
    rebound = finder.search(INDEX, ["rebound"])[0]
    assert rebound.command == "osteo drugs show denosumab --section stopping"
    # a match in the name alone: the card is the answer
    assert finder.search(INDEX, ["prolia"])[0].command == "osteo drugs show denosumab"


def test_a_question_with_no_entry_holding_every_word_gets_the_closest() -> None:
    found = finder.find(INDEX, ["what", "about", "rebound", "xylophone"])
    assert found.partial and found.hits and found.words == ["rebound", "xylophone"]
    assert finder.find(INDEX, ["achalasia", "tai", "chi"]).hits == []  # no stop word: every word must match
