"""Raw YAML data -> a validated KnowledgeBase, through pydantic (the one schema).

The only module that imports pydantic, and only the cold path reaches it: a file
whose validated form is already compiled (see `compiled.py`) never comes here.
"""

from __future__ import annotations

import os
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic_core import ValidationError

from osteo_cli.knowledge import models
from osteo_cli.knowledge.models import KnowledgeBase
from osteo_cli.knowledge.problems import Problem
from osteo_cli.knowledge.read import Lines

if TYPE_CHECKING:
    from pydantic import TypeAdapter

# Pydantic's wording, said the way an author of the file thinks of it.
_MESSAGES = {
    "unexpected_keyword_argument": "unknown field (check its spelling)",
    "missing_keyword_argument": "required field is missing",
    "missing_argument": "required field is missing",
}


@cache
def _adapter() -> TypeAdapter[KnowledgeBase]:
    from pydantic import TypeAdapter

    # No pydantic plugin has a part in osteo's validation; looking for one reads the metadata
    # of every installed package (10 ms of each validation). PYDANTIC_DISABLE_PLUGINS is
    # pydantic's own switch, set while the validator is built; a value the user set is kept.
    switch = "PYDANTIC_DISABLE_PLUGINS"
    ours = switch not in os.environ
    if ours:
        os.environ[switch] = "__all__"
    try:
        return TypeAdapter(KnowledgeBase)
    finally:
        if ours:
            del os.environ[switch]


# A file can hold hundreds of thousands of wrong values; the first ones say enough.
MAX_PROBLEMS = 50


def validate(raw: Any, lines: Lines) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Validate parsed YAML; on failure, every problem with its line in `text`."""
    if not isinstance(raw, dict):
        what = "is empty" if raw is None else "holds " + ("a list" if isinstance(raw, list) else "a single value")
        return None, [Problem("error", (), f"the file {what}, not a mapping of fields", 1)]
    try:
        return _adapter().validate_python(raw), []
    except ValidationError as exc:
        count = exc.error_count()
        if count > MAX_PROBLEMS:
            # Listing every error costs time and memory in proportion: list the first ones,
            # from the same data with each list cut short (their places stay the same).
            exc = _first_errors(raw) or exc
        problems = [
            Problem("error", tuple(err["loc"]), _message(err), lines.of(tuple(err["loc"])))
            for err in exc.errors(include_url=False)[:MAX_PROBLEMS]
        ]
        if count > len(problems):
            problems.append(Problem("error", (), f"and {count - len(problems)} more problems"))
        return None, problems


def _first_errors(raw: dict[str, Any]) -> ValidationError | None:
    cut = {key: value[:MAX_PROBLEMS] if isinstance(value, list) else value for key, value in raw.items()}
    try:
        _adapter().validate_python(cut)
    except ValidationError as exc:
        return exc
    return None


def _message(err: Any) -> str:
    message: str = _MESSAGES.get(err["type"], err["msg"])
    value = err.get("input")
    # YAML 1.1 reads NO as false, 1.10 as 1.1 and 12:30 as 750: say so, and how to avoid it.
    if err["type"] == "string_type" and isinstance(value, bool | int | float):
        message += f"; YAML read it as {value!r}, so put it in quotes"
    if err["type"] == "string_pattern_mismatch" and (err.get("ctx") or {}).get("pattern") == models.NAME_PATTERN:
        message = "a name must be one line of visible text, without control characters"
    return message


def field_docs() -> dict[str, dict[str, str]]:
    """Each record's fields and what they mean, read from models.py: the docstring under a
    field, or else the comment at the end of its line. Only `kb schema` needs it."""
    import ast
    import io
    import tokenize
    from pathlib import Path

    source = Path(models.__file__).read_text(encoding="utf-8")
    comments = {
        tok.start[0]: tok.string.lstrip("# ").strip()
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type == tokenize.COMMENT
    }
    docs: dict[str, dict[str, str]] = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.ClassDef):
            continue
        fields: dict[str, str] = {}
        body = node.body
        for i, item in enumerate(body):
            if not (isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)):
                continue
            after = body[i + 1] if i + 1 < len(body) else None
            if (
                isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                fields[item.target.id] = " ".join(after.value.value.split())
            elif item.end_lineno in comments:
                fields[item.target.id] = comments[item.end_lineno]
        docs[node.name] = fields
    return docs


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the knowledge-base file, for editors and other tools."""
    schema = _adapter().json_schema()
    docs = field_docs()
    for name, definition in [("KnowledgeBase", schema), *schema.get("$defs", {}).items()]:
        for field_name, prop in definition.get("properties", {}).items():
            if "description" not in prop and field_name in docs.get(name, {}):
                prop["description"] = docs[name][field_name]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "osteo knowledge base"
    return schema
