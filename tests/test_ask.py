"""`osteo ask`: real questions (tests/data/questions.yaml, each with its public source) and the facts
each answer must contain; and the command itself, in-process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import invoke

from osteo_cli.knowledge import Loaded
from osteo_cli.queries.ask import ask

QUESTIONS: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "data" / "questions.yaml").read_text())[
    "questions"
]


def test_the_question_set_is_large_and_sourced() -> None:
    assert len(QUESTIONS) >= 40
    assert all(q["source"]["url"].startswith("http") and q["source"]["title"] for q in QUESTIONS)
    assert sum(q.get("answered", True) is False for q in QUESTIONS) >= 3


@pytest.mark.parametrize("entry", QUESTIONS, ids=[q["question"][:60] for q in QUESTIONS])
def test_real_question(loaded: Loaded, entry: dict[str, Any]) -> None:
    asked = ask(loaded.kb, entry["question"])
    assert asked.answered is entry.get("answered", True), asked.unanswered
    if not asked.answered:
        assert asked.answers == []
        return
    assert [m.found.entry.id for m in asked.medicines][: len(entry.get("medicines", []))] == entry.get("medicines", [])[
        : len(asked.medicines)
    ] or set(entry.get("medicines", [])) <= {m.found.entry.id for m in asked.medicines}
    assert set(entry.get("topics", [])) <= {t.id for t in asked.topics}
    said = "\n".join(f"{f.id}\t{f.text}" for a in asked.answers for f in a.facts)
    for fact in entry.get("facts", []):
        assert fact in said, f"{fact!r} missing from the answer to {entry['question']!r}"


def test_every_fact_cites_the_knowledge_base_text(loaded: Loaded) -> None:
    """Facts are the knowledge base's own sentences, each with sources that exist."""
    ids = {s.id for s in loaded.kb.sources}
    for entry in QUESTIONS:
        for answer in ask(loaded.kb, entry["question"]).answers:
            for fact in answer.facts:
                assert set(fact.sources) <= ids
            assert answer.more


def test_order_follows_the_question(loaded: Loaded) -> None:
    asked = ask(loaded.kb, "I missed my Prolia and alendronate, and what about the dentist")
    assert [(a.medicine.id if a.medicine else None, a.topic) for a in asked.answers] == [
        ("denosumab", "missed-dose"),
        ("denosumab", "dental"),
        ("alendronate", "missed-dose"),
        ("alendronate", "dental"),
    ] or [a.topic for a in asked.answers] == ["missed-dose", "missed-dose", "dental", "dental"]


def test_names_of_every_kind(loaded: Loaded) -> None:
    for typed, agent in [
        ("Jubbonti", "denosumab"),
        ("denosumab-bnht", "denosumab"),
        ("zoledronic acid", "zoledronic-acid"),
        ("Fosamax Plus D", "alendronate"),
    ]:
        asked = ask(loaded.kb, f"what if I missed my {typed}?")
        assert [m.found.entry.id for m in asked.medicines] == [agent]
    family = ask(loaded.kb, "do bisphosphonates affect the dentist")
    assert family.medicines[0].found.claim.kind == "family"


def test_the_command_answers_and_exits_0() -> None:
    result = invoke("ask", "I", "missed", "my", "weekly", "alendronate")
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "Alendronate: missed dose" in said and "morning after you" in said
    assert "Reference only" in result.output


def test_the_command_says_plainly_it_has_no_answer() -> None:
    result = invoke("ask", "can I have vaccinations while on denosumab")
    assert result.exit_code == 1
    assert "cannot tell what you are asking" in result.output


def test_no_answer_shows_the_nearest_search_hits() -> None:
    result = invoke("ask", "-f", "json", "tell me about rebound")
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert data["answered"] is False and data["answers"] == [] and data["nearest"]


def test_json_carries_the_answer() -> None:
    result = invoke("ask", "-f", "json", "can I take alendronate with omeprazole")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    answer = data["answers"][0]
    assert answer["medicine"] == {"id": "alendronate", "name": "Alendronate"}
    assert answer["facts"][0]["sources"] == ["label-fosamax"]
    assert data["substances"][0]["ids"] == ["acid-reducers"]


def test_kb_validate_checks_what_answers_name(loaded: Loaded) -> None:
    from osteo_cli.knowledge.integrity import _ask

    assert list(_ask(loaded.kb)) == []
    import dataclasses

    bad = dataclasses.replace(loaded.kb.ask[0], answers=["no-such-section", "faq.nope"], general=["kidney"])
    kb = dataclasses.replace(loaded.kb, ask=[bad, *loaded.kb.ask[1:]])
    messages = [p.message for p in _ask(kb)]
    assert len(messages) == 3
