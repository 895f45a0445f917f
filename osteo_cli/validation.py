"""Raw YAML data -> a validated KnowledgeBase, through pydantic.

The only module that imports pydantic, and only the cold path reaches it: a file
whose validated form is already cached (see `cache.py`) never comes here.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from osteo_cli.models import KnowledgeBase
from osteo_cli.problems import Problem
from osteo_cli.safe_yaml import line_of

# Pydantic's wording, said the way an author of the file thinks of it.
_MESSAGES = {
    "unexpected_keyword_argument": "unknown field (check its spelling)",
    "missing_keyword_argument": "required field is missing",
    "missing_argument": "required field is missing",
}


@cache
def _adapter() -> TypeAdapter[KnowledgeBase]:
    return TypeAdapter(KnowledgeBase)


def validate(raw: Any, text: str) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Validate parsed YAML; on failure, every problem with its line in `text`."""
    if not isinstance(raw, dict):
        what = "is empty" if raw is None else "holds " + ("a list" if isinstance(raw, list) else "a single value")
        return None, [Problem("error", (), f"the file {what}, not a mapping of fields", 1)]
    try:
        return _adapter().validate_python(raw), []
    except ValidationError as exc:
        return None, [
            Problem(
                "error",
                tuple(err["loc"]),
                _message(err),
                line_of(text, tuple(err["loc"])),
            )
            for err in exc.errors(include_url=False)
        ]


def _message(err: Any) -> str:
    message: str = _MESSAGES.get(err["type"], err["msg"])
    value = err.get("input")
    # YAML 1.1 reads NO as false, 1.10 as 1.1 and 12:30 as 750: say so, and how to avoid it.
    if err["type"] == "string_type" and isinstance(value, bool | int | float):
        message += f"; YAML read it as {value!r}, so put it in quotes"
    return message


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the knowledge-base file, for editors and other tools."""
    schema = _adapter().json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "osteo knowledge base"
    return schema
