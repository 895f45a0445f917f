"""Packaging: the knowledge base travels inside the wheel, and an editable install finds it."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from helpers import ROOT, SHIPPED, process_env

from osteo_cli import __version__
from osteo_cli.knowledge.cache import BUNDLED


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


def test_editable_install_finds_the_knowledge_base_from_another_directory(tmp_path: Path) -> None:
    result = _run([sys.executable, "-m", "osteo_cli", "drugs", "list", "--format", "json"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"id": "denosumab"' in result.stdout


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_runs_outside_the_repository(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(ROOT)], cwd=tmp_path
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("osteo-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("osteo_cli/data/medications.yaml") == SHIPPED.read_bytes()
        names = archive.namelist()
        assert "osteo_cli/py.typed" in names
        assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)
        metadata = next(archive.read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
        assert f"Version: {__version__}" in metadata
        # The shipped knowledge base's compiled form (hatch_build.py): one entry of each kind.
        bundled = sorted(n.split("/")[-1].rsplit("-", 1)[0] for n in names if n.startswith("osteo_cli/data/compiled/"))
        assert bundled == sorted(BUNDLED)

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    installed = _run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-c",
            str(ROOT / "constraints.txt"),
            str(wheel),
        ],
        cwd=tmp_path,
    )
    assert installed.returncode == 0, installed.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "OSTEO_DATA")}
    ran = _run([str(env_dir / "bin" / "osteo"), "drugs", "list"], cwd=elsewhere, env=env)
    assert ran.returncode == 0, ran.stderr
    assert "Denosumab" in ran.stdout and "Romosozumab" in ran.stdout
    assert "\x1b[" not in ran.stdout
    located = _run(
        [str(python), "-c", "from osteo_cli.knowledge import shipped_path; print(shipped_path())"],
        cwd=elsewhere,
        env=env,
    )
    assert str(env_dir) in located.stdout  # the packaged copy, not the repository's

    # The first run after install, with an empty cache, reads the wheel's compiled form:
    # neither YAML nor pydantic is imported, and the answers are the checkout's own.
    for args in (["drugs", "show", "denosumab"], ["search", "rebound"], ["drugs", "list"]):
        env["OSTEO_CACHE_DIR"] = str(tmp_path / f"cache-{args[-1]}")
        first = _run([str(env_dir / "bin" / "python"), "-X", "importtime", "-m", "osteo_cli", *args], elsewhere, env)
        assert first.returncode == 0, first.stderr
        imported = {line.split("|")[-1].strip() for line in first.stderr.splitlines() if line.startswith("import time")}
        assert not {"pydantic", "yaml"} & imported, args
        checkout = _run([sys.executable, "-m", "osteo_cli", *args], ROOT, process_env())
        assert first.stdout == checkout.stdout


def test_license_typing_marker_and_one_version_source() -> None:
    """Newcomer D15: MIT was declared but no LICENSE shipped; no py.typed; two versions."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert (ROOT / "osteo_cli" / "py.typed").exists()
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"]["path"] == "osteo_cli/__init__.py"
