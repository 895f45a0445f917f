"""The stored core schema (`core_schema.py`) is pydantic's own for this models.py: the
validator built from it validates exactly as the one pydantic builds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import SHIPPED
from kb_edits import edited_kb

from osteo_cli.knowledge import core_schema, parse, validation

REGENERATE = "models.py or pydantic changed: run `python -m osteo_cli.knowledge.validation`"


@pytest.fixture(autouse=True)
def _fresh_validator() -> Iterator[None]:
    validation._validator.cache_clear()
    yield
    validation._validator.cache_clear()


def test_stored_schema_is_current(tmp_path: Path) -> None:
    assert validation._schema_source() == core_schema.SOURCE, REGENERATE
    assert validation.core_schema_of_models() == core_schema.SCHEMA, REGENERATE
    written = tmp_path / "core_schema.py"
    validation.write_stored_schema(written)
    assert written.read_text(encoding="utf-8") == validation.STORED_SCHEMA.read_text(encoding="utf-8"), REGENERATE


def test_validator_is_built_from_the_stored_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise AssertionError("pydantic built the schema")

    monkeypatch.setattr(validation, "_adapter", refuse)
    kb, problems = parse(SHIPPED.read_bytes())
    assert kb is not None and not [p for p in problems if p.severity == "error"]


def test_a_schema_from_other_code_is_not_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """models.py edited without regenerating: pydantic builds the validator, as before."""
    bad = edited_kb(tmp_path, ("    family: bisphosphonates\n", "    family: NO\n    colour: blue\n"))
    stored = parse(bad.read_bytes())[1]
    monkeypatch.setattr(core_schema, "SOURCE", "pydantic 0, models.py 0")
    validation._validator.cache_clear()
    assert validation._validator() is validation._adapter().validator
    assert parse(bad.read_bytes())[1] == stored
    assert [(p.message, p.line) for p in stored] == [
        ("Input should be a valid string; YAML read it as False, so put it in quotes", 737),
        ("unknown field (check its spelling)", 738),
    ]


def test_stored_and_pydantic_validators_find_the_same_errors() -> None:
    from pydantic_core import SchemaValidator, ValidationError

    from osteo_cli.knowledge import safe_yaml

    raw = safe_yaml.load_yaml(SHIPPED.read_text(encoding="utf-8")).data
    agent, source = raw["agents"][0], raw["sources"][0]
    agent.update(family=False, colour="blue", route=None)
    agent["dosing"]["interval"] = {"every": 0, "unit": "fortnight"}
    del agent["name"]
    source.update(url="http://insecure", id="Not An Id", set_id="x" * 40)
    raw["kb_version"] = 2026
    raw["trials"][0]["size"] = -1
    errors = []
    for validator in (SchemaValidator(core_schema.SCHEMA), validation._adapter().validator):
        with pytest.raises(ValidationError) as caught:
            validator.validate_python(raw)
        errors.append(caught.value.errors(include_url=False))
    assert errors[0] == errors[1]
    assert len(errors[0]) >= 8


def test_models_without_source_use_pydantic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from osteo_cli.knowledge import models

    monkeypatch.setattr(models, "__file__", str(tmp_path / "models.pyc-only" / "models.py"))
    assert validation._validator() is validation._adapter().validator
