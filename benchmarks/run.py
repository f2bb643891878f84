"""Benchmark runner: wall time and peak memory of `reqkit`, printed as a Markdown table.

Performance targets live here, reported rather than enforced (exit 0 unless
`--fail-on-miss`), never in timed unit tests. Each repository is generated once by
`generate.py` and reused while its marker (count and generator hash) still matches.
Every measurement is a separate child process, forked by a tiny launcher that reaps it
with `os.wait4`: wall time and the peak RSS of that one child (see LAUNCHER for why
not from this process). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import importlib.util
import itertools
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

HERE = Path(__file__).resolve().parent
GENERATOR = HERE / "generate.py"
REQKIT = Path(sys.executable).parent / "reqkit"  # replaced by the release install in main()
SOURCE = HERE.parent
MARKER = ".bench-marker.json"
MiB = 1024 * 1024
T = TypeVar("T")

#: (benchmark, size or None) -> (max median seconds, max peak MiB or None)
TARGETS: dict[tuple[str, int | None], tuple[float, float | None]] = {
    ("reqkit --version", None): (0.15, None),
    ("check cold", 10_000): (1.0, None),
    ("check cold", 100_000): (10.0, 1024.0),
    ("check warm", 10_000): (0.25, None),
}

SUMMARY = re.compile(r"^(\d+) files?, (\d+) requirements?: (\d+) errors?, (\d+) warnings?$")

# Linux charges a child, at exec, with the peak RSS of the process that forked it: read
# from this runner (~20 MiB), every ru_maxrss would have a ~20 MiB floor. So a bare
# interpreter (`-I -S`, ~5 MiB of its own) forks the command, reaps it with os.wait4 and
# writes "wall-seconds ru_maxrss-KiB exit-code cpu-seconds"; its own start-up is not timed.
# The CPU time (user + system) includes the workers the command forks and reaps.
LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
with open(sys.argv[1], "w") as fh:
    cpu = usage.ru_utime + usage.ru_stime
    fh.write(f"{seconds} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)} {cpu}")
"""

BASELINE = """
import sys, yaml
from pathlib import Path
loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
n = 0
for path in sorted(Path("reqs").rglob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=loader)
    n += 1
print(n, loader.__name__)
"""


class BenchError(Exception):
    """A measured command failed: the numbers would mean nothing."""


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_bytes: int
    stdout: str
    cpu_seconds: float = 0.0


@dataclass(frozen=True)
class Row:
    name: str
    size: int | None
    samples: list[Sample]

    def cells(self) -> list[str]:
        times = [s.seconds for s in self.samples]
        peak = max(s.peak_bytes for s in self.samples) / MiB
        target = TARGETS.get((self.name, self.size))
        if target is None:
            target_text, verdict = "—", "—"
        else:
            limit_s, limit_mib = target
            target_text = f"≤ {limit_s:g} s" + (f", ≤ {limit_mib:g} MiB" if limit_mib else "")
            ok = statistics.median(times) <= limit_s and (limit_mib is None or peak <= limit_mib)
            verdict = "ok" if ok else "MISSED"
        return [
            self.name,
            "—" if self.size is None else f"{self.size:,}",
            f"{statistics.median(times):.3f}",
            f"{min(times):.3f}",
            f"{max(times):.3f}",
            f"{statistics.median(s.cpu_seconds for s in self.samples):.3f}",
            f"{peak:.0f}",
            target_text,
            verdict,
        ]

    @property
    def missed(self) -> bool:
        return self.cells()[-1] == "MISSED"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class CodeWatch:
    """Notices edits to reqkit's own sources (shared checkouts, editors, other agents).

    reqkit's cache is keyed by its code, and an edit also means recompiling .pyc files:
    a run that spans one measures something else, so it is repeated after a re-warm.
    """

    def __init__(self) -> None:
        spec = importlib.util.find_spec("reqkit")
        locations = spec.submodule_search_locations if spec else None
        self.package = Path(next(iter(locations))) if locations else None
        self.seen = self.fingerprint()

    def fingerprint(self) -> str:
        if self.package is None:
            return ""
        h = hashlib.sha256()
        for path in sorted(self.package.rglob("*.py")):
            st = path.stat()
            h.update(f"{path}:{st.st_size}:{st.st_mtime_ns};".encode())
        return h.hexdigest()

    def unchanged(self) -> bool:
        now = self.fingerprint()
        same, self.seen = now == self.seen, now
        return same

    def steady(self, run: Callable[[], T], *, rewarm: Callable[[], object]) -> T:
        """`run()`, repeated until reqkit's code did not change since the last call."""
        for _ in range(5):
            result = run()
            if self.unchanged():
                return result
            log("  reqkit's sources changed during the run: re-warming and repeating it")
            rewarm()
            self.unchanged()
        raise BenchError("reqkit's sources keep changing; benchmark on a quiet checkout")


