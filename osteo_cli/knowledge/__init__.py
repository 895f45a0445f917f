"""Loading: a path (default: the shipped file) -> a validated KnowledgeBase, or one DataError.

Reads are bounded and strict: only regular files of at most MAX_BYTES of UTF-8 are
read, so a directory, /dev/zero or a huge file fails at once with a clear message.
Nothing is half-loaded: a file either validates whole or raises.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from osteo_cli.errors import DataError
from osteo_cli.knowledge import cache

if TYPE_CHECKING:
    from osteo_cli.knowledge.models import KnowledgeBase
    from osteo_cli.knowledge.problems import Problem
    from osteo_cli.queries import search

MAX_BYTES = 32 * 1024 * 1024


def shipped_path() -> Path:
    """The knowledge base inside the installed package, or in the source tree."""
    here = Path(__file__).resolve().parent.parent  # osteo_cli/
    packaged = here / "data" / "medications.yaml"  # a wheel puts it here
    return packaged if packaged.is_file() else here.parent / "data" / "medications.yaml"


class Loaded(NamedTuple):
    kb: KnowledgeBase
    path: Path
    custom: bool  # not the shipped, reviewed file

    # What the reference-only footer says of the data (see views.common.Provenance).
    @property
    def kb_version(self) -> str:
        return self.kb.kb_version

    @property
    def last_reviewed(self) -> dt.date:
        return self.kb.last_reviewed


def load(path: Path | None = None) -> Loaded:
    """The validated knowledge base at `path` (default: the shipped one)."""
    target, custom = locate(path)
    known = _known(target)
    if known is not None:
        rows = cache.open_rows(known)
        if rows is not None:
            from osteo_cli.knowledge.compiled import CompiledKnowledgeBase

            try:
                return Loaded(
                    CompiledKnowledgeBase(rows, lambda: recompiled(target, _read_as(target, known))), target, custom
                )
            except Exception:  # noqa: BLE001 - a header of another shape: a miss
                pass
    return Loaded(compile_bytes(target, read_bytes(target)), target, custom)


def _known(target: Path) -> cache.Digest | None:
    """The sha256 of the file from its unchanged status, without reading it (see `identity`)."""
    from osteo_cli.knowledge import identity

    return identity.known(target)


def _read_as(target: Path, known: bytes) -> bytes:
    """The file's bytes, which must still be those whose sha256 is `known`: the rows already
    read were compiled from them, and an answer is never made of two versions of a file."""
    data = read_bytes(target)
    if cache.digest(data) != known:
        raise DataError(f"{target}: changed while osteo was reading it; run the command again")
    return data


def compile_bytes(target: Path, data: bytes) -> KnowledgeBase:
    """The validated knowledge base of these bytes (read once: what is cached is what was read).

    From the compiled rows when they are cached (a command reads only the entries it uses),
    else from the file, and then its rows are stored."""
    rows = cache.open_rows(data)
    if rows is not None:
        from osteo_cli.knowledge.compiled import CompiledKnowledgeBase

        try:
            return CompiledKnowledgeBase(rows, lambda: recompiled(target, data))
        except Exception:  # noqa: BLE001 - a header of another shape: a miss
            pass
    kb = validated(target, data)
    store_rows(data, kb)
    return kb


def recompiled(target: Path, data: bytes) -> KnowledgeBase:
    """The file's knowledge base when a stored row failed its checks: validated again, and its
    rows stored again in this user's cache (read before a bundle), so that one damaged row
    costs one validation, not one every run."""
    kb = validated(target, data)
    store_rows(data, kb)
    return kb


def validated(target: Path, data: bytes) -> KnowledgeBase:
    """The knowledge base parsed and checked from the file's bytes, or its first error."""
    kb, problems = parse(data)
    errors = [p for p in problems if p.severity == "error"]
    if kb is None or errors:
        first = errors[0].describe(str(target))
        more = f" (and more: 'osteo kb validate {target}' lists them all)" if len(errors) > 1 else ""
        raise DataError(first + more)
    return kb


def store_rows(data: bytes, kb: KnowledgeBase) -> None:
    """Cache the compiled rows of a validated knowledge base."""
    from osteo_cli.queries.drugs import LISTED_ROWS, listed_rows
    from osteo_cli.queries.names import stored_names

    cache.put_rows(data, kb, stored_names(kb), {LISTED_ROWS: listed_rows(kb)})


def locate(path: Path | None) -> tuple[Path, bool]:
    """The file to read, and whether it is a custom one (not the shipped, reviewed file)."""
    shipped = shipped_path()
    if path is None:
        return shipped, False
    try:
        return path, path.resolve() != shipped.resolve()
    except (OSError, RuntimeError):  # a symlink loop: reading it will say what is wrong
        return path, True


