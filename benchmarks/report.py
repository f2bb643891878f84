"""Benchmark `reqkit report` on a repository with real history; prints a table.

    python benchmarks/report.py                       # 10k requirements, 5,000 commits
    python benchmarks/report.py --reqs 2000 --commits 1000 --runs 3   # a quick smoke run

The repository comes from `history_repo.build` (deterministic, cached under
/tmp/reqkit-bench). Each row runs the installed command's code in a child process, `--runs`
times, and reports the median, min and max wall time and the median CPU time (user + sys
of the child, git included). Targets (issue 6): cold ≤ 3 s, warm ≤ 0.5 s.

- cold: `REQKIT_CACHE_DIR` is a new empty folder (no history, file or pair cache);
- warm: the same folder right after a cold run, nothing changed;
- warm, 1 file touched: one requirement's status edited (uncommitted) before each run.

reqkit's caches are keyed by a fingerprint of its own source files, and other people may
edit the source while this runs; the benchmark therefore runs a release install of the
sources made at start (`pip install .` into a venv of its own, see run.py), which is also
what users run: compiled, without setuptools' editable finder.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from history_repo import build  # noqa: E402
from run import release_install  # noqa: E402

PYTHON = Path(sys.executable)  # the release install's, set in main()

TARGETS = {"cold": 3.0, "warm": 0.5}


def _run(repo: Path, args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one child run; exits 2 when the command fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [
            str(PYTHON),
            "-c",
            "import sys; from reqkit.cli.main import main; sys.exit(main())",
            *args,
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-2000:], sep="\n", file=sys.stderr)
        raise SystemExit(2)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _row(
    name: str,
    runs: int,
    one: Callable[[int], tuple[float, float]],
    target: float | None,
) -> list[str]:
    samples = [one(k) for k in range(runs)]
    walls = [w for w, _ in samples]
    median = statistics.median(walls)
    cpu = statistics.median(c for _, c in samples)
    verdict = "—" if target is None else ("ok" if median <= target else "MISSED")
    shown = "—" if target is None else f"≤ {target:g} s"
    return [
        name,
        f"{median:.2f}",
        f"{min(walls):.2f}",
        f"{max(walls):.2f}",
        f"{cpu:.2f}",
        shown,
        verdict,
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reqs", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--format", default="md", choices=["md", "json", "html"])
    opts = parser.parse_args()
    repo = build(opts.reqs, opts.commits)
    global PYTHON
    bench = Path(tempfile.gettempdir()) / "reqkit-bench"
    bench.mkdir(parents=True, exist_ok=True)
    PYTHON = release_install(bench).parent / "python"
    work = Path(tempfile.mkdtemp(prefix="reqkit-report-bench-"))
    env = {**os.environ, "NO_COLOR": "1"}
    for name in ("REQKIT_NO_CACHE", "PYTHONDONTWRITEBYTECODE", "PYTHONPATH"):
        env.pop(name, None)
    args = ["report", "--format", opts.format, "-o", str(work / f"out.{opts.format}")]
    touched = next((repo / "reqs").rglob("*.yaml"))
    original = touched.read_bytes()

    def cold(k: int) -> tuple[float, float]:
        return _run(repo, args, {**env, "REQKIT_CACHE_DIR": str(work / f"cold-{k}")})

    warm_dir = {**env, "REQKIT_CACHE_DIR": str(work / "warm")}
    _run(repo, args, warm_dir)  # fills the warm cache (and the OS file cache)

    def warm(k: int) -> tuple[float, float]:
        return _run(repo, args, warm_dir)

    def one_touched(k: int) -> tuple[float, float]:
        text = original.decode().replace("title: ", f"title: (edit {k}) ", 1)
        touched.write_text(text, encoding="utf-8")
        past = time.time() - 10
        os.utime(touched, (past, past))
        try:
            return _run(repo, args, warm_dir)
        finally:
            touched.write_bytes(original)

    rows = [
        _row("report cold", opts.runs, cold, TARGETS["cold"]),
        _row("report warm", opts.runs, warm, TARGETS["warm"]),
        _row("report warm, 1 file edited", opts.runs, one_touched, None),
    ]
    head = ["row", "median s", "min s", "max s", "cpu s", "target", "verdict"]
    print(
        f"reqkit report --format {opts.format}: {opts.reqs} requirements, {opts.commits} commits;"
        f" {os.cpu_count()} CPUs, Python {platform.python_version()},"
        f" {time.strftime('%Y-%m-%d %H:%M')}, load {os.getloadavg()[0]:.1f}"
    )
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
