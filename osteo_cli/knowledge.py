"""Loading: a path (default: the shipped file) -> a validated KnowledgeBase, or one DataError.

Reads are bounded and strict: only regular files of at most MAX_BYTES of UTF-8 are
read, so a directory, /dev/zero or a huge file fails at once with a clear message.
Nothing is half-loaded: a file either validates whole or raises.
"""

from __future__ import annotations

import datetime as dt
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from osteo_cli import cache
from osteo_cli.errors import DataError

if TYPE_CHECKING:
    from osteo_cli.models import KnowledgeBase
    from osteo_cli.problems import Problem

MAX_BYTES = 32 * 1024 * 1024


def shipped_path() -> Path:
    """The knowledge base inside the installed package, or in the source tree."""
    here = Path(__file__).resolve().parent
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
    data = read_bytes(target)
    kb = cache.get(data)
    if kb is None:
        kb, problems = parse(data)
        errors = [p for p in problems if p.severity == "error"]
        if kb is None or errors:
            first = errors[0].describe(str(target))
            more = f" (and more: 'osteo kb validate {target}' lists them all)" if len(errors) > 1 else ""
            raise DataError(first + more)
        cache.put(data, kb)
    return Loaded(kb, target, custom)


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
    data = read_bytes(path or shipped_path())
    value = cache.get_derived(kind, data)
    if value is None or not valid(value):
        value = build(load(path).kb)
        cache.put_derived(kind, data, value)
    return value


def completion_names(path: Path | None = None) -> list[str]:
    """Names for shell completion: every Tab press runs osteo once, so they come from the cache."""
    from osteo_cli.names import completion_names as names_of

    def valid(names: Any) -> bool:
        return isinstance(names, list) and all(isinstance(n, str) for n in names)

    names: list[str] = derived(path, "names", names_of, valid)
    return names


def check(path: Path, today: dt.date | None = None) -> list[Problem]:
    """Every problem in the file at `path`, warnings included."""
    data = read_bytes(path)
    kb = cache.get(data)
    if kb is not None:
        # Only files without errors are cached; warnings depend on today's date, so look
        # again, and parse the text (for line numbers) only when there is one to report.
        from osteo_cli import integrity

        if not integrity.check(kb, today or dt.date.today()):
            return []
    kb, problems = parse(data, today)
    if kb is not None and not any(p.severity == "error" for p in problems):
        cache.put(data, kb)
    return problems


def read_bytes(path: Path) -> bytes:
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
    from osteo_cli import integrity, safe_yaml, validation
    from osteo_cli.problems import Problem

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [Problem("error", (), f"not valid UTF-8 (byte {exc.start})", line)]
    if not text.strip():
        return None, [Problem("error", (), "the file is empty")]
    try:
        raw, lines = safe_yaml.load_yaml(text)
    except safe_yaml.YamlProblem as exc:
        return None, [Problem("error", (), exc.message, exc.line)]
    kb, problems = validation.validate(raw, lines)
    if kb is None:
        return None, problems
    found = integrity.check(kb, today or dt.date.today())
    return kb, [Problem(p.severity, p.loc, p.message, lines.of(p.loc)) for p in found]