def derived(path: Path | None, kind: str, build: Callable[[KnowledgeBase], Any], valid: Callable[[Any], bool]) -> Any:
    """`build(kb)` for the knowledge base at `path`, cached by the file's content.

    For commands that need something computed from the whole knowledge base but not its
    objects (completion names, a search index): once cached, they never revive the
    knowledge base, so their cost does not grow with it.
    """
    target = locate(path)[0]
    known = _known(target)
    if known is not None:
        value = cache.get_json(kind, known)
        if value is not None and valid(value):
            return value
    data = read_bytes(target)
    value = cache.get_json(kind, data)
    if value is None or not valid(value):
        # Built from the bytes just read and hashed, never from a second read (a file
        # replaced in between would otherwise be stored under the other file's key).
        value = build(compile_bytes(target, data))
        cache.put_json(kind, data, value)
    return value


def search_index(path: Path | None = None) -> search.Index:
    """The search index of the knowledge base at `path`: an FTS5 database, cached by the
    file's content (with its hardened checks), or a plain scan where there is no FTS5."""
    from osteo_cli.queries import search

    target, custom = locate(path)
    known = _known(target) if search.fts5_available() else None
    # Opened in place: a search reads the pages it needs, never a copy of the whole index.
    stored = cache.open_database("search", known) if known is not None else None
    opened = search.checked_index(stored) if stored is not None else None
    if opened is not None:
        db, version, reviewed = opened
        return search.Index(db, [], version, reviewed, target, custom)
    data = read_bytes(target)
    if not search.fts5_available():
        return search.plain_index(compile_bytes(target, data), target, custom)
    stored = cache.open_database("search", data)
    opened = search.checked_index(stored) if stored is not None else None
    if opened is None:
        # Built from the bytes just read and hashed (never a second read of the file).
        payload = search.build_index(compile_bytes(target, data))
        cache.put_database("search", data, payload)
        opened = search.open_index(payload)
        if opened is None:  # pragma: no cover - what was just built always opens
            raise DataError("the search index could not be built")
    db, version, reviewed = opened
    return search.Index(db, [], version, reviewed, target, custom)


def completion_names(path: Path | None = None) -> list[str]:
    """Names for shell completion: every Tab press runs osteo once, so they come from the cache."""
    from osteo_cli.queries.names import completion_names as names_of

    def valid(names: Any) -> bool:
        return isinstance(names, list) and all(isinstance(n, str) for n in names)

    names: list[str] = derived(path, "names", names_of, valid)
    return names


def check(path: Path, today: dt.date | None = None) -> list[Problem]:
    """Every problem in the file at `path`, warnings included.

    Validated from the file itself, or the stored verdict on its exact bytes by this code
    today (see `verdicts`); never from a cached knowledge base, which a validator that
    trusted it could call a tampered file valid by.
    """
    from osteo_cli.knowledge import verdicts

    day = today or dt.date.today()
    known = _known(path)
    stored = verdicts.get(known, day) if known is not None else None
    if stored is not None:
        return stored
    data = read_bytes(path)
    stored = verdicts.get(data, day)
    if stored is not None:
        return stored
    kb, problems = parse(data, day)
    if kb is not None and not any(p.severity == "error" for p in problems):
        store_rows(data, kb)
    verdicts.put(data, day, problems)
    return problems


def read_bytes(path: Path) -> bytes:
    """The file's bytes, bounded; its status is recorded with their sha256 (see `identity`)."""
    data, info = _read(path)
    from osteo_cli.knowledge import identity

    identity.remember(path, info, data)
    return data


def _read(path: Path) -> tuple[bytes, os.stat_result]:
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise DataError(f"{path}: is a directory, not a knowledge-base file")
        if not stat.S_ISREG(info.st_mode):
            raise DataError(f"{path}: is not a regular file")
        if info.st_size > MAX_BYTES:
            raise DataError(f"{path}: is larger than {MAX_BYTES // (1024 * 1024)} MiB")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # the file may have grown since stat
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except PermissionError:
        raise DataError(f"{path}: permission denied") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except ValueError:  # a NUL byte in the path
        raise DataError(f"{path!r}: not a valid file path") from None
    if len(data) > MAX_BYTES:
        raise DataError(f"{path}: is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    return data, info


def parse(data: bytes, today: dt.date | None = None) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Every problem in the file's bytes: encoding, YAML, schema, then integrity."""
    # Imported here: a cached file never needs YAML or pydantic.
    from osteo_cli.knowledge import integrity, safe_yaml, validation
    from osteo_cli.knowledge.problems import Problem

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [Problem("error", (), f"not valid UTF-8 (byte {exc.start})", line)]
    if not text.strip():
        return None, [Problem("error", (), "the file is empty")]
    with safe_yaml.no_cyclic_gc():  # the parsed data and the records form no cycles
        try:
            raw, lines = safe_yaml.load_yaml(text)
        except safe_yaml.YamlProblem as exc:
            return None, [Problem("error", (), exc.message, exc.line)]
        kb, problems = validation.validate(raw, lines)
        del raw  # freed before the checks: the records hold what is needed
        if kb is None:
            return None, problems
        found = integrity.check(kb, today or dt.date.today())
        return kb, [Problem(p.severity, p.loc, p.message, lines.of(p.loc)) for p in found]
