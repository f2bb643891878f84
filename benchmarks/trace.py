"""Benchmark `reqkit trace`: 10k requirements, 30k test cases in JUnit XML, 5k source files.

    .venv/bin/python benchmarks/trace.py [--runs 3] [--count 10000]

Builds (once, cached under /tmp/reqkit-bench/trace-N) a Git repository from
`generate.py`'s requirements, each given `verified_by` entries; a pytest-style JUnit file
with three cases per requirement (two named by `verified_by`, one by a `requirement`
property, some failing or skipped); and 5,000 tracked source files, one in ten with an
`Implements:` comment. Then times the installed command, cold (empty cache dir) and warm,
and prints Markdown tables: median wall and CPU seconds against the 3 s target (with the
load average: the machine may be shared), then CPU per stage.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQKIT = Path(sys.executable).parent / "reqkit"  # replaced in main() by the release install
TARGET = 3.0
VERSION = "1"  # bump when the generated repository changes


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("generate", HERE / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.invalid",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.invalid",
        "GIT_AUTHOR_DATE": "2024-05-06T10:00:00+00:00",
        "GIT_COMMITTER_DATE": "2024-05-06T10:00:00+00:00",
    }
    subprocess.run(["git", *args], cwd=repo, check=True, env=env, stdout=subprocess.DEVNULL)


def build(root: Path, count: int, sources: int) -> None:
    """The repository, the JUnit file and the sources; deterministic."""
    rng = random.Random(11)
    _generator().generate(root, count)
    paths = sorted((root / "reqs").rglob("*.yaml"))
    cases: list[str] = []
    ids: list[str] = []
    for n, path in enumerate(paths):
        rid = path.stem
        ids.append(rid)
        module = f"tests/{path.parent.name}/test_{n // 50:04d}.py"
        names = [f"test_{rid.replace('-', '_')}_{k}" for k in range(3)]
        with path.open("a", encoding="utf-8") as fh:
            fh.write("verified_by:\n")
            fh.write("".join(f"  - {module}::{name}\n" for name in names[:2]))
        classname = module[:-3].replace("/", ".")
        for k, name in enumerate(names):
            roll = rng.random()
            body = ""
            if roll < 0.03:
                body = '<failure message="assert 1 == 2">trace</failure>'
            elif roll < 0.05:
                body = '<skipped type="pytest.skip" message="later"/>'
            if k == 2:
                body = (
                    f'<properties><property name="requirement" value="{rid}"/></properties>{body}'
                )
            cases.append(
                f'<testcase classname="{classname}" name="{name}" time="0.001">{body}</testcase>'
            )
    (root / "junit.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">'
        + "\n".join(cases)
        + "</testsuite></testsuites>\n",
        encoding="utf-8",
    )
    for n in range(sources):
        folder = root / "src" / f"pkg{n % 50:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        body = [f"def function_{n}_{k}(x):\n    return x + {k}\n" for k in range(20)]
        if n % 10 == 0:
            body.insert(0, f"# Implements: {ids[n % len(ids)]}, {ids[(n * 7) % len(ids)]}\n")
        (folder / f"module_{n:05d}.py").write_text("\n".join(body), encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "benchmark repository")


def prepare(count: int, sources: int) -> Path:
    root = Path(tempfile.gettempdir()) / "reqkit-bench" / f"trace-{count}"
    marker = root / ".bench-trace-marker"
    if marker.is_file() and marker.read_text() == f"{VERSION} {count} {sources}":
        return root
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    print(f"generating {root} ...", file=sys.stderr)
    build(root, count, sources)
    marker.write_text(f"{VERSION} {count} {sources}")
    return root


def timed(root: Path, args: list[str], cache: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of the installed command, children included."""
    env = {**os.environ, "NO_COLOR": "1", "REQKIT_CACHE_DIR": str(cache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package runs from .pyc files
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([str(REQKIT), *args], cwd=root, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"reqkit {' '.join(args)} exited {done.returncode}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


PHASES = """
import gc, json, sys, time
gc.disable()  # as trace() runs: see reqkit.loader.bulk
from pathlib import Path
from reqkit.api import tracing as T
from reqkit.config import load_config
from reqkit.checks.context import effective_severities
from reqkit.outputs.trace import RENDERERS
from reqkit.tracing.coverage import judge
from reqkit.tracing.junit import read_junit
from reqkit.tracing.matrix import build_rows
c = load_config(Path("."))
out = {}
def phase(name, fn):
    start = time.process_time()
    value = fn()
    out[name] = time.process_time() - start
    return value
reading = phase("find files, ask the cache (empty)", lambda: T._plan(c, cache=False))
read = phase("parse requirements, cold (shared by the cores)",
             lambda: [d for ch in reading.chunks() for d in reading.read(ch)])
reqs = phase("build the set", lambda: reading.finish(read))
cases = phase("read JUnit XML", lambda: read_junit("junit.xml"))
refs = phase("search code", lambda: T._code_refs(c, ["src"], T.boundary_of(c)))
last = phase("last change (git log)", lambda: T._by_id(T._changed_last(c), reqs))
rows, unknown = phase("match and build rows", lambda: build_rows(reqs, cases, refs, last_changes=last))
phase("coverage rules", lambda: judge(rows, unknown, reqs, c, has_tests=True, has_code=True,
      severities=effective_severities(c), config_path="reqkit.toml"))
matrix = T.trace(Path("."), tests=["junit.xml"], code=["src"], cache=False)
phase("render JSON", lambda: RENDERERS["json"](matrix))
print(json.dumps(out))
"""


def phases(root: Path) -> dict[str, float]:
    """CPU seconds of each stage, measured in one process (for where the time goes)."""
    import json

    done = subprocess.run(
        [sys.executable, "-c", PHASES], cwd=root, capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--sources", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--editable", action="store_true", help="time this environment's reqkit as it is"
    )
    args = parser.parse_args()
    global REQKIT
    if not args.editable:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from run import release_install

        workdir = Path(tempfile.gettempdir()) / "reqkit-bench"
        workdir.mkdir(parents=True, exist_ok=True)
        REQKIT = release_install(workdir)
    root = prepare(args.count, args.sources)
    command = ["trace", "--tests", "junit.xml", "--code", "src", "--format", "json"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        timed(root, command, Path(tmp) / "first")  # warm the OS file cache, as CI after checkout
        for label, fresh in (("cold (no reqkit cache)", True), ("warm", False)):
            samples = []
            for i in range(args.runs):
                cache = Path(tmp) / (f"cold-{i}" if fresh else "warm")
                if not fresh and i == 0:
                    timed(root, command, cache)  # fill the cache
                samples.append(timed(root, command, cache))
            rows.append((label, *(statistics.median(s[k] for s in samples) for k in (0, 1))))
    load = os.getloadavg()[0]
    print(
        f"| `reqkit trace`, {args.count} reqs, {3 * args.count} test cases, "
        f"{args.sources} files (median of {args.runs}; load average {load:.1f}, "
        f"{os.cpu_count()} cores) | wall s | CPU s | target |"
    )
    print("|---|---:|---:|---:|")
    for label, wall, cpu in rows:
        verdict = "" if wall <= TARGET else " (missed)"
        print(f"| {label} | {wall:.2f} | {cpu:.2f} | ≤ {TARGET:.1f}{verdict} |")
    print()
    print("| stage | CPU s |")
    print("|---|---:|")
    for name, seconds in phases(root).items():
        print(f"| {name} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
