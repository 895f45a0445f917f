"""Loading: a path (default: the shipped file) -> a validated KnowledgeBase, or one DataError.

Reads are bounded and strict: only regular files of at most MAX_BYTES of UTF-8 are
read, so a directory, /dev/zero or a huge file fails at once with a clear message.
Nothing is half-loaded: a file either validates whole or raises.
"""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from osteo_cli.errors import DataError
from osteo_cli.knowledge import cache

if TYPE_CHECKING:
    from osteo_cli.knowledge.models import KnowledgeBase
    from osteo_cli.knowledge.problems import Problem

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
    return Loaded(compile_bytes(target, read_bytes(target)), target, custom)


def compile_bytes(target: Path, data: bytes) -> KnowledgeBase:
    """The validated knowledge base of these bytes (read once: what is cached is what was read).

    From its compiled form when the bundle or the cache holds one for these bytes and this
    code (see `cache`), else validated from the bytes, and its compiled form then cached."""
    from osteo_cli.knowledge import compiled

    name = cache.entry_name("kb", data)
    if name is not None and name in _loaded:
        return _loaded[name]
    stored = cache.read(name)
    kb = compiled.restore(stored) if stored is not None else None
    if kb is None:
        checked = validated(target, data)
        stored = compiled.dump(checked)
        cache.write(name, stored)
        # Answered from the compiled form as every later run is: one shape of the knowledge
        # base above this layer, whether the cache holds it, could not keep it or is off.
        kb = compiled.restore(stored) or checked
    if name is not None:
        if len(_loaded) >= 4:
            del _loaded[next(iter(_loaded))]
        _loaded[name] = kb
    return kb


# The knowledge bases this process has loaded, by the name of their compiled form (the
# sha256 of the bytes and of this code): the records are frozen, so a caller that loads the
# same file again (completion, the tests' many runs in one process) shares them.
_loaded: dict[str, KnowledgeBase] = {}


def validated(target: Path, data: bytes) -> KnowledgeBase:
    """The knowledge base parsed and checked from the file's bytes, or its first error."""
    kb, problems = parse(data)
    errors = [p for p in problems if p.severity == "error"]
    if kb is None or errors:
        first = errors[0].describe(str(target))
        more = f" (and more: 'osteo kb validate {target}' lists them all)" if len(errors) > 1 else ""
        raise DataError(first + more)
    return kb


def locate(path: Path | None) -> tuple[Path, bool]:
    """The file to read, and whether it is a custom one (not the shipped, reviewed file)."""
    shipped = shipped_path()
    if path is None:
        return shipped, False
    try:
        return path, path.resolve() != shipped.resolve()
    except (OSError, RuntimeError):  # a symlink loop: reading it will say what is wrong
        return path, True


def completion_names(path: Path | None = None) -> list[str]:
    """Names for shell completion, every name of every entry spelt for a shell. Every Tab
    press runs osteo once, so they are an entry of their own: a list, not the knowledge base."""
    import json

    from osteo_cli.knowledge.names import completion_names as names_of

    target = locate(path)[0]
    data = read_bytes(target)
    name = cache.entry_name("names", data)
    stored = cache.read(name)
    try:
        names = json.loads(stored) if stored is not None else None
    except (ValueError, RecursionError):
        names = None
    if not (type(names) is list and all(type(n) is str for n in names)):
        names = names_of(compile_bytes(target, data))
        cache.write(name, json.dumps(names).encode())
    return names


def check(path: Path, today: dt.date | None = None) -> list[Problem]:
    """Every problem in the file at `path`, warnings included, validated from the file itself
    (never from a compiled form, which a validator that trusted it could call a changed file
    valid by). A valid file's compiled form is cached, so the next command needs no validation."""
    data = read_bytes(path)
    kb, problems = parse(data, today or dt.date.today())
    if kb is not None and not any(p.severity == "error" for p in problems):
        from osteo_cli.knowledge import compiled

        cache.write(cache.entry_name("kb", data), compiled.dump(kb))
    return problems


def read_bytes(path: Path) -> bytes:
    """The file's bytes, bounded."""
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
    return data


def parse(data: bytes, today: dt.date | None = None) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Every problem in the file's bytes: encoding, YAML, schema, then integrity."""
    # Imported here: a cached file never needs YAML or pydantic.
    from osteo_cli.knowledge import integrity, read, validate
    from osteo_cli.knowledge.problems import Problem

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [Problem("error", (), f"not valid UTF-8 (byte {exc.start})", line)]
    if not text.strip():
        return None, [Problem("error", (), "the file is empty")]
    with read.no_cyclic_gc():  # the parsed data and the records form no cycles
        try:
            raw, lines = read.load_yaml(text)
        except read.YamlProblem as exc:
            return None, [Problem("error", (), exc.message, exc.line)]
        kb, problems = validate.validate(raw, lines)
        del raw  # freed before the checks: the records hold what is needed
        if kb is None:
            return None, problems
        found = integrity.check(kb, today or dt.date.today())
        return kb, [Problem(p.severity, p.loc, p.message, lines.of(p.loc)) for p in found]
