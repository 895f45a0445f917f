"""YAML reading that a hostile file cannot abuse.

`yaml.safe_load` alone still accepts anchors and aliases (a billion-laughs file
expands without bound), merge keys, explicit tags, duplicate keys (it silently keeps
the last) and nesting deep enough to exhaust the stack. The knowledge base needs none
of these, so each is refused with the line it stands on.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Hashable, Iterator
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
    """The lines of a YAML document's nodes, found by pydantic-style location (`("agents", 3, "id")`).

    Built from the composed node tree, or from the text, composed only when a line is
    first asked for: a file without problems never needs it."""

    def __init__(self, root: yaml.Node | None = None, text: str | None = None) -> None:
        self._root = root
        self._text = text  # composed on first use, when there is no root yet

    def _tree(self) -> yaml.Node | None:
        if self._text is not None:
            # Text that load_yaml read whole: it composes without error.
            self._root, self._text = yaml.compose(self._text, Loader=_Loader), None
        return self._root

    def of(self, loc: tuple[int | str, ...]) -> int | None:
        """The line of the node at `loc`, or of its nearest parent that exists."""
        node = self._tree()
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

    One pass over the events builds the data (`_fast`); anything it does not handle
    itself (a duplicate or merge key, an impossible date, a second document...) is left
    to the reference reader (`_reference`), so every refusal has the same message and
    line as before. Errors of the event stream (syntax, anchors, tags, depth, size) are
    met at the same event either way, and raised by the same code.
    """
    with no_cyclic_gc():
        try:
            return _guarded(_fast, text)
        except _Irregular:
            return _guarded(_reference, text)


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


def _guarded(read: Callable[[str], Parsed], text: str) -> Parsed:
    """`read(text)`, with every YAML error said as a YamlProblem on its line."""
    try:
        return read(text)
    except (YamlProblem, _Irregular):
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


def _reference(text: str) -> Parsed:
    """The reference reader: the event checks, then composition and the strict constructor.

    The text is composed into nodes once: the data is built from them, and they stay
    to give the line of any value a later check finds wrong.
    """
    _check_events(text)  # streamed first: nothing is built from a hostile file
    root = yaml.compose(text, Loader=_Loader)
    return Parsed(_StrictConstructor().construct_document(root) if root is not None else None, Lines(root))


class _Irregular(Exception):
    """Something the one-pass reader leaves to the reference reader."""


_STR = "tag:yaml.org,2002:str"
# The implicit types of plain scalars, by first character, as the loader resolves them.
_RESOLVERS: dict[str | None, list[tuple[str, re.Pattern[str]]]] = _Loader.yaml_implicit_resolvers
# The scalar types the one-pass reader builds itself (merge '<<', value '=' are not among them).
_SCALARS = {
    tag: _StrictConstructor.yaml_constructors[tag]
    for tag in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:null")
} | {"tag:yaml.org,2002:timestamp": _StrictConstructor.construct_yaml_timestamp}
_NO_KEY = object()
_SHORT = 40  # plain strings up to this length are remembered once resolved


def _fast(text: str) -> Parsed:
    """Build the data from the event stream in one pass, with `_check_events`' checks.

    Returns the data of a document the reference reader would build the same way, and
    raises _Irregular for anything else (before or after an event-stream error is met:
    the reference reader finds that first, as it always did).
    """
    if None in _RESOLVERS:  # pragma: no cover - a wildcard resolver: not the loader this was written for
        raise _Irregular
    # Locals, not module attributes: this loop runs once per event (700,000 at 100x).
    scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    collection_end = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    resolvers, max_events, max_depth, no_key = _RESOLVERS, MAX_EVENTS, MAX_DEPTH, _NO_KEY
    constructor = _StrictConstructor()
    scalars: dict[str, Any] = {}  # plain scalars that need resolving, resolved once
    loader = _Loader(text)
    get_event = loader.get_event
    # The innermost open collection, whether it is a mapping, and its key awaiting a value
    # (or no_key); `outer` holds the same three for each collection around it.
    container: Any = None
    is_map = False
    key: Any = no_key
    outer: list[tuple[Any, bool, Any]] = []
    data: Any = None
    documents = depth = 0
    count = -1
    try:
        while True:
            event = get_event()
            count += 1
            if count > max_events:
                raise YamlProblem(
                    f"more than {max_events} YAML nodes; is this a knowledge base?", _line(event.start_mark)
                )
            kind = type(event)
            if kind is scalar_event:
                if event.anchor is not None or event.tag is not None:
                    _refuse(event)
                value: Any = event.value
                # Resolved as the composer does: by its form if plain (implicit[0]), else a string.
                if event.implicit[0] and value[:1] in resolvers:
                    value = scalars[value] if value in scalars else _plain(value, event, constructor, scalars)
                if is_map:
                    if key is no_key:
                        if value in container:
                            raise _Irregular  # a duplicate key
                        key = value
                    else:
                        container[key] = value
                        key = no_key
                elif container is not None:
                    container.append(value)
                else:
                    data = value
            elif kind is mapping_start or kind is sequence_start:
                if event.anchor is not None or event.tag is not None:
                    _refuse(event)
                depth += 1
                if depth > max_depth:
                    raise YamlProblem(f"nesting is deeper than {max_depth} levels", _line(event.start_mark))
                value = {} if kind is mapping_start else []
                if is_map:
                    if key is no_key:
                        raise _Irregular  # a collection as a key
                    container[key] = value
                    key = no_key
                elif container is not None:
                    container.append(value)
                else:
                    data = value
                outer.append((container, is_map, key))
                container, is_map, key = value, kind is mapping_start, no_key
            elif kind in collection_end:
                depth -= 1
                container, is_map, key = outer.pop()
            elif kind is yaml.AliasEvent:
                raise YamlProblem("aliases ('*name') are not allowed", _line(event.start_mark))
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:  # the composer's error, after the whole stream's checks
                    raise _Irregular
            elif kind is yaml.StreamEndEvent:
                break
    finally:
        loader.dispose()
    return Parsed(data, Lines(text=text))


def _refuse(event: Any) -> None:
    """An anchor or an explicit tag: refused as `_check_events` refuses it."""
    if event.anchor is not None:
        raise YamlProblem("anchors ('&name') are not allowed", _line(event.start_mark))
    if not _implicit(event):
        raise YamlProblem(f"tags ('{event.tag}') are not allowed", _line(event.start_mark))
    raise _Irregular  # a tag resolved from the plain form: left to the reference reader


def _plain(value: str, event: Any, constructor: _StrictConstructor, scalars: dict[str, Any]) -> Any:
    """A plain scalar as the loader reads it: resolved by its form, then constructed."""
    tag = next((tag for tag, pattern in _RESOLVERS[value[:1]] if pattern.match(value)), _STR)
    if tag == _STR:
        if len(value) <= _SHORT:  # keys and words recur ("name", "oral"); long text seldom does
            scalars[value] = value
        return value
    if tag not in _SCALARS:
        raise _Irregular
    try:
        built = _SCALARS[tag](constructor, yaml.ScalarNode(tag, value, event.start_mark, event.end_mark))
    except Exception as exc:  # an impossible date: the reference reader says so on its line
        raise _Irregular from exc
    scalars[value] = built
    return built
