"""Issue 22: one JSON vocabulary. A medicine is an `agent`; `agent` and `family` are
`{id, name}` objects; a top-level `sources` is a list of source objects (docs/usage.md)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from helpers import invoke


def data(*args: str) -> dict[str, Any]:
    result = invoke(*args, "-f", "json")
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def refs(value: Any, key: str) -> list[Any]:
    """Every value of a field named `key`, anywhere in the JSON."""
    found = []
    if isinstance(value, dict):
        for k, v in value.items():
            if k == key:
                found.append(v)
            found += refs(v, key)
    elif isinstance(value, list):
        for v in value:
            found += refs(v, key)
    return found


COMMANDS = [
    ("drugs", "list"),
    ("drugs", "show", "prolia"),
    ("drugs", "show", "bisphosphonates"),
    ("drugs", "compare", "prolia", "fosamax"),
    ("drugs", "stopping", "denosumab"),
    ("check", "--egfr", "28"),
    ("sequence", "denosumab:2y", "zoledronic", "acid:1y", "stop"),
    ("schedule", "prolia", "--last", "2026-06-15", "--today", "2026-12-07"),
    ("evidence", "denosumab"),
    ("guidelines",),
    ("tscore", "-2.7"),
    ("faq", "4"),
    ("learn", "scans"),
    ("lifestyle",),
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_agent_and_family_are_id_and_name_objects_and_sources_are_objects(args: tuple[str, ...]) -> None:
    payload = data(*args)
    for key in ("agent", "family"):
        for value in refs(payload, key):
            assert isinstance(value, dict) and {"id", "name"} <= set(value), (key, value)
    if "sources" in payload:
        assert all(isinstance(s, dict) and {"id", "kind", "title"} <= set(s) for s in payload["sources"])
        top = {s["id"] for s in payload["sources"]}
        nested = [i for ids in refs({k: v for k, v in payload.items() if k != "sources"}, "sources") for i in ids]
        assert set(nested) <= top  # every id cited inside is in the top-level list


def test_a_medicine_is_an_agent_in_search_too() -> None:
    kinds = {r["kind"] for r in data("search", "denosumab")["results"]}
    assert "agent" in kinds and "drug" not in kinds


def test_the_family_has_one_shape_in_list_and_show() -> None:
    listed = next(a for a in data("drugs", "list")["agents"] if a["id"] == "denosumab")
    shown = data("drugs", "show", "denosumab")["agent"]
    assert listed["family"] == shown["family"] == {"id": "rankl-inhibitors", "name": "RANKL inhibitors"}


def test_tscore_sources_are_objects() -> None:
    assert data("tscore", "-2.7")["sources"][0]["id"] == "who-1994"
