"""YAML reading that a hostile file cannot abuse.

`yaml.safe_load` alone still accepts anchors and aliases (a billion-laughs file
expands without bound), merge keys, explicit tags, duplicate keys (it silently keeps
the last) and nesting deep enough to exhaust the stack. The knowledge base needs none
of these, so each is refused with the line it stands on.
"""

from __future__ import annotations

import gc
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

import yaml

# The C parser is ~10x faster; fall back to the pure-Python one where libyaml is missing.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 32
# About twice the events of a knowledge base a hundred times the shipped one: enough
# for any real file, and a bound on time and memory for a hostile one.
MAX_EVENTS = 2_000_000


class YamlProblem(ValueError):
    """The text is not YAML osteo will read. `line` is 1-based, or None."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _line(mark: Any) -> int | None:
    return mark.line + 1 if mark is not None else None


class _StrictConstructor(yaml.constructor.SafeConstructor):  # type: ignore[misc]
    """Refuses duplicate and merge keys while building mappings."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[Hashable] = set()
        for key_node, _value in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem("merge keys ('<<') are not allowed", _line(key_node.start_mark))
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                raise YamlProblem("a mapping key must be a plain value", _line(key_node.start_mark))
            if key in seen:
                raise YamlProblem(f"duplicate key '{key}'", _line(key_node.start_mark))
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """A date that does not exist (2026-13-40, 2026-02-30) is a problem on its line, not a crash."""
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise YamlProblem(f"'{node.value}' is not a real date ({exc})", _line(node.start_mark)) from None


_StrictConstructor.add_constructor("tag:yaml.org,2002:timestamp", _StrictConstructor.construct_yaml_timestamp)


def _check_events(text: str) -> None:
    """One pass over the event stream: no anchors, aliases or tags; bounded depth and size."""
    depth = 0
    for count, event in enumerate(yaml.parse(text, Loader=_Loader)):
        if count > MAX_EVENTS:
            raise YamlProblem(f"more than {MAX_EVENTS} YAML nodes; is this a knowledge base?", _line(event.start_mark))
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem("aliases ('*name') are not allowed", _line(event.start_mark))
        if getattr(event, "anchor", None) is not None:
            raise YamlProblem("anchors ('&name') are not allowed", _line(event.start_mark))
        if getattr(event, "tag", None) is not None and not _implicit(event):
            raise YamlProblem(f"tags ('{event.tag}') are not allowed", _line(event.start_mark))
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlProblem(f"nesting is deeper than {MAX_DEPTH} levels", _line(event.start_mark))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _implicit(event: Any) -> bool:
    # A scalar with a tag resolved from its plain form reports implicit=(True, ...);
    # an explicit `!!python/object` or `!foo` does not.
    implicit = getattr(event, "implicit", False)
    return bool(implicit[0] if isinstance(implicit, tuple) else implicit)


class Lines:
    """The lines of a YAML document's nodes, found by pydantic-style location (`("agents", 3, "id")`)."""

    def __init__(self, root: yaml.Node | None = None) -> None:
        self._root = root

    def of(self, loc: tuple[int | str, ...]) -> int | None:
        """The line of the node at `loc`, or of its nearest parent that exists."""
        node = self._root
        line = _line(node.start_mark) if node is not None else None
        for step in loc:
            if isinstance(node, yaml.MappingNode):
                pair = next(((k, v) for k, v in node.value if k.value == step), None)
                if pair is None:
                    return line
                line, node = _line(pair[0].start_mark), pair[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
                line = _line(node.start_mark)
            else:
                return line
        return line


class Parsed(NamedTuple):
    data: Any
    lines: Lines  # where each value stands, for messages about it


def load_yaml(text: str) -> Parsed:
    """Parse one YAML document, refusing the constructs listed in the module docstring.

    The event stream is checked first (anchors, aliases, tags, depth, size), so nothing is
    built from a hostile file; then the text is composed into nodes once: the data is built
    from them by the strict constructor, and they stay to give the line of any value a
    later check finds wrong.
    """
    with no_cyclic_gc():
        try:
            _check_events(text)
            root = yaml.compose(text, Loader=_Loader)
            return Parsed(_StrictConstructor().construct_document(root) if root is not None else None, Lines(root))
        except YamlProblem:
            raise
        except yaml.reader.ReaderError as exc:  # a control character, before any parsing
            line = text.count("\n", 0, exc.position) + 1
            raise YamlProblem(f"control character U+{exc.character:04X} is not allowed", line) from exc
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            raise YamlProblem(f"not valid YAML: {exc.problem or exc.context}", _line(mark)) from exc
        except yaml.YAMLError as exc:
            raise YamlProblem(f"not valid YAML: {exc}") from exc
        except RecursionError as exc:  # the pure-Python parser recurses per nesting level
            raise YamlProblem(f"nesting is deeper than {MAX_DEPTH} levels") from exc


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """No cyclic garbage collection inside, for building many objects that form no cycle.

    The collector runs once per 700 new container objects and walks ever more of them:
    at 100x the shipped size it cost about 6 of the 8 seconds of a first run. Whatever is
    built here is freed by reference counting as before; collection resumes on leaving."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
