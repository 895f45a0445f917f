"""Loading: a path (default: the shipped file) -> a validated KnowledgeBase, or one DataError.

Reads are bounded and strict: only regular files of at most MAX_BYTES of UTF-8 are
read, so a directory, /dev/zero or a huge file fails at once with a clear message.
Nothing is half-loaded: a file either validates whole or raises.
"""

from __future__ import annotations

import datetime as dt
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from osteo_cli import cache
from osteo_cli.errors import DataError

if TYPE_CHECKING:
    from osteo_cli.models import KnowledgeBase
    from osteo_cli.problems import Problem

MAX_BYTES = 16 * 1024 * 1024


def shipped_path() -> Path:
    """The knowledge base inside the installed package, or in the source tree."""
    here = Path(__file__).resolve().parent
    packaged = here / "data" / "medications.yaml"  # a wheel puts it here
    return packaged if packaged.is_file() else here.parent / "data" / "medications.yaml"


@dataclass(frozen=True, slots=True)
class Loaded:
    kb: KnowledgeBase
    path: Path
    custom: bool  # not the shipped, reviewed file


def load(path: Path | None = None) -> Loaded:
    """The validated knowledge base at `path` (default: the shipped one)."""
    shipped = shipped_path()
    target = path or shipped
    data = read_bytes(target)
    kb = cache.get(data)
    if kb is None:
        kb, problems = parse(data)
        errors = [p for p in problems if p.severity == "error"]
        if kb is None or errors:
            first = errors[0].describe(str(target))
            more = f" (and {len(errors) - 1} more; run 'osteo kb validate {target}')" if len(errors) > 1 else ""
            raise DataError(first + more)
        cache.put(data, kb)
    custom = path is not None and target.resolve() != shipped.resolve()
    return Loaded(kb, target, custom)


def completion_names(path: Path | None = None) -> list[str]:
    """Names for shell completion. Every Tab press runs osteo once, so this reads a cached
    list of names when there is one, and never builds the knowledge base's objects then."""
    data = read_bytes(path or shipped_path())
    names = cache.get_names(data)
    if names is None:
        from osteo_cli.names import completion_names as names_of

        names = names_of(load(path).kb)
        cache.put_names(data, names)
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
        raw = safe_yaml.load_yaml(text)
    except safe_yaml.YamlProblem as exc:
        return None, [Problem("error", (), exc.message, exc.line)]
    kb, problems = validation.validate(raw, text)
    if kb is None:
        return None, problems
    found = integrity.check(kb, today or dt.date.today())
    return kb, [Problem(p.severity, p.loc, p.message, safe_yaml.line_of(text, p.loc)) for p in found]
