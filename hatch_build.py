"""Build hook: the wheel carries the shipped knowledge base's compiled form (the bundle).

The validated knowledge base as JSON, and its search index, named as osteo's cache names
them (see osteo_cli/knowledge/cache.py), in the package's `data/compiled/`. A first run after
install then reads them instead of parsing the YAML and validating it with pydantic. They
are package data, trusted as the code beside them is. An editable install is left without
them: its knowledge base is the checkout's, which its developer edits.

The compile runs in this process, with the checkout first on sys.path: pip's isolated build
environment (where pydantic and PyYAML are) is this process's own. A knowledge base that does
not validate stops the build: a wheel never ships one.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

ROOT = Path(__file__).resolve().parent


def compile_bundle(out: Path, source: Path) -> list[Path]:
    """Write the compiled form of the knowledge base at `source` into `out`: the knowledge base,
    its completion names and its search index, each as `knowledge.compile_bytes`,
    `knowledge.completion_names` and `search.open_index` would cache them."""
    sys.path.insert(0, str(ROOT))
    try:
        from osteo_cli import knowledge
        from osteo_cli.knowledge import cache, compiled, names
        from osteo_cli.queries import search
    finally:
        sys.path.remove(str(ROOT))
    data = source.read_bytes()
    kb = knowledge.validated(source, data)
    entries = {
        cache.entry_name("kb", data): compiled.dump(kb),
        cache.entry_name("names", data): json.dumps(names.completion_names(kb)).encode(),
    }
    if search.fts5_available():  # else a search says that it needs FTS5, as it would anyway
        entries[cache.entry_name("search", data, (Path(search.__file__),))] = search.build_index(kb)
    out.mkdir(parents=True, exist_ok=True)
    for name, payload in entries.items():
        if name is None:  # pragma: no cover - osteo's own code is always readable here
            raise RuntimeError("the compiled form cannot be named")
        (out / name).write_bytes(payload)
        (out / name).chmod(0o644)  # read by every user of a system-wide install
    return sorted(out.iterdir())


class BundleHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        self._folder = Path(tempfile.mkdtemp(prefix="osteo-bundle-"))
        for entry in compile_bundle(self._folder, ROOT / "data" / "medications.yaml"):
            build_data["force_include"][str(entry)] = f"osteo_cli/data/compiled/{entry.name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        folder = getattr(self, "_folder", None)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
