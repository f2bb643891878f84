"""Authoring and interchange timings on a generated repository: a Markdown table.

    python benchmarks/interchange.py [--size 10000] [--runs 3]

Uses the repository `generate.py` builds (cached under /tmp/reqkit-bench), copied into a
temporary Git repository with one commit, so `new` reads branches as it would in use.
Wall and CPU time (user + system of the child) are medians over the runs. Reported,
not enforced.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQKIT = str(Path(sys.executable).parent / "reqkit")
ENV = {
    **os.environ,
    "NO_COLOR": "1",
    "GIT_AUTHOR_NAME": "b",
    "GIT_AUTHOR_EMAIL": "b@example.com",
    "GIT_COMMITTER_NAME": "b",
    "GIT_COMMITTER_EMAIL": "b@example.com",
}


def _repo(size: int) -> Path:
    cached = Path("/tmp/reqkit-bench") / f"size-{size}"
    if not (cached / "reqs").is_dir():
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), "--help"], check=False, capture_output=True
        )
        raise SystemExit(f"generate the {size} repository first (benchmarks/run.py does)")
    return cached


def _timed(args: list[str], cwd: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=ENV, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr.decode()[-300:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        shutil.copytree(_repo(opts.size), repo)
        for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "bench"]):
            subprocess.run(cmd, cwd=repo, env=ENV, check=True)
        first = next(iter(sorted((repo / "reqs").rglob("*.yaml"))))
        rid = first.stem
        out = Path(tmp)
        cases: list[tuple[str, list[str], Path]] = [
            ("new", [REQKIT, "new", "--title", "Bench", "--type", "functional"], repo),
            ("set (in-memory check of the tree)", [REQKIT, "set", rid, "owner=bench"], repo),
            ("fmt --check", [REQKIT, "fmt", "--check"], repo),
        ]
        for fmt in ("csv", "xlsx", "json", "reqif"):
            cases.append(
                (
                    f"export {fmt}",
                    [REQKIT, "export", "--format", fmt, "-o", str(out / f"all.{fmt}")],
                    repo,
                )
            )
        rows = []
        for name, args, cwd in cases:
            samples = [_timed(args, cwd) for _ in range(opts.runs)]
            rows.append(
                (
                    name,
                    statistics.median(s[0] for s in samples),
                    statistics.median(s[1] for s in samples),
                )
            )
        for fmt in ("csv", "xlsx", "json", "reqif"):
            samples = []
            for i in range(opts.runs):
                target = Path(tmp) / f"in-{fmt}-{i}"
                shutil.copy(repo / "reqkit.toml", (target.mkdir(), target / "reqkit.toml")[1])
                (target / "reqs").mkdir()
                samples.append(_timed([REQKIT, "import", str(out / f"all.{fmt}")], target))
            rows.append(
                (
                    f"import {fmt}",
                    statistics.median(s[0] for s in samples),
                    statistics.median(s[1] for s in samples),
                )
            )
    print(f"| {opts.size} requirements | wall s | CPU s |")
    print("|---|---:|---:|")
    for name, wall, cpu in rows:
        print(f"| {name} | {wall:.2f} | {cpu:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
