"""osteo's benchmark: issue 21's targets, measured side by side in one run.

    make bench                            # every target; writes docs/performance.md
    python benchmarks/startup.py --quick  # a smoke run: 3 rounds, nothing written

It runs this checkout as a user's install (a wheel, bytecode compiled), every process started
and measured by a small runner process, in rounds that run every case once, shuffled. Each
ratio is taken per round (case / its reference in that round); the median over the rounds
meets its target or not. docs/performance.md says what is measured and why.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from subprocess import PIPE
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "medications.yaml"
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
PYTHON = sys.executable
FLOOR = [PYTHON, "-c", "import typer, rich.console, rich.table, pydantic, yaml"]

# Issue 21's targets.
WARM, HELP, COMPLETION, MEMORY = 1.1, 1.3, 0.7, 1.0
FIRST_RUN = 3.0  # after install or after an edit, x the same command warm
LOOKUP_10X, LISTING_10X = 1.2, 2.0  # x the same command at 1x
LINES, LINES_SLACK = 8_000, 1.05  # osteo_cli/ "about 8,000 lines"

# The runner. A child's ru_maxrss counts its parent's resident set at exec, so the parent
# must be small, and this script is not. It first tells its own peak (VmHWM, KiB: no child
# can read below it), then reads [argv, env] lines and runs each with stdin, stdout and
# stderr on /dev/null, answering [wall seconds, user+sys CPU seconds, peak KiB, exit code].
RUNNER = r"""
import json, os, sys, time
null = os.open(os.devnull, os.O_RDWR)
quiet = [(os.POSIX_SPAWN_DUP2, null, fd) for fd in (0, 1, 2)]
with open("/proc/self/status") as status:
    print(sum(int(l.split()[1]) for l in status if l.startswith("VmHWM:")), flush=True)
for line in sys.stdin:
    job = json.loads(line)
    start = time.perf_counter()
    pid = os.posix_spawn(job[0][0], job[0], job[1], file_actions=quiet)
    _, status, use = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    print(json.dumps([wall, use.ru_utime + use.ru_stime, use.ru_maxrss, os.waitstatus_to_exitcode(status)]), flush=True)
