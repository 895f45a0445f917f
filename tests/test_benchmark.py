"""The benchmark's own moving part: the synthetic knowledge base must be valid and 100x."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from helpers import ROOT

from osteo_cli.knowledge import load


def _startup_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("startup", ROOT / "benchmarks" / "startup.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["startup"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_synthetic_knowledge_base_is_a_hundred_times_the_shipped_one(tmp_path: Path) -> None:
    startup = _startup_module()
    big = startup.synthetic_kb(tmp_path)
    shipped, copy = load(None).kb, load(big).kb
    assert len(copy.agents) == 100 * len(shipped.agents)
    assert len(copy.families) == 100 * len(shipped.families)
    assert len(copy.faq) == 100 * len(shipped.faq)
    assert len(copy.topics) == 100 * len(shipped.topics)
    assert {a.id for a in copy.agents} >= {a.id for a in shipped.agents}


def test_a_terminal_case_runs_on_a_pseudo_terminal_to_the_end() -> None:
    startup = _startup_module()
    probe = [sys.executable, "-c", "import os, sys; print(os.isatty(1), os.get_terminal_size().columns)"]
    case = startup.Case("probe", probe, {}, None, terminal=True)
    seen = bytearray()
    seconds, peak = startup._on_a_terminal(case, dict(os.environ), seen)
    assert seen.decode().split() == ["True", "100"]
    assert seconds > 0 and peak > 0


def test_the_first_run_after_install_runs_the_installed_copy_not_the_checkout(tmp_path: Path) -> None:
    """`python -c` puts the working directory first on the path: from the checkout, the
    checkout's code would run instead of the wheel's, and its first run would not be a user's."""
    startup = _startup_module()
    package = tmp_path / "site" / "osteo_cli"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    ((warm, first), *_) = startup.install_cases(tmp_path / "site")
    assert first.cold and not warm.cold and warm.env == first.env
    probe = [sys.executable, "-c", "import osteo_cli; print(osteo_cli.__file__)"]
    ran = subprocess.run(probe, cwd=ROOT, env={**os.environ, **warm.env}, capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == str(package / "__init__.py")
