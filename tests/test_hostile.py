"""Hostile and broken knowledge-base files.

Each case must end in exit 1 with one line on stderr that names the file and the problem.
Those that could exhaust memory or hang run as a real `osteo` process under a 1 GiB
address-space limit and a timeout that turns a hang into a failure; small files refused
early run in-process, through the same error boundary. Nothing may be cached for a file
that failed.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
from pathlib import Path

import pytest
from helpers import OSTEO, invoke, process_env
from kb_edits import edited_kb

HOSTILE = Path(__file__).parent / "hostile"
MEMORY_LIMIT = 1 << 30  # the shipped knowledge base loads in well under 100 MiB
HANG = 20  # seconds; a guard against hangs, not a performance target (see benchmarks/)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _osteo(*args: str, cache: Path, columns: int = 100) -> subprocess.CompletedProcess[str]:
    env = process_env(OSTEO_CACHE_DIR=str(cache), COLUMNS=str(columns))
    env.pop("OSTEO_DATA", None)
    return subprocess.run(
        [*OSTEO, *args], capture_output=True, text=True, env=env, timeout=HANG, preexec_fn=_limit_memory, check=False
    )


def _assert_refused(path: Path | str, phrase: str, tmp_path: Path, line: int | None = None) -> None:
    cache = tmp_path / "cache"
    result = _osteo("drugs", "list", "--data", str(path), cache=cache)
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    where = f"{path}:{line}:" if line else f"{path}"
    assert result.stderr.startswith(f"osteo: error: {where}"), result.stderr
    assert phrase in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not list(cache.glob("kb-*.json")) if cache.exists() else True


STATIC_CASES = [
    ("python-tag.yaml", "tags ('tag:yaml.org,2002:python/object/apply:os.system') are not allowed", 2),
    ("custom-tag.yaml", "tags ('!include') are not allowed", 2),
    ("billion-laughs.yaml", "anchors ('&name') are not allowed", 1),
    ("merge-key.yaml", "merge keys ('<<') are not allowed", 4),
    ("duplicate-key.yaml", "duplicate key 'kb_version'", 3),
    ("multiple-documents.yaml", "not valid YAML: but found another document", 2),
    ("top-level-list.yaml", "the file holds a list, not a mapping of fields", 1),
    ("scalar.yaml", "the file holds a single value, not a mapping of fields", 1),
    ("empty.yaml", "the file is empty", None),
    ("blank.yaml", "the file is empty, not a mapping of fields", 1),
    ("invalid-utf8.yaml", "not valid UTF-8 (byte 52)", 3),
    ("nul-byte.yaml", "control character U+0000 is not allowed", 2),
    ("escape-in-text.yaml", "control character U+001B is not allowed", 3),
]


def _assert_refused_in_process(path: Path, phrase: str, line: int | None = None) -> None:
    """The same refusal through the same error boundary, in this process: for files that are
    small and stop early, where a process of their own would prove nothing more."""
    cache = Path(os.environ["OSTEO_CACHE_DIR"])  # this test's own (conftest)
    result = invoke("drugs", "list", "--data", str(path))
    assert not list(cache.glob("kb-*")) if cache.exists() else True
    assert (result.exit_code, result.stdout) == (1, ""), result.stderr
    where = f"{path}:{line}:" if line else f"{path}"
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"osteo: error: {where}"), result.stderr
    assert phrase in result.stderr and "Traceback" not in result.stderr, result.stderr


@pytest.mark.parametrize(("name", "phrase", "line"), STATIC_CASES, ids=[c[0] for c in STATIC_CASES])
def test_static_hostile_file(name: str, phrase: str, line: int | None, tmp_path: Path) -> None:
    if name == "billion-laughs.yaml":  # the one a reader that expanded it would hang on
        _assert_refused(HOSTILE / name, phrase, tmp_path, line)
    else:
        _assert_refused_in_process(HOSTILE / name, phrase, line)


def test_python_tag_runs_nothing(tmp_path: Path) -> None:
    marker = Path("/tmp/osteo-pwned")
    marker.unlink(missing_ok=True)
    _osteo("faq", "--data", str(HOSTILE / "python-tag.yaml"), cache=tmp_path)
    assert not marker.exists()


@pytest.mark.parametrize(
    ("old", "new", "phrase"),
    [
        ("      route: oral\n", "      route: NO\n", "YAML read it as False, so put it in quotes"),
        ('kb_version: "2026.12.0"', "kb_version: 1.10", "YAML read it as 1.1, so put it in quotes"),
        ("      schedule: weekly or daily\n", "      schedule: 12:30\n", "YAML read it as 750, so put it in quotes"),
        ("        amount: 24\n", "        amount: .nan\n", "Input should be a valid integer"),
        ("        amount: 12\n", "        amount: .inf\n", "Input should be a valid integer"),
        ("        amount: 24\n", "        amount: -3\n", "Input should be greater than 0"),
        ("last_reviewed: 2026-11-24\n", 'last_reviewed: "yesterday"\n', "Input should be a valid date"),
    ],
    ids=["NO", "1.10", "12:30", "nan", "inf", "negative", "date-string"],
)
def test_yaml_1_1_surprises_and_odd_numbers(old: str, new: str, phrase: str, tmp_path: Path) -> None:
    """Whole files that parse, refused by the schema: in-process, through the same error
    boundary (a process each would validate the whole file again, for no more proof)."""
    _assert_refused_in_process(edited_kb(tmp_path, (old, new)), phrase)


def test_nesting_thousands_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 50_000 + "]" * 50_000 + "\n")
    _assert_refused(path, "nesting is deeper than 32 levels", tmp_path, 1)


def test_file_of_many_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("w") as out:
        out.write("# padding\n" * 4_000_000)  # 40 MB
    _assert_refused(path, "is larger than 32 MiB", tmp_path)


def test_flood_of_nodes_within_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many small nodes, within the byte limit, stop at the node limit. The limit is lowered
    here: the same loop counts 2 million at the real one (about 5 CPU-seconds)."""
    from osteo_cli import knowledge
    from osteo_cli.errors import DataError
    from osteo_cli.knowledge import read

    monkeypatch.setattr(read, "MAX_EVENTS", 10_000)
    path = tmp_path / "flood.yaml"
    path.write_text("agents:\n" + "  - 1\n" * 12_500)
    with pytest.raises(DataError, match="more than 10000 YAML nodes"):
        knowledge.load(path)