"""


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float
    peak_kib: int


@dataclass
class Case:
    label: str  # an osteo command line, or "complete: WORDS" (bash completion of `osteo WORDS`)
    env: dict[str, str] = field(default_factory=dict)
    fresh: Callable[[], dict[str, str]] | None = None  # new state before each run: a first run
    samples: list[Sample] = field(default_factory=list)

    @property
    def args(self) -> list[str]:
        return [] if self.label.startswith("complete: ") else self.label.split()

    @property
    def expect(self) -> tuple[int, ...]:
        return (2,) if self.label == ERROR else (0, 1)  # 1: a finding (check, sequence)


COMPLETE = "complete: drugs show den"
ERROR = "drugs show nonesuch"
COMMANDS = {  # warm, x the floor
    "drugs show denosumab": WARM,
    "drugs list": WARM,
    "drugs compare denosumab teriparatide": WARM,
    "check --crcl 32": WARM,
    "search rebound": WARM,
    "faq": WARM,
    "tscore -2.7": WARM,
    "sequence romosozumab:12m denosumab:2y": WARM,
    "schedule prolia --last 2026-05-10 --today 2026-11-25": WARM,
    ERROR: WARM,
    "--help": HELP,
    "drugs show --help": HELP,
    COMPLETE: COMPLETION,
}
FIRST_RUNS = ("drugs show denosumab", "drugs list", "search rebound", COMPLETE)  # x the same, warm
SCALED = {  # 10x, x the same at 1x: lookups stay flat, listings may grow with what they print
    "drugs show denosumab": LOOKUP_10X,
    "drugs compare denosumab teriparatide": LOOKUP_10X,
    "check denosumab --crcl 32": LOOKUP_10X,
    COMPLETE: LOOKUP_10X,
    "drugs list": LISTING_10X,
    "faq": LISTING_10X,
    "search rebound": LISTING_10X,
}


CLONED = ("families", "agents", "faq", "lifestyle", "topics")  # top-level lists, where present
NAMES = ("name", "singular", "title", "question", "aliases")  # looked up by people: unique in each copy


def scaled(text: str, copies: int) -> str:
    """The knowledge base with every entry of the CLONED sections present `copies` times.
    Copy k renames what must stay unique: the ids defined in those sections get `-xk`, their
    names ` xk`, and so do the references to them: the values of any key whose every value in
    the file is such an id (or such a name). Whatever else the schema holds is copied as is."""
    import yaml

    kb = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    cloned = [(key, value) for name in CLONED for key, value in _strings(kb.get(name))]
    ids = {value for key, value in cloned if key == "id"}
    names = {value for key, value in cloned if key in NAMES}
    seen: dict[str, set[str]] = {}
    for key, value in _strings(kb):
        seen.setdefault(key, set()).add(value)

    def renamed(item: Any, k: int, key: str = "") -> Any:
        if isinstance(item, dict):
            return {key: renamed(value, k, key) for key, value in item.items()}
        if isinstance(item, list):
            return [renamed(value, k, key) for value in item]
        if isinstance(item, str) and item in ids and (key == "id" or seen[key] <= ids):
            return f"{item}-x{k}"
        if isinstance(item, str) and item in names and (key in NAMES or seen[key] <= names):
            return f"{item} x{k}"
        return item

    for name in CLONED:
        if isinstance(kb.get(name), list):
            kb[name] = kb[name] + [renamed(item, k, name) for k in range(1, copies) for item in kb[name]]

    class Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
        def ignore_aliases(self, data: Any) -> bool:
            return True  # copies share objects (dates); osteo refuses anchors

    return str(yaml.dump(kb, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=1000))


def _strings(item: Any, key: str = "") -> Iterable[tuple[str, str]]:
    """(key, value) for every string in `item`, a list's items under the list's key."""
    if isinstance(item, dict):
        for k, value in item.items():
            yield from _strings(value, k)
    elif isinstance(item, list):
        for value in item:
            yield from _strings(value, key)
    elif isinstance(item, str):
        yield key, item


GENERATED = re.compile(r"(?i)\bdo not edit\b|@generated|\bgenerated (by|from|with)\b")


def package_files(package: Path = ROOT / "osteo_cli") -> tuple[int, list[str]]:
    """Lines in every file of the package, and the files that say they are generated."""
    lines, generated = 0, []
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        text = path.read_bytes().decode("utf-8", "replace")
        lines += text.count("\n")
        if GENERATED.search("\n".join(text.splitlines()[:5])):
            generated.append(str(path.relative_to(package.parent)))
    return lines, generated


def step(argv: list[str]) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(argv[:4])} … failed ({done.returncode}):\n{done.stdout}{done.stderr}")


def install(folder: Path) -> Path:
    """This checkout as a user installs it: a wheel, installed into a folder of its own
    (its dependencies are this environment's), then bytecode compiled with the standard
    library and the dependencies, so that no measured run compiles anything."""
    quiet = ["-q", "--disable-pip-version-check", "--no-deps"]
    step([PYTHON, "-m", "pip", "wheel", *quiet, "-w", str(folder / "dist"), str(ROOT)])
    wheel = next((folder / "dist").glob("osteo-*.whl"))
    step([PYTHON, "-m", "pip", "install", *quiet, "--target", str(folder / "site"), str(wheel)])
    paths = {sysconfig.get_paths()[key] for key in ("stdlib", "purelib", "platlib")}
    skip = r"[/\\](test|tests|idlelib|tkinter|lib2to3|turtledemo)[/\\]"
    step([PYTHON, "-m", "compileall", "-q", "-j", "0", "-x", skip, str(folder / "site"), *sorted(paths)])
    return folder / "site"


def environment(folder: Path, site: Path) -> dict[str, str]:
    """Every child's environment: the installed copy, caches of the benchmark's own, a pipe
    (not a terminal) 100 columns wide, nothing a user would not have."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OSTEO_", "_OSTEO_", "COMP_", "PYTHON"))}
    for name in ("home", "xdg", "cache"):
        (folder / name).mkdir()
    env.update(HOME=str(folder / "home"), XDG_CACHE_HOME=str(folder / "xdg"), OSTEO_CACHE_DIR=str(folder / "cache"))
    # PYTHONSAFEPATH: never the working directory (this checkout) ahead of the installed copy.
    env.update(PYTHONPATH=str(site), PYTHONSAFEPATH="1", PYTHONDONTWRITEBYTECODE="1", COLUMNS="100")
    return env


