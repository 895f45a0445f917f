"""Start-up benchmark: whole-process time and peak memory of osteo's commands, as ratios
to the floor of importing its dependencies, measured side by side in one run.

    make bench                      # the table
    make bench BENCH_ARGS=--json    # the same as JSON
    python benchmarks/startup.py --runs 30

Every command runs in a fresh process, interleaved with the floor
(`python -c "import typer, rich.console, rich.table, pydantic, yaml"`) so that machine
noise hits all of them alike. Each is run once first to warm the knowledge-base cache
and the OS file cache. Peak memory is each child's own maximum resident set (wait4).

It also builds a synthetic knowledge base a hundred times the shipped one (same schema)
and times `drugs show` and `drugs compare` (and `search`, once it exists) against it,
as a ratio to the same command on the shipped knowledge base.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "medications.yaml"
PYTHON = sys.executable
OSTEO = str(Path(PYTHON).with_name("osteo"))
FLOOR = [PYTHON, "-c", "import typer, rich.console, rich.table, pydantic, yaml"]

TIME_TARGET, COMPLETION_TARGET, MEMORY_TARGET, SCALE_TARGET = 1.3, 0.8, 1.3, 1.5


@dataclass
class Case:
    name: str
    argv: list[str]
    env: dict[str, str]
    target: float | None  # time ratio to the floor; None for the floor itself


@dataclass
class Measured:
    case: Case
    seconds: list[float]
    peak_kib: int

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def spread(self) -> float:
        """Interquartile range as a share of the median: how noisy the runs were."""
        q = statistics.quantiles(self.seconds, n=4)
        return (q[2] - q[0]) / self.median


def osteo(*args: str) -> list[str]:
    return [OSTEO, *args]


def completion(words: str) -> Case:
    env = {"_OSTEO_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    return Case(f"complete '{words}'", [OSTEO], env, COMPLETION_TARGET)


def commands() -> list[Case]:
    cases = [
        Case("floor (import deps)", FLOOR, {}, None),
        Case("osteo --version", osteo("--version"), {}, TIME_TARGET),
        Case("osteo drugs list", osteo("drugs", "list"), {}, TIME_TARGET),
        Case("osteo drugs show denosumab", osteo("drugs", "show", "denosumab"), {}, TIME_TARGET),
        Case(
            "osteo drugs compare denosumab teriparatide",
            osteo("drugs", "compare", "denosumab", "teriparatide"),
            {},
            TIME_TARGET,
        ),
        Case("osteo faq", osteo("faq"), {}, TIME_TARGET),
        Case("osteo drugs stopping denosumab", osteo("drugs", "stopping", "denosumab"), {}, TIME_TARGET),
        Case(
            "osteo sequence romosozumab:12m denosumab:2y",
            osteo("sequence", "romosozumab:12m", "denosumab:2y", "alendronate:1y"),
            {},
            TIME_TARGET,
        ),
        Case("osteo tscore -2.7", osteo("tscore", "-2.7"), {}, TIME_TARGET),
        Case("osteo lifestyle", osteo("lifestyle"), {}, TIME_TARGET),
        Case("osteo learn scans", osteo("learn", "scans"), {}, TIME_TARGET),
        Case("osteo search rebound", osteo("search", "rebound"), {}, TIME_TARGET),
        Case("osteo kb validate", osteo("kb", "validate"), {}, TIME_TARGET),
        Case("osteo kb schema", osteo("kb", "schema"), {}, TIME_TARGET),
        completion("osteo drugs show den"),
    ]
    return [c for c in cases if c.argv == FLOOR or available(c.argv)]


def available(argv: list[str]) -> bool:
    """Commands of later issues are measured once they exist."""
    if len(argv) < 2:
        return True
    probe = subprocess.run([*argv[:3], "--help"], capture_output=True, check=False)
    return probe.returncode == 0


def run_once(case: Case) -> tuple[float, int]:
    env = {**os.environ, **case.env}
    start = time.perf_counter()
    proc = subprocess.Popen(case.argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark: {case.name} exited {proc.returncode}")
    return elapsed, usage.ru_maxrss


def measure(cases: list[Case], runs: int) -> list[Measured]:
    for case in cases:  # warm the cache and the OS file cache
        run_once(case)
    results = {case.name: Measured(case, [], 0) for case in cases}
    for _ in range(runs):
        for case in cases:
            seconds, peak = run_once(case)
            results[case.name].seconds.append(seconds)
            results[case.name].peak_kib = max(results[case.name].peak_kib, peak)
    return list(results.values())


def synthetic_kb(folder: Path, copies: int = 100) -> Path:
    """The shipped knowledge base with every family, agent, question, advice and topic copied
    `copies` times, each copy renamed so that ids, names and brands stay unique (it validates)."""
    import yaml

    kb = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))

    def renamed(item: Any, k: int) -> Any:
        if k == 0:
            return item
        if isinstance(item, list):
            return [renamed(x, k) for x in item]
        if not isinstance(item, dict):
            return item
        out = {}
        for key, value in item.items():
            if key in ("id", "family") or (key == "group" and "amount" in item):  # ids and limit groups
                value = f"{value}-x{k}"
            elif key == "followed_by":
                value = [f"{v}-x{k}" for v in value]
            elif key in ("name", "singular", "title", "question") and isinstance(value, str):
                value = f"{value} x{k}"
            elif key == "aliases":
                value = [f"{v} x{k}" for v in value]
            else:
                value = renamed(value, k)
            out[key] = value
        return out

    for section in ("families", "agents", "faq", "lifestyle", "topics"):
        kb[section] = [renamed(item, k) for k in range(copies) for item in kb[section]]
    path = folder / "medications-x100.yaml"

    class NoAliases(yaml.SafeDumper):  # osteo refuses anchors, and copies share date objects
        def ignore_aliases(self, data: Any) -> bool:
            return True

    path.write_text(yaml.dump(kb, Dumper=NoAliases, sort_keys=False, allow_unicode=True), encoding="utf-8")
    check = subprocess.run(osteo("kb", "validate", str(path)), capture_output=True, text=True, check=False)
    if check.returncode != 0:
        raise SystemExit(f"benchmark: the synthetic knowledge base does not validate:\n{check.stdout}{check.stderr}")
    return path


def scale_cases(big: Path) -> list[tuple[Case, Case]]:
    pairs = [
        ("drugs show denosumab", ["drugs", "show", "denosumab"]),
        ("drugs compare denosumab teriparatide", ["drugs", "compare", "denosumab", "teriparatide"]),
        ("search rebound", ["search", "rebound"]),
    ]
    out = []
    for name, args in pairs:
        if not available(osteo(*args)):
            continue
        out.append(
            (
                Case(f"{name} (shipped)", osteo(*args), {}, None),
                Case(f"{name} (x100)", osteo(*args, "--data", str(big)), {}, SCALE_TARGET),
            )
        )
    return out


def report(results: list[Measured], scale: list[tuple[Measured, Measured]], runs: int) -> dict[str, object]:
    floor = results[0]
    rows = []
    for m in results:
        ratio = m.median / floor.median
        memory = m.peak_kib / floor.peak_kib
        ok = m.case.target is None or (ratio <= m.case.target and memory <= MEMORY_TARGET)
        rows.append(
            {
                "command": m.case.name,
                "median_ms": round(m.median * 1000, 1),
                "ratio": round(ratio, 2),
                "target": m.case.target,
                "spread": round(m.spread, 3),
                "peak_mib": round(m.peak_kib / 1024, 1),
                "memory_ratio": round(memory, 2),
                "ok": ok,
            }
        )
    scale_rows = []
    for base, big in scale:
        ratio = big.median / base.median
        scale_rows.append(
            {
                "command": big.case.name.removesuffix(" (x100)"),
                "shipped_ms": round(base.median * 1000, 1),
                "x100_ms": round(big.median * 1000, 1),
                "ratio": round(ratio, 2),
                "target": SCALE_TARGET,
                "ok": ratio <= SCALE_TARGET,
            }
        )
    return {
        "runs": runs,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "commands": rows,
        "scale": scale_rows,
        "ok": all(r["ok"] for r in rows + scale_rows),
    }


def print_table(data: dict[str, object]) -> None:
    print(f"osteo start-up, median of {data['runs']} interleaved runs (Python {data['python']}, {data['cpus']} CPUs)")
    print()
    print(f"{'command':<46} {'median':>8} {'ratio':>6} {'target':>7} {'spread':>7} {'peak':>9} {'mem':>5}  ok")
    for r in data["commands"]:  # type: ignore[attr-defined]
        target = f"≤{r['target']}" if r["target"] else "floor"
        print(
            f"{r['command']:<46} {r['median_ms']:>6.1f}ms {r['ratio']:>5.2f}x {target:>7} "
            f"{r['spread']:>6.1%} {r['peak_mib']:>6.1f}MiB {r['memory_ratio']:>4.2f}x  {'yes' if r['ok'] else 'NO'}"
        )
    if data["scale"]:
        print()
        print(
            f"{'knowledge base x100 (about 1000 agents)':<46} {'shipped':>8} {'x100':>8} {'ratio':>6} {'target':>7}  ok"
        )
        for r in data["scale"]:  # type: ignore[attr-defined]
            print(
                f"{r['command']:<46} {r['shipped_ms']:>6.1f}ms {r['x100_ms']:>6.1f}ms {r['ratio']:>5.2f}x "
                f"{'≤' + str(r['target']):>7}  {'yes' if r['ok'] else 'NO'}"
            )
    print()
    print("ratio: median time / the floor's; spread: interquartile range / median; mem: peak RSS / the floor's")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (default 15, at least 10)")
    parser.add_argument("--json", action="store_true", help="write the results as JSON")
    args = parser.parse_args()
    runs = max(args.runs, 10)
    with tempfile.TemporaryDirectory() as tmp:
        # A cache of our own, so the benchmark measures osteo, not whatever the user's cache holds.
        os.environ["OSTEO_CACHE_DIR"] = str(Path(tmp) / "cache")
        for key in ("OSTEO_DATA", "OSTEO_NO_CACHE"):
            os.environ.pop(key, None)
        results = measure(commands(), runs)
        big = synthetic_kb(Path(tmp))
        pairs = scale_cases(big)
        flat = measure([c for pair in pairs for c in pair], runs)
        scale = [(flat[i], flat[i + 1]) for i in range(0, len(flat), 2)]
        data = report(results, scale, runs)
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        print_table(data)
    return 0 if data["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