def test_huge_single_value(tmp_path: Path) -> None:
    path = edited_kb(tmp_path, ("    name: Alendronate\n", '    name: "' + "x" * 5_000_000 + '"\n'))
    _assert_refused(path, "String should have at most 120 characters", tmp_path)


def test_directory(tmp_path: Path) -> None:
    _assert_refused(tmp_path, "is a directory, not a knowledge-base file", tmp_path)


def test_device(tmp_path: Path) -> None:
    _assert_refused("/dev/zero", "is not a regular file", tmp_path)


def test_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    _assert_refused(fifo, "is not a regular file", tmp_path)


def test_missing_file(tmp_path: Path) -> None:
    _assert_refused(tmp_path / "nope.yaml", "no such file", tmp_path)


def test_symlink_loop(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    _assert_refused(loop, "cannot be read", tmp_path)


def test_path_with_control_characters_is_shown_cleaned(tmp_path: Path) -> None:
    name = tmp_path / "evil\x1b[31m.yaml"
    result = _osteo("faq", "--data", str(name), cache=tmp_path)
    assert result.returncode == 1
    assert "\x1b" not in result.stderr and "no such file" in result.stderr


def test_markup_in_data_prints_literally(tmp_path: Path) -> None:
    path = edited_kb(
        tmp_path,
        (
            '"Can osteoporosis be reversed or cured?"',
            '"[bold]Can[/bold] [link=https://evil.example]it[/link] :skull: be [/x] reversed?"',
        ),
    )
    result = _osteo("faq", "--data", str(path), cache=tmp_path / "cache", columns=400)
    assert result.returncode == 0, result.stderr
    assert "[bold]Can[/bold] [link=https://evil.example]it[/link] :skull: be [/x] reversed?" in result.stdout


def test_many_wrong_values_within_the_node_limit(tmp_path: Path) -> None:
    path = tmp_path / "wrong.yaml"
    path.write_text("schema_version: 1\nagents:\n" + "  - 1\n" * 5_000)
    _assert_refused(path, "kb_version: Field required (and more: 'osteo kb validate", tmp_path, 1)
    report = _osteo("kb", "validate", str(path), "--format", "json", cache=tmp_path / "cache")
    assert report.returncode == 1
    problems = json.loads(report.stdout)["problems"]
    assert len(problems) == 51
    assert problems[-1]["message"] == "and 4955 more problems"