def cases(folder: Path) -> dict[str, list[Case]]:
    """Every case, by group; the knowledge-base copies they read are written into `folder`."""
    text = SHIPPED.read_text(encoding="utf-8")
    x1, x10, edited = folder / "x1.yaml", folder / "x10.yaml", folder / "edited.yaml"
    x1.write_text(text, encoding="utf-8")
    x10.write_text(scaled(text, 10), encoding="utf-8")
    edits = iter(range(1, 1 << 62))

    def after_install() -> dict[str, str]:
        return {"OSTEO_CACHE_DIR": tempfile.mkdtemp(prefix="first-", dir=folder)}

    def after_edit() -> dict[str, str]:
        edited.write_text(f"{text.rstrip()}\n# edit {next(edits)}\n", encoding="utf-8")
        return {"OSTEO_DATA": str(edited)}

    def case(label: str, fresh: Callable[[], dict[str, str]] | None = None, **env: str) -> Case:
        if label.startswith("complete: "):  # as bash asks Typer (COMP_CWORD: the word completed)
            words = ["osteo", *label.split()[1:]]
            env.update(_OSTEO_COMPLETE="complete_bash", COMP_WORDS=" ".join(words), COMP_CWORD=str(len(words) - 1))
        return Case(label, env, fresh)

    return {
        "floor": [Case("floor")],
        "warm": [case(label) for label in COMMANDS],
        "install": [case(label, after_install) for label in FIRST_RUNS],
        "edit": [case(label, after_edit) for label in FIRST_RUNS],
        "x1": [case(label, OSTEO_DATA=str(x1)) for label in SCALED],
        "x10": [case(label, OSTEO_DATA=str(x10)) for label in SCALED],
    }


def argv(case: Case, site: Path) -> list[str]:
    return FLOOR if case.label == "floor" else [str(site / "bin" / "osteo"), *case.args]


def warm_up(case: Case, site: Path, env: dict[str, str]) -> None:
    """One untimed run: fills the cache, and checks that the case does what it says."""
    done = subprocess.run(argv(case, site), env={**env, **case.env}, capture_output=True, text=True, check=False)
    printed = done.stdout if done.returncode != 2 else done.stderr
    if done.returncode not in case.expect or (case.label != "floor" and not printed.strip()):
        detail = f"{done.stdout[-2000:]}{done.stderr[-2000:]}"
        raise SystemExit(f"bench: {case.label} {case.env} exited {done.returncode}, expected {case.expect}:\n{detail}")


def measure(groups: dict[str, list[Case]], site: Path, env: dict[str, str], rounds: int) -> int:
    """Interleaved rounds over every case; returns the runner's own peak (KiB)."""
    every = [case for group in groups.values() for case in group]
    for case in every:
        if case.fresh is None:
            warm_up(case, site, env)
    runner = subprocess.Popen([PYTHON, "-I", "-S", "-c", RUNNER], stdin=PIPE, stdout=PIPE, text=True)
    assert runner.stdin and runner.stdout
    try:
        own = int(runner.stdout.readline())
        for _ in range(rounds):
            random.shuffle(every)
            for case in every:
                job = [argv(case, site), {**env, **case.env, **(case.fresh() if case.fresh else {})}]
                runner.stdin.write(json.dumps(job) + "\n")
                runner.stdin.flush()
                wall, cpu, peak, code = json.loads(runner.stdout.readline())
                if code not in case.expect:
                    raise SystemExit(f"bench: {case.label} exited {code} in a timed run")
                case.samples.append(Sample(wall, cpu, peak))
        return own
    finally:
        runner.stdin.close()
        runner.wait()


@dataclass
class Verdict:
    section: str
    what: str
    value: float
    target: float
    spread: str = ""  # the per-round ratios' interquartile range
    cpu: str = ""  # the same ratio in CPU time (user+sys): barely moved by other load
    detail: str = ""
    unit: str = "×"

    @property
    def ok(self) -> bool:  # judged as printed: 1.004x meets <= 1.0x
        return round(self.value, 2) <= self.target


def ratio(section: str, what: str, case: Case, ref: Case, target: float) -> Verdict:
    """case / ref, per round, median over rounds."""
    pairs = list(zip(case.samples, ref.samples, strict=True))
    q1, wall, q3 = statistics.quantiles([a.wall / b.wall for a, b in pairs], n=4, method="inclusive")
    cpu = statistics.median(a.cpu / b.cpu for a, b in pairs)
    ms = statistics.median(a.wall for a, _ in pairs) * 1000
    return Verdict(section, what, wall, target, f"{q1:.2f}–{q3:.2f}", f"{cpu:.2f}", f"{ms:.0f} ms")


