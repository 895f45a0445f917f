"""Build hook: the wheel carries the shipped knowledge base's compiled form (the bundle).

A first run after install then reads compiled rows instead of parsing the YAML and
validating it with pydantic (see osteo_cli/knowledge/bundle.py, and cache.py on how a
bundle is read and trusted). An editable install is left without one: its knowledge base
is the checkout's, which its developer edits.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

ROOT = Path(__file__).resolve().parent


class BundleHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        self._folder = Path(tempfile.mkdtemp(prefix="osteo-bundle-"))
        out = self._folder / "compiled"
        # A process of its own, with a cache of none: the bundle depends on the source only.
        # The checkout goes in front of PYTHONPATH, never in place of it: pip's isolated build
        # environment (where pydantic and PyYAML are) reaches the child through PYTHONPATH.
        inherited = os.environ.get("PYTHONPATH")
        path = str(ROOT) if not inherited else os.pathsep.join((str(ROOT), inherited))
        env = {**os.environ, "PYTHONPATH": path, "OSTEO_NO_CACHE": "1"}
        env.pop("OSTEO_DATA", None)
        subprocess.run(
            [sys.executable, "-m", "osteo_cli.knowledge.bundle", str(out), str(ROOT / "data" / "medications.yaml")],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        for entry in sorted(out.iterdir()):
            entry.chmod(0o644)  # read by every user of a system-wide install
            build_data["force_include"][str(entry)] = f"osteo_cli/data/compiled/{entry.name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        folder = getattr(self, "_folder", None)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
