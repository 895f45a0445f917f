"""Pin the terminal and isolate the cache, so every test sees the same world."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import PROCESS_BYTECODE, PROCESS_CACHE, SHIPPED
from hypothesis import settings

from osteo_cli.knowledge import Loaded, cache, load

# Typer's own test script pins these; Rich reads COLUMNS, NO_COLOR and TERMINAL_WIDTH.
PINNED_ENV = {
    "COLUMNS": "100",
    "TERMINAL_WIDTH": "100",
    "NO_COLOR": "1",
    "_TYPER_FORCE_DISABLE_TERMINAL": "1",
}
for key, value in PINNED_ENV.items():
    os.environ[key] = value
# Module-level loads at collection time run before any fixture: keep them out of ~/.cache too.
COLLECTION_CACHE = tempfile.mkdtemp(prefix="osteo-test-cache-")
os.environ["OSTEO_CACHE_DIR"] = COLLECTION_CACHE
# Nor does an installed wheel's bundle answer for the tests (tests/test_cache.py builds its own).
NO_BUNDLE = Path(tempfile.mkdtemp(prefix="osteo-test-no-bundle-")) / "compiled"
cache.BUNDLE = NO_BUNDLE
for key in ("OSTEO_DATA", "OSTEO_DEBUG", "OSTEO_NO_CACHE", "FORCE_COLOR"):
    os.environ.pop(key, None)

# Property tests: a quick run by default; HYPOTHESIS_PROFILE=ci (or CI=1) for more examples,
# derandomized so a failure repeats; HYPOTHESIS_PROFILE=deep to hunt.
settings.register_profile("quick", max_examples=25, deadline=None)
settings.register_profile("ci", max_examples=150, derandomize=True, deadline=None)
settings.register_profile("deep", max_examples=3000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "quick"))


def pytest_sessionfinish() -> None:
    """The folders made above, and the processes' cache and bytecode (see helpers), go."""
    for folder in (COLLECTION_CACHE, NO_BUNDLE.parent, PROCESS_CACHE, PROCESS_BYTECODE):
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test gets its own, empty cache directory, never the user's."""
    path = tmp_path / "osteo-cache"
    monkeypatch.setenv("OSTEO_CACHE_DIR", str(path))
    monkeypatch.setattr(cache, "BUNDLE", NO_BUNDLE)
    yield path


@pytest.fixture
def kb_file(tmp_path: Path) -> Path:
    """A copy of the shipped knowledge base, to change or to time."""
    path = tmp_path / "kb.yaml"
    shutil.copyfile(SHIPPED, path)
    return path


@pytest.fixture(scope="session")
def loaded() -> Loaded:
    return load(None)