def memory(case: Case, floor: Case) -> Verdict:
    peak = statistics.median(s.peak_kib for s in case.samples) / 1024
    value = statistics.median(a.peak_kib / b.peak_kib for a, b in zip(case.samples, floor.samples, strict=True))
    return Verdict("peak memory, × the floor's", case.label, value, MEMORY, detail=f"{peak:.1f} MiB")


def verdicts(groups: dict[str, list[Case]], lines: int, generated: list[str]) -> list[Verdict]:
    (floor,) = groups["floor"]
    warm = {case.label: case for case in groups["warm"]}
    x1 = {case.label: case for case in groups["x1"]}
    out = [ratio("warm, × the floor", c.label, c, floor, COMMANDS[c.label]) for c in warm.values()]
    out += [memory(case, floor) for case in warm.values()]
    for group, reference in (("install", warm), ("edit", x1)):
        section = f"first run after {group}, × warm"
        out += [ratio(section, c.label, c, reference[c.label], FIRST_RUN) for c in groups[group]]
    out += [ratio("10× knowledge base, × 1×", c.label, c, x1[c.label], SCALED[c.label]) for c in groups["x10"]]
    limit = round(LINES * LINES_SLACK)
    out.append(Verdict("code", "lines in osteo_cli/", lines, limit, detail=f"about {LINES:,}", unit=""))
    out.append(
        Verdict("code", "generated files in osteo_cli/", len(generated), 0, detail=", ".join(generated), unit="")
    )
    return out


def table(results: list[Verdict]) -> str:
    rows = ["| target | measured | limit | result | spread | CPU | |", "|---|---:|---:|---|---:|---:|---:|"]
    section = ""
    for v in results:
        if v.section != section:
            section = v.section
            rows.append(f"| **{section}** | | | | | | |")
        number = f"{v.value:,.0f}" if v.unit != "×" else f"{v.value:.2f}×"
        limit = f"≤ {v.target:,.0f}" if v.unit != "×" else f"≤ {v.target:g}×"
        verdict = "PASS" if v.ok else "**FAIL**"
        rows.append(f"| {v.what} | {number} | {limit} | {verdict} | {v.spread} | {v.cpu} | {v.detail} |")
    return "\n".join(rows)


def header(rounds: int, floor: Case, runner_peak: int) -> str:
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("typer", "rich", "pydantic", "PyYAML"))
    commit = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True)
    floor_ms = statistics.median(s.wall for s in floor.samples) * 1000
    cpuinfo = Path("/proc/cpuinfo")
    cpu = re.search(r"model name\s*: (.*)", cpuinfo.read_text() if cpuinfo.exists() else "")
    return (
        f"{datetime.date.today()}, commit {commit.stdout.strip() or '?'}; {cpu[1] if cpu else platform.machine()}, "
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; Python {platform.python_version()}; {versions}.\n"
        f"{rounds} rounds; the floor took {floor_ms:.0f} ms (median) and "
        f"{statistics.median(s.peak_kib for s in floor.samples) / 1024:.1f} MiB; "
        f"no peak can read below the runner's own {runner_peak / 1024:.1f} MiB."
    )


def write_doc(path: Path, text: str) -> None:
    doc = path.read_text(encoding="utf-8")
    head, start, rest = doc.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"bench: {path} has no {START} … {END} markers")
    path.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=20, help="interleaved rounds (default 20, at least 2)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 3 rounds, nothing written")
    parser.add_argument("--write", type=Path, metavar="FILE", help=f"put the results into FILE (e.g. {DOC.name})")
    args = parser.parse_args()
    rounds = 3 if args.quick else max(args.rounds, 2)
    with tempfile.TemporaryDirectory(prefix="osteo-bench-") as tmp:
        print("bench: building and installing the wheel …", file=sys.stderr)
        site = install(Path(tmp))
        env = environment(Path(tmp), site)
        groups = cases(Path(tmp))
        print(f"bench: {rounds} rounds …", file=sys.stderr)
        runner_peak = measure(groups, site, env, rounds)
    results = verdicts(groups, *package_files())
    text = f"{header(rounds, groups['floor'][0], runner_peak)}\n\n{table(results)}"
    print(text)
    if args.write and not args.quick:  # a smoke run's figures are not a record
        write_doc(args.write, text)
    failed = [v for v in results if not v.ok]
    print(f"\n{len(results) - len(failed)} of {len(results)} targets met", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
