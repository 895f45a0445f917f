"""Packaging: the knowledge base travels inside the wheel, and an editable install finds it."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest
from helpers import ROOT, SHIPPED, process_env

from osteo_cli import __version__
from osteo_cli.knowledge.cache import KINDS, OWN


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


def test_editable_install_finds_the_knowledge_base_from_another_directory(tmp_path: Path) -> None:
    env = {k: v for k, v in process_env().items() if k != "PYTHONPATH"}  # found as installed, not by path
    result = _run([sys.executable, "-m", "osteo_cli", "drugs", "list", "--format", "json"], cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert '"id": "denosumab"' in result.stdout


def _bare_venv(folder: Path) -> Path:
    """A venv with nothing in it but pip: what a user has before installing osteo."""
    venv.create(folder, with_pip=True)
    return folder / "bin" / "python"


def _user_env(home: Path) -> dict[str, str]:
    """The environment of a user's shell: none of the development checkout's variables."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV") and not k.startswith("OSTEO_")}
    return {**env, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}


@pytest.mark.install
def test_installs_from_source_in_a_bare_venv_with_build_isolation(tmp_path: Path) -> None:
    """Issue 19: a user's `pip install` builds osteo in a bare venv, with pip's build isolation.

    pip's isolated build environment reaches a build hook's subprocess through PYTHONPATH;
    building with the development venv's Python (which has every build requirement) hid
    that a hook which replaced PYTHONPATH could not build anywhere else. The wheel is built
    from the sdist, as `pip install osteo-X.tar.gz` and `python -m build` do, which proves the
    sdist carries what a build needs; `pip install .` of a tree takes the same isolated build.
    (CI also runs `make dist`: python -m build and twine check.)
    """
    env = _user_env(tmp_path / "home")
    dist = tmp_path / "dist"
    sdist_built = _run([sys.executable, "-m", "build", "--sdist", "--outdir", str(dist), str(ROOT)], tmp_path, env)
    assert sdist_built.returncode == 0, sdist_built.stdout[-3000:] + sdist_built.stderr[-3000:]
    (sdist,) = dist.glob("osteo-*.tar.gz")
    with tarfile.open(sdist) as archive:
        members = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {
        "pyproject.toml",
        "LICENSE",
        "README.md",
        "data/medications.yaml",
        "hatch_build.py",
        "man/osteo.1",
    } <= members
    assert not any(name.startswith((".venv", ".git/")) for name in members)

    python = _bare_venv(tmp_path / "venv")
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "--quiet"]
    wheel_built = _run([*pip, "wheel", "--no-deps", "--wheel-dir", str(dist), str(sdist)], tmp_path, env)
    assert wheel_built.returncode == 0, wheel_built.stderr[-3000:]
    (wheel,) = dist.glob("osteo-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("osteo_cli/data/medications.yaml") == SHIPPED.read_bytes()
        names = archive.namelist()
        assert "osteo_cli/py.typed" in names
        assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)
        metadata = next(archive.read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
        assert f"Version: {__version__}" in metadata
        # The shipped knowledge base's compiled form (hatch_build.py): one entry of each kind,
        # named as the cache names them.
        bundled = [n.split("/")[-1] for n in names if n.startswith("osteo_cli/data/compiled/")]
        assert all(OWN.fullmatch(n) for n in bundled)
        assert sorted(n.split("-", 1)[0] for n in bundled) == sorted(KINDS)

    installed = _run([*pip, "install", "--no-compile", str(wheel)], cwd=tmp_path, env=env)
    assert installed.returncode == 0, installed.stderr[-3000:]
    ran = _run([str(tmp_path / "venv" / "bin" / "osteo"), "drugs", "show", "denosumab"], cwd=Path("/"), env=env)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("Denosumab") and "\x1b[" not in ran.stdout
    located = _run(
        [str(python), "-c", "from osteo_cli.knowledge import shipped_path; print(shipped_path())"], Path("/"), env
    )
    assert str(tmp_path / "venv") in located.stdout  # the packaged copy, not the repository's
    # `man osteo`: the page is where pip puts shared data, and pipx links it from there.
    installed_page = tmp_path / "venv" / "share" / "man" / "man1" / "osteo.1"
    assert installed_page.read_bytes() == (ROOT / "man" / "osteo.1").read_bytes()

    # The first run after install, with an empty cache, reads the wheel's compiled form: neither
    # YAML nor pydantic is imported, nothing needs writing to the cache, and the answer is the
    # checkout's own.
    for args in (["drugs", "show", "denosumab"], ["search", "rebound"]):
        env["OSTEO_CACHE_DIR"] = str(tmp_path / f"cache-{args[-1]}")
        first = _run([str(python), "-X", "importtime", "-m", "osteo_cli", *args], Path("/"), env)
        assert first.returncode == 0, first.stderr
        imported = {line.split("|")[-1].strip() for line in first.stderr.splitlines() if line.startswith("import time")}
        assert not {"pydantic", "yaml"} & imported, args
        assert not (tmp_path / f"cache-{args[-1]}").exists(), args
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
