"""History benchmark: the engine, `diff`, `release-notes` and `check --base` on a
generated repository with 10k requirements and 5,000 commits (see history_repo.py).

    .venv/bin/python benchmarks/history.py [--runs 3] [--reqs N --commits N]

Prints a Markdown table: median wall time and CPU time (this process's children, so git
and worker processes count) of each case, against its target. Every case is one run of
the installed command (or, for the engine, a fresh Python process), imports included.

- "cold": no reqkit cache at all (a fresh REQKIT_CACHE_DIR before every run): what a CI
  job on a fresh runner pays, so issue 4's targets are read against it first.
- "warm": the cache of a previous identical run (a developer's second run, or CI that
  keeps REQKIT_CACHE_DIR between jobs).
- "CI with main's cache": what the Action's cache gives a pull request: the cache a
  `check --base main` run on `main` saved, restored on a fresh checkout of `feature`.
- "floor": the git processes reading the whole first-parent log (what suspect links
  need) running beside a cold `check`: a cold `check --base` does both, so on this
  machine it can be no faster than that row.
- `check` without `--base` is printed for reference (no target of issue 4): `check
  --base` includes it, so a cold `check --base` can be no faster than a cold `check`.

Targets are reported, not enforced (exit 0), as for benchmarks/run.py. The machine's
load average is printed with the table: on shared cores, read CPU time first.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from history_repo import build  # noqa: E402
from run import release_install  # noqa: E402

# The release install of these sources (as users get it), set up in main().
REQKIT = Path(sys.executable).parent / "reqkit"
PYTHON = Path(sys.executable)
ENGINE = (
    "import time, sys; t = time.perf_counter(); c = time.process_time()\n"
    "from reqkit.config import load_config\n"
    "from reqkit.git.history import load_history\n"
    "h = load_history(load_config(None))\n"
    "sys.stderr.write(f'{len(h)} timelines, {len(h.commits)} commits\\n')\n"
)


@dataclass
class Case:
    name: str
    argv: list[str]
    target: float
    cold: bool  # a fresh cache before every run
    # CI with the Action's cache: before every run, a fresh cache filled by this command
    # on `main` (the default branch's CI run), then `feature` checked out anew
    seed: list[str] | None = None


def _once(argv: list[str], cwd: Path, cache: Path) -> tuple[float, float]:
    env = {**os.environ, "REQKIT_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package runs from .pyc files
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = os.times()
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu


def _as_restored_in_ci(seed: list[str], repo: Path, cache: Path) -> None:
    """The cache a CI run on `main` saves, restored for a pull request from `feature`:
    that run made on `main`, then `feature` checked out with every file new on disk (a
    fresh runner's checkout: the check cache answers by content, not by stat; git's
    index is as fresh as the files)."""
    subprocess.run(["git", "checkout", "-q", "main"], cwd=repo, check=True)
    try:
        _once(seed, repo, cache)
    finally:
        subprocess.run(["git", "checkout", "-q", "feature"], cwd=repo, check=True)
    for path in (repo / "reqs").rglob("*.yaml"):
        os.utime(path)
    # a checkout writes the index with the files: git sees them clean
    subprocess.run(["git", "update-index", "-q", "--refresh"], cwd=repo, check=False)


def measure(case: Case, repo: Path, runs: int) -> tuple[float, float]:
    walls, cpus = [], []
    with tempfile.TemporaryDirectory(prefix="reqkit-hbench-") as tmp:
        cache = Path(tmp) / "cache"
        if not case.cold:
            _once(case.argv, repo, cache)  # warm it
        for _ in range(runs):
            if case.cold or case.seed:
                shutil.rmtree(cache, ignore_errors=True)
            if case.seed:
                _as_restored_in_ci(case.seed, repo, cache)
            wall, cpu = _once(case.argv, repo, cache)
            walls.append(wall)
            cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus)


def _floor(repo: Path) -> list[str]:
    """What no cold `check --base` can beat on this machine: the first-parent log it must
    read (both halves at once, as reqkit reads it) beside a cold `check`, and nothing else:
    suspect links are judged over the whole history, so git reads every commit's diff."""
    chain = subprocess.run(
        ["git", "rev-list", "--first-parent", "HEAD"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    middle = chain[len(chain) // 2]
    log = "git log --first-parent -m -M --raw --no-abbrev -z --format=%H --relative=reqs/"
    script = (
        f"{log} HEAD ^{middle} -- >/dev/null & {log} {middle} -- >/dev/null & "
        f"'{REQKIT}' check >/dev/null; wait"
    )
    return ["bash", "-c", script]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reqs", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=5_000)
    parser.add_argument(
        "--editable", action="store_true", help="time this environment's reqkit as it is"
    )
    args = parser.parse_args()
    global REQKIT, PYTHON
    if not args.editable:
        workdir = Path(tempfile.gettempdir()) / "reqkit-bench"
        workdir.mkdir(parents=True, exist_ok=True)
        REQKIT = release_install(workdir)
        PYTHON = REQKIT.parent / "python"
    started = time.perf_counter()
    repo = build(args.reqs, args.commits)
    built = time.perf_counter() - started
    py = [str(PYTHON), "-c", ENGINE]
    cases = [
        Case("history engine, cold", py, 3.0, True),
        Case("history engine, warm", py, 0.3, False),
        Case("diff v1 v2 (md), cold", [str(REQKIT), "diff", "v1", "v2"], 2.0, True),
        Case(
            "diff v1 v2 (json), warm",
            [str(REQKIT), "diff", "v1", "v2", "--format", "json"],
            2.0,
            False,
        ),
        Case("release-notes v1 v2, cold", [str(REQKIT), "release-notes", "v1", "v2"], 2.0, True),
        Case("release-notes v1 v2, warm", [str(REQKIT), "release-notes", "v1", "v2"], 2.0, False),
        Case("check (reference), cold", [str(REQKIT), "check"], 0.0, True),
        Case("check (reference), warm", [str(REQKIT), "check"], 0.0, False),
        Case("floor: the log's git beside a cold check", _floor(repo), 0.0, True),
        Case("check --base main, cold", [str(REQKIT), "check", "--base", "main"], 1.5, True),
        Case("check --base main, warm", [str(REQKIT), "check", "--base", "main"], 1.5, False),
        Case(
            "check --base main, CI with main's cache",
            [str(REQKIT), "check", "--base", "main"],
            1.5,
            False,
            seed=[str(REQKIT), "check", "--base", "main"],
        ),
    ]
    print(f"History benchmark: {args.reqs:,} requirements, {args.commits:,} commits, {repo}")
    print(
        f"(repository ready in {built:.1f} s; median of {args.runs} runs; os.cpu_count()={os.cpu_count()},"
    )
    print(f" load average {os.getloadavg()[0]:.1f} at start)\n")
    print("| case | wall (s) | CPU (s) | target (s) | met |")
    print("|---|---:|---:|---:|---|")
    for case in cases:
        wall, cpu = measure(case, repo, args.runs)
        if case.target:
            met = "yes" if wall <= case.target else "no"
            target = f"{case.target:.1f}"
        else:
            met = target = "–"
        print(f"| {case.name} | {wall:.2f} | {cpu:.2f} | {target} | {met} |", flush=True)
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
