"""The knowledge-base schema itself: every field documented, every record strict about its keys."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from helpers import shipped_data
from pydantic import TypeAdapter, ValidationError

from osteo_cli.knowledge import models, validate
from osteo_cli.knowledge.models import record
from osteo_cli.knowledge.read import Lines

RECORDS = sorted(
    (cls for cls in vars(models).values() if isinstance(cls, type) and dataclasses.is_dataclass(cls)),
    key=lambda cls: cls.__name__,
)
MISSPELT = "sorces"  # `sources` with a letter dropped: the mistake extra="forbid" is there to catch


shipped = shipped_data  # a fresh copy of the shipped file as plain data, to spoil one key of


def _unexpected(exc: pytest.ExceptionInfo[ValidationError]) -> list[tuple[Any, ...]]:
    return [tuple(err["loc"]) for err in exc.value.errors() if err["type"] == "unexpected_keyword_argument"]


def test_models_define_records() -> None:
    names = {cls.__name__ for cls in RECORDS}
    assert {"KnowledgeBase", "Agent", "Kidney", "MissedDose", "Source"} <= names
    assert len(RECORDS) >= 30


def test_every_field_of_every_definition_has_a_description() -> None:
    schema = validate.json_schema()
    definitions = [("KnowledgeBase", schema), *schema["$defs"].items()]
    undocumented = [
        f"{name}.{field}"
        for name, definition in definitions
        for field, prop in definition.get("properties", {}).items()
        if not (isinstance(prop.get("description"), str) and prop["description"].strip())
    ]
    assert undocumented == []
    # Every record reaches the schema, so the check above covers all of them.
    assert {cls.__name__ for cls in RECORDS} <= {name for name, _ in definitions}


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: cls.__name__)
def test_every_record_is_frozen_slotted_and_forbids_extra_keys(cls: type) -> None:
    assert cls.__dict__.get("__pydantic_config__") == {"extra": "forbid"}
    blank: Any = object.__new__(cls)  # frozen: no field can be set or deleted, even on a bare instance
    with pytest.raises(dataclasses.FrozenInstanceError):
        blank.id = "x"
    with pytest.raises(dataclasses.FrozenInstanceError):
        del blank.id
    assert "__slots__" in cls.__dict__
    assert tuple(cls.__dict__["__slots__"]) == tuple(f.name for f in dataclasses.fields(cls))


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: cls.__name__)
def test_every_record_refuses_an_unknown_key(cls: type) -> None:
    # Other fields are missing too; the unknown key is reported among those errors all the same.
    with pytest.raises(ValidationError) as exc:
        TypeAdapter(cls).validate_python({MISSPELT: "x"})
    assert _unexpected(exc) == [(MISSPELT,)]


def test_shipped_file_validates_as_plain_data() -> None:
    kb = TypeAdapter(models.KnowledgeBase).validate_python(shipped())
    assert kb.agents[0].id == "alendronate"


def test_a_misspelt_key_in_an_agent_is_refused() -> None:
    raw = shipped()
    raw["agents"][0][MISSPELT] = ["label-fosamax"]
    with pytest.raises(ValidationError) as exc:
        TypeAdapter(models.KnowledgeBase).validate_python(raw)
    assert exc.value.error_count() == 1
    assert _unexpected(exc) == [("agents", 0, MISSPELT)]


def test_validate_reports_a_misspelt_key_as_an_unknown_field() -> None:
    raw = shipped()
    raw["agents"][0][MISSPELT] = ["label-fosamax"]
    kb, problems = validate.validate(raw, Lines(None))
    assert kb is None
    assert [(p.severity, p.message) for p in problems] == [("error", "unknown field (check its spelling)")]
    assert problems[0].loc == ("agents", 0, MISSPELT)


@pytest.mark.parametrize(
    ("cls", "path"),
    [
        (models.Kidney, ("agents", 0, "kidney")),
        (models.MissedDose, ("agents", 0, "missed_doses", 0)),
        (models.Source, ("sources", 0)),
    ],
    ids=["kidney", "missed-dose", "source"],
)
def test_a_nested_record_refuses_a_misspelt_key(cls: type, path: tuple[str | int, ...]) -> None:
    value: Any = shipped()
    for step in path:
        value = value[step]
    adapter: TypeAdapter[Any] = TypeAdapter(cls)
    adapter.validate_python(value)  # valid as shipped
    value[MISSPELT] = ["article"]
    with pytest.raises(ValidationError) as exc:
        adapter.validate_python(value)
    assert exc.value.error_count() == 1
    assert _unexpected(exc) == [(MISSPELT,)]


@record
class _Probe:
    name: str
    count: int = 1


@dataclass
class _PlainProbe:
    name: str
    count: int = 1


def test_record_decorator_is_what_refuses_unknown_keys() -> None:
    adapter = TypeAdapter(_Probe)
    assert adapter.validate_python({"name": "a"}).count == 1
    with pytest.raises(ValidationError) as exc:
        adapter.validate_python({"name": "a", "cuont": 2})
    assert _unexpected(exc) == [("cuont",)]
    # The same class without `record`: pydantic's default quietly drops the misspelt key.
    assert TypeAdapter(_PlainProbe).validate_python({"name": "a", "cuont": 2}).count == 1
    # And `record` makes it frozen and slotted too.
    probe = _Probe("a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        probe.name = "b"  # type: ignore[misc]
    assert not hasattr(probe, "__dict__")


def test_records_build_as_dataclasses_would() -> None:
    """The shared __init__ behaves as the generated one: positions, keywords, defaults,
    fresh default lists, and a TypeError for a missing, doubled or unknown argument."""
    source = models.Source("a", "article", "A title", note="n")
    assert (source.id, source.kind, source.url, source.note) == ("a", "article", None, "n")
    assert repr(source).startswith("Source(id='a', kind='article', title='A title', url=None")
    one, two = (
        models.Family("f", "Fs", "F", "anabolic", "m", "a", "t", "after", ["s"], dt.date(2026, 1, 1)) for _ in range(2)
    )
    assert one.aliases == [] and one.aliases is not two.aliases
    assert dataclasses.replace(source, id="b").id == "b"
    with pytest.raises(TypeError, match="missing required argument: 'title'"):
        models.Source("a", "article")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="multiple values for argument 'id'"):
        models.Source("a", "article", "t", id="b")  # type: ignore[misc]
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        models.Source("a", "article", "t", colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="positional arguments"):
        models.Source(*"abcdefghij")