def measure(
    cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Sample:
    """Run `cmd` once under LAUNCHER: wall time and the child's own peak RSS."""
    if env is None:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    fd, result = tempfile.mkstemp(prefix="reqkit-bench-", suffix=".txt")
    os.close(fd)
    try:
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            launcher = [sys.executable, "-I", "-S", "-c", LAUNCHER, result, *cmd]
            subprocess.run(
                launcher, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err
            )
            out.seek(0)
            err.seek(0)
            stdout = out.read().decode("utf-8", "replace")
            stderr = err.read().decode("utf-8", "replace")
        fields = Path(result).read_text(encoding="ascii").split()
    finally:
        os.unlink(result)
    if len(fields) != 4 or fields[2] != "0":
        code = fields[2] if len(fields) == 4 else "? (launcher failed)"
        raise BenchError(
            f"`{' '.join(cmd)}` in {cwd or os.getcwd()} exited {code}\n"
            f"--- stdout (tail) ---\n{stdout[-4000:]}--- stderr ---\n{stderr}"
        )
    return Sample(float(fields[0]), int(fields[1]) * 1024, stdout, float(fields[3]))


def expect_clean(sample: Sample, size: int) -> Sample:
    """The generated repository is valid: the summary must say `size` files, 0 errors."""
    lines = sample.stdout.strip().splitlines()
    match = SUMMARY.match(lines[-1]) if lines else None
    if not match or int(match[1]) != size or int(match[3]) != 0:
        raise BenchError(
            f"expected '{size} files, …: 0 errors, …'; reqkit printed:\n{sample.stdout[-4000:]}"
        )
    return sample


# -- repositories ----------------------------------------------------------------------


def generator_hash() -> str:
    return hashlib.sha256(GENERATOR.read_bytes()).hexdigest()


def repository(workdir: Path, size: int) -> tuple[Path, bool]:
    """The generated repository of `size` files: reused when its marker matches."""
    root = workdir / f"size-{size}"
    wanted = {"count": size, "generator_sha256": generator_hash()}
    marker = root / MARKER
    with contextlib.suppress(OSError, ValueError):
        if json.loads(marker.read_text(encoding="utf-8")) == wanted:
            log(f"reusing {root}")
            return root, False
    if root.exists():
        if not marker.exists() and any(root.iterdir()):
            raise BenchError(f"{root} exists and was not made by this script; remove it")
        shutil.rmtree(root)
    log(f"generating {size:,} requirements in {root} …")
    root.mkdir(parents=True)
    subprocess.run([sys.executable, str(GENERATOR), str(root), "--count", str(size)], check=True)
    marker.write_text(json.dumps(wanted) + "\n", encoding="utf-8")
    return root, True


def touched_file(root: Path) -> Path:
    files = sorted((root / "reqs").rglob("*.yaml"))
    return files[len(files) // 2]


def retitle(path: Path, original: bytes, n: int) -> None:
    """Rewrite in place (same inode) with one changed title; mtime 10 s ago (not racy)."""
    text = original.decode("utf-8")
    new = re.sub(r"^title: (.*)$", rf"title: \1 (touched {n})", text, count=1, flags=re.M)
    if new == text:
        raise BenchError(f"no title line in {path}")
    path.write_bytes(new.encode("utf-8"))
    past = time.time_ns() - 10_000_000_000
    os.utime(path, ns=(past, past))


# -- benchmarks ------------------------------------------------------------------------


def check_env(cache_dir: str) -> dict[str, str]:
    # An installed package has its .pyc files; PYTHONDONTWRITEBYTECODE (set in some shells
    # and sandboxes) would make every run compile reqkit's sources again (~0.1 s here).
    dropped = ("REQKIT_NO_CACHE", "FORCE_COLOR", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(REQKIT_CACHE_DIR=cache_dir, NO_COLOR="1")
    return env


def bench_version(watch: CodeWatch, runs: int) -> list[Row]:
    version = [str(REQKIT), "--version"]
    python = [sys.executable, "-c", "pass"]

    def warm_up() -> None:  # page cache and .pyc files
        measure(version)
        measure(python)

    warm_up()
    watch.unchanged()
    return [
        Row(
            "reqkit --version",
            None,
            [watch.steady(lambda: measure(version), rewarm=warm_up) for _ in range(runs)],
        ),
        Row("baseline: python -c pass", None, [measure(python) for _ in range(runs)]),
    ]


def bench_check(watch: CodeWatch, root: Path, size: int, runs: int) -> list[Row]:
    cmd = [str(REQKIT), "check"]

    def warm_up() -> None:
        """Untimed: fills the OS file cache and compiles reqkit's .pyc files."""
        with tempfile.TemporaryDirectory(prefix="reqkit-bench-cache-") as scratch:
            expect_clean(measure(cmd, cwd=root, env=check_env(scratch)), size)

    def cold_then_warm() -> tuple[Sample, Sample]:
        with tempfile.TemporaryDirectory(prefix="reqkit-bench-cache-") as cache:
            env = check_env(cache)
            cold = expect_clean(measure(cmd, cwd=root, env=env), size)
            return cold, expect_clean(measure(cmd, cwd=root, env=env), size)

    warm_up()
    watch.unchanged()
    pairs = []
    for i in range(runs):
        log(f"  {size:,}: cold + warm run {i + 1}/{runs}")
        pairs.append(watch.steady(cold_then_warm, rewarm=warm_up))

    touched: list[Sample] = []
    path, marker = touched_file(root), root / MARKER
    original, st, saved_marker = path.read_bytes(), path.stat(), marker.read_bytes()
    edits = itertools.count(1)
    # No marker while the tree differs from the generator's: if killed, regenerate next time.
    marker.unlink()
    with tempfile.TemporaryDirectory(prefix="reqkit-bench-cache-") as cache:
        env = check_env(cache)

        def one_edit() -> Sample:  # each time a new title, so one file differs from the cache
            retitle(path, original, next(edits))
            return expect_clean(measure(cmd, cwd=root, env=env), size)

        def refill() -> None:
            expect_clean(measure(cmd, cwd=root, env=env), size)

        try:
            refill()
            watch.unchanged()
            for i in range(runs):
                log(f"  {size:,}: touched run {i + 1}/{runs}")
                touched.append(watch.steady(one_edit, rewarm=refill))
        finally:
            path.write_bytes(original)
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
            marker.write_bytes(saved_marker)

    log(f"  {size:,}: baseline")
    baseline_cmd = [sys.executable, "-c", BASELINE]
    baseline = [measure(baseline_cmd, cwd=root) for _ in range(runs)]
    count, loader = baseline[0].stdout.split()
    if int(count) != size:
        raise BenchError(f"baseline read {count} files, expected {size}")
    return [
        Row("check cold", size, [cold for cold, _ in pairs]),
        Row("check warm", size, [warm for _, warm in pairs]),
        Row("check warm, 1 file touched", size, touched),
        Row(f"baseline: read + yaml.load ({loader})", size, baseline),
    ]


# -- report ----------------------------------------------------------------------------


def machine() -> str:
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    version = measure([str(REQKIT), "--version"]).stdout.strip()
    return (
        f"{version}, Python {platform.python_version()}, {platform.system()} "
        f"{platform.release()}, {cpus} CPUs ({model}), "
        f"{dt.datetime.now().astimezone().isoformat(timespec='seconds')}"
    )


def table(rows: list[Row]) -> str:
    head = [
        "benchmark",
        "size",
        "median s",
        "min s",
        "max s",
        "median CPU s",
        "peak MiB",
        "target",
        "verdict",
    ]
    lines = [
        "| " + " | ".join(head) + " |",
        "|" + "|".join(["---"] * 2 + ["---:"] * 5 + ["---"] * 2) + "|",
    ]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def parse_sizes(text: str) -> list[int]:
    sizes = []
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        sizes.append(int(part[:-1]) * 1000 if part.endswith("k") else int(part))
    if any(n <= 0 for n in sizes):
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


def release_install(workdir: Path) -> Path:
    """`reqkit` installed the way users install it (`pip install .`, not editable), in a
    venv of its own kept under `workdir` while the sources are unchanged.

    An editable install resolves every `reqkit.*` import through setuptools' finder (a
    few ms a start, which a warm check's 0.25 s budget notices) and is not what users run.
    Dependencies come from this interpreter's environment through a `.pth` line, so
    nothing is downloaded but the build backend.
    """
    import sysconfig

    h = hashlib.sha256()
    for path in sorted([SOURCE / "pyproject.toml", *(SOURCE / "reqkit").rglob("*.py")]):
        h.update(path.relative_to(SOURCE).as_posix().encode() + b"\0" + path.read_bytes())
    venv = workdir / f"release-{h.hexdigest()[:12]}"
    script = venv / "bin" / "reqkit"
    if script.exists():
        return script
    day_ago = time.time() - 86_400
    for old in workdir.glob("release-*"):  # a day old: never one a running benchmark uses
        if old.stat().st_mtime < day_ago:
            shutil.rmtree(old, ignore_errors=True)
    log(f"installing reqkit from {SOURCE} into {venv} (pip install ., not editable) …")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", str(SOURCE)],
        check=True,
    )
    site = Path(
        subprocess.run(
            [
                str(venv / "bin" / "python"),
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "zz-bench-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return script


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=[10_000, 100_000],
        help="comma-separated file counts (default: 10000,100000)",
    )
    parser.add_argument(
        "--runs", type=int, help="runs per measurement; median reported (default: 5, 3 for ≥ 100k)"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "reqkit-bench",
        help="where generated repositories are kept and reused (default: %(default)s)",
    )
    parser.add_argument("--only", choices=["check", "version"], help="run only these benchmarks")
    parser.add_argument(
        "--fail-on-miss", action="store_true", help="exit 1 when a target is missed"
    )
    parser.add_argument(
        "--editable",
        action="store_true",
        help="time the reqkit of this environment as it is (e.g. an editable install) "
        "instead of a release install of the sources",
    )
    args = parser.parse_args(argv)
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be at least 1")
    global REQKIT
    if not args.editable:
        args.workdir.mkdir(parents=True, exist_ok=True)
        REQKIT = release_install(args.workdir.resolve())
    if not REQKIT.exists():
        parser.error(f"{REQKIT} not found: install reqkit in this interpreter's environment")

    def runs_for(size: int | None) -> int:
        return args.runs or (3 if size and size >= 100_000 else 5)

    rows: list[Row] = []
    try:
        header = machine()
        watch = CodeWatch()
        if args.only in (None, "version"):
            log("reqkit --version …")
            rows += bench_version(watch, runs_for(None))
        if args.only in (None, "check"):
            for size in args.sizes:
                root, fresh = repository(args.workdir.resolve(), size)
                if fresh:
                    time.sleep(3)  # files younger than 2 s are never trusted by the cache
                log(f"reqkit check on {size:,} files …")
                rows += bench_check(watch, root, size, runs_for(size))
    except BenchError as exc:
        log(f"benchmark aborted: {exc}")
        log(f"(a reused repository may have been edited: delete {args.workdir} to regenerate)")
        return 2

    command = " ".join(["python", "benchmarks/run.py", *(sys.argv[1:] if argv is None else argv)])
    kind = "this environment's install" if args.editable else "a release install (pip install .)"
    print(f"**Machine:** {header}  \n**Command:** `{command}`  \n**reqkit:** {kind}\n")
    print(
        "Each row: median, min and max wall time of separate child processes, median CPU "
        "time (user + system, forked workers included), peak = largest ru_maxrss of any "
        "run. OS file cache warm in all runs (untimed warm-up first, like CI right after "
        "checkout); cold/warm refers to reqkit's own cache. On a busy machine wall times "
        "grow with the load; CPU times much less.\n"
    )
    print(table(rows))
    missed = [row for row in rows if row.missed]
    if missed:
        print(f"\n{len(missed)} target(s) missed (reported, not enforced).")
    return 1 if missed and args.fail_on_miss else 0


if __name__ == "__main__":
    sys.exit(main())
