"""The bundle: the shipped knowledge base compiled at build time, so that the first run
after install reads its rows instead of parsing YAML and validating with pydantic.

hatch_build.py runs `python -m osteo_cli.knowledge.bundle OUT data/medications.yaml` when it
builds a wheel, and puts what OUT holds in the package's `data/compiled/` (`cache.BUNDLE`).
The entries are those a first run would write to the user's cache (see `cache` for how
they are read and why they are trusted), built by the same functions from the same bytes.
A knowledge base that does not validate stops the build: a wheel never ships one.
"""

from __future__ import annotations

import sys
from pathlib import Path

from osteo_cli import knowledge
from osteo_cli.errors import DataError
from osteo_cli.knowledge import cache


def build(out: Path, source: Path) -> list[Path]:
    """Compile the knowledge base at `source` into the entries of a bundle in `out`."""
    from osteo_cli.queries import names, search

    data = source.read_bytes()
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):  # a bundle is exactly what is built: nothing else is kept or removed
        raise FileExistsError(f"{out}: not empty; a bundle is built into an empty or new folder")
    with cache.bundling(out):
        kb = knowledge.validated(source, data)
        knowledge.store_rows(data, kb)
        cache.put_json("names", data, names.completion_names(kb))
        if search.fts5_available():  # else a search scans the rows, as it does without a bundle
            cache.put_database("search", data, search.build_index(kb))
    kinds = {path.name.rsplit("-", 1)[0] for path in out.iterdir()}
    if not kinds <= set(cache.BUNDLED):  # pragma: no cover - a new entry kind must be listed there
        raise RuntimeError(f"the bundle holds entries that are never read from it: {sorted(kinds)}")
    return sorted(out.iterdir())


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m osteo_cli.knowledge.bundle OUT_DIR KNOWLEDGE_BASE", file=sys.stderr)
        return 2
    try:
        built = build(Path(argv[0]), Path(argv[1]))
    except (OSError, DataError) as exc:
        print(f"bundle: error: {exc}", file=sys.stderr)
        return 1
    for path in built:
        print(path.name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
