"""The Action keeps reqkit's cache between CI runs (actions/cache under `runner.temp`), and
this repository's workflow seeds it from main. The steps' bash is run the way a runner
runs it, with the `GITHUB_*` variables it sets and the real `reqkit`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml
from history_repo import GitRepo, requirement

ROOT = Path(__file__).resolve().parents[2]
REQKIT = shutil.which("reqkit") or str(Path(sys.executable).parent / "reqkit")
PACKAGE = ROOT / "reqkit"
CACHE_PATH = "${{ runner.temp }}/reqkit-cache"
CACHE_DIR = "${{ steps.cache-dir.outputs.dir }}"


def _action() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def _steps() -> list[dict[str, Any]]:
    return list(_action()["runs"]["steps"])


def _step(name: str) -> dict[str, Any]:
    return next(s for s in _steps() if name in (s.get("id"), s.get("name")))


def _bash(
    script: str, cwd: Path, env: dict[str, str], *, pythonpath: Path | None = None
) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GITHUB_", "REQKIT", "RUNNER_", "PYTHON"))
    }
    path = f"{Path(REQKIT).parent}{os.pathsep}{base.get('PATH', '')}"
    extra = {"PYTHONPATH": str(pythonpath)} if pythonpath else {}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env={**base, "PATH": path, "NO_COLOR": "1", **extra, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _outputs(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def _install(site: Path) -> Path:
    """reqkit's package copied into `site` the way pip installs it: every module gets a new
    mtime."""
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(
        PACKAGE,
        site / "reqkit",
        copy_function=shutil.copy,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    where = "import importlib.util as u; print(u.find_spec('reqkit').origin)"
    found = _bash(f'"{sys.executable}" -c "{where}"', site, {}, pythonpath=site)
    assert found.stdout.strip() == str(site / "reqkit" / "__init__.py"), found  # the copy
    return site


def _prepare(runner_temp: Path, tmp: Path) -> str:
    """Run the Action's "Prepare reqkit's cache" step; the folder it gives the check."""
    step = _step("cache-dir")
    output = tmp / "prepare-output.txt"
    output.write_text("")
    env = {
        # the step's env as written, with runner.temp put in
        "REQKIT_CACHE_ROOT": step["env"]["REQKIT_CACHE_ROOT"].replace(
            "${{ runner.temp }}", str(runner_temp)
        ),
        "GITHUB_OUTPUT": str(output),
    }
    done = _bash(step["run"], tmp, env)
    assert done.returncode == 0, done.stderr
    return _outputs(output)["dir"]


def _fingerprints(site: Path, tmp: Path) -> str:
    """The keys reqkit puts into its cache names, as the code in `site` computes them."""
    probe = (
        "from reqkit.loader.cache import code_fingerprint; from reqkit.git.store import "
        "_fingerprint; print(code_fingerprint(), _fingerprint())"
    )
    env = {"REQKIT_CACHE_DIR": str(tmp / "fingerprint-cache")}
    done = _bash(f'"{sys.executable}" -c "{probe}"', tmp, env, pythonpath=site)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_action_restores_and_saves_the_cache_under_runner_temp() -> None:
    action = _action()
    assert action["inputs"]["cache"]["default"] == "true"
    steps = _steps()
    cache = next(s for s in steps if str(s.get("uses", "")).startswith("actions/cache@"))
    # pinned like the file's other actions: a major version tag
    assert all(re.fullmatch(r"actions/[a-z-]+@v\d+", s["uses"]) for s in steps if "uses" in s)
    assert cache["if"] == "${{ inputs.cache == 'true' }}"
    assert cache["with"] == {
        "path": CACHE_PATH,
        "key": "reqkit-${{ runner.os }}-${{ github.sha }}",
        "restore-keys": "reqkit-${{ runner.os }}-",
    }
    prepare = _step("cache-dir")
    assert prepare["if"] == cache["if"]
    assert prepare["env"] == {"REQKIT_CACHE_ROOT": CACHE_PATH}
    # restored after the install and before reqkit runs; the folder prepared in between
    order = [s.get("id") or s.get("name") for s in steps]
    assert order.index("install") < order.index(cache["name"]) < order.index("cache-dir")
    assert order.index("cache-dir") < order.index("check") < order.index("diff")


def test_check_and_diff_get_the_cache_dir_only_through_env(monkeypatch: Any) -> None:
    for name in ("check", "diff"):
        step = _step(name)
        assert step["env"]["REQKIT_CACHE_DIR"] == CACHE_DIR
    # no step of the Action writes an expression into its script
    for step in _steps():
        assert "${{" not in step.get("run", ""), step.get("name")
    # `cache: false` skips the preparing step, so its output, and the variable, are empty:
    # reqkit's default cache folder (an empty REQKIT_CACHE_DIR is ignored)
    from reqkit.loader.cachedir import cache_folder

    monkeypatch.delenv("REQKIT_CACHE_DIR", raising=False)
    default = cache_folder()
    monkeypatch.setenv("REQKIT_CACHE_DIR", "")
    assert cache_folder() == default


def test_cache_keys_survive_a_reinstall_and_change_with_the_code(tmp_path: Path) -> None:
    """pip dates every file at install time: reqkit keys its caches on its code's content,
    so a CI run's new install finds the cache an earlier run saved."""
    site = tmp_path / "venv" / "site-packages"
    keys = _fingerprints(_install(site), tmp_path)
    for path in (site / "reqkit").rglob("*.py"):
        os.utime(path, (1_000_000_000, 1_000_000_000))  # another install, other times
    assert _fingerprints(site, tmp_path) == keys
    assert _fingerprints(_install(site), tmp_path) == keys
    with open(site / "reqkit" / "git" / "log.py", "a", encoding="utf-8") as fh:
        fh.write("# other code\n")
    changed = _fingerprints(site, tmp_path).split()
    assert all(new != old for new, old in zip(changed, keys.split(), strict=True))


def test_prepare_step_drops_files_no_run_rewrote_for_a_month(tmp_path: Path) -> None:
    runner_temp = tmp_path / "runner-temp"
    root = runner_temp / "reqkit-cache"
    root.mkdir(parents=True)
    old, recent = root / "history-old-key.bin", root / "log-current-key.bin"
    old.write_bytes(b"old")
    recent.write_bytes(b"recent")
    month_ago = time.time() - 31 * 86400
    os.utime(old, (month_ago, month_ago))
    assert _prepare(runner_temp, tmp_path) == str(root)
    assert sorted(p.name for p in root.iterdir()) == [recent.name]


def test_check_step_twice_with_the_action_cache_dir(
    git_repo: Callable[..., GitRepo], tmp_path: Path
) -> None:
    repo = git_repo()
    repo.commit("start", {"reqs/R-1.yaml": requirement("R-1")})
    repo.commit("more", {"reqs/R-2.yaml": requirement("R-2")})
    repo.git("checkout", "-q", "-b", "pr")
    repo.commit("review R-1 (#2)", {"reqs/R-1.yaml": requirement("R-1", status="review")})
    step = _step("check")
    runner_temp = tmp_path / "runner-temp"
    site = tmp_path / "venv" / "site-packages"

    def run(n: int) -> tuple[subprocess.CompletedProcess[str], str, str, dict[str, Any]]:
        _install(site)  # each run installs reqkit anew: new mtimes, the same code
        cache_dir = _prepare(runner_temp, tmp_path)
        summary, counts = tmp_path / f"summary-{n}.md", tmp_path / f"output-{n}.txt"
        summary.write_text("")
        counts.write_text("")
        env = {
            "REQKIT": REQKIT,
            "REQKIT_PATHS": "",
            "REQKIT_ARGS": "--base main",
            "REQKIT_FORMAT": "github",
            "REQKIT_STRICT": "false",
            "REQKIT_CACHE_DIR": cache_dir,
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_OUTPUT": str(counts),
        }
        done = _bash(step["run"], repo.path, env, pythonpath=site)
        assert done.returncode == 0, done.stdout + done.stderr
        files = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in Path(cache_dir).iterdir()}
        return done, summary.read_text(), counts.read_text(), files

    first, summary, counts, files = run(1)
    # reqkit's cache files are in the folder the Action saves: the log `--base` read, and
    # the per-file check results
    assert any(f.startswith("log-") for f in files), files
    assert any(f.startswith("check-") for f in files), files
    assert "errors=0" in counts
    second, summary2, counts2, files2 = run(2)
    assert (second.stdout, second.stderr) == (first.stdout, first.stderr)
    assert (summary2, counts2) == (summary, counts)
    # the second run, after a new install, found the first run's keys: it may add a kind of
    # cache (blob summaries), but no file under a new key
    assert set(files) <= set(files2), (files, files2)
    # (a `code-` file remembers which code an install's module stats stand for: one each)

    def keys(names: dict[str, Any]) -> set[str]:
        return {f.split("-", 1)[1] for f in names if not f.startswith("code-")}

    assert keys(files2) == keys(files), files2
    # and answered from the cache: the log of the same tip was read, not written anew
    (log,) = (f for f in files if f.startswith("log-"))
    assert files2[log] == files[log]


def _with_values(event: dict[str, str]) -> dict[str, str]:
    """The workflow's `with:` of the reqkit step, its expressions evaluated for `event`.

    GitHub's `&&`/`||` return an operand, like Python's `and`/`or`; `format` is
    str.format; an absent context value is ''."""
    spec = yaml.safe_load((ROOT / ".github/workflows/requirements.yml").read_text("utf-8"))
    (job,) = spec["jobs"].values()
    step = next(s for s in job["steps"] if s.get("uses") == "./")
    github = SimpleNamespace(**{"base_ref": "", "ref_name": "", **event})

    def evaluate(match: re.Match[str]) -> str:
        code = match.group(1).replace("&&", " and ").replace("||", " or ")
        code = re.sub(r"\bformat\(", "fmt(", code)
        names = {"github": github, "fmt": lambda f, *a: f.format(*a)}
        return str(eval(code, {"__builtins__": {}}, names))

    return {k: re.sub(r"\$\{\{(.*?)\}\}", evaluate, str(v)) for k, v in step["with"].items()}


def test_workflow_runs_on_push_to_main_and_checks_main_against_itself() -> None:
    spec = yaml.safe_load((ROOT / ".github/workflows/requirements.yml").read_text("utf-8"))
    on = spec.get("on", spec.get(True))  # YAML 1.1 reads the key `on` as true
    assert on["push"]["branches"] == ["main"]
    assert on["push"]["paths"] == on["pull_request"]["paths"]
    assert spec["permissions"] == {"contents": "read"}
    # runs on main are never cancelled, so each saves main's cache
    assert spec["concurrency"]["cancel-in-progress"] == (
        "${{ github.event_name == 'pull_request' }}"
    )
    push = _with_values({"event_name": "push", "ref_name": "main"})
    assert push == {"args": "--base origin/main", "diff-base": ""}
    pr = _with_values(
        {"event_name": "pull_request", "base_ref": "release/1.x", "ref_name": "42/merge"}
    )
    assert pr == {"args": "--base origin/release/1.x", "diff-base": "origin/release/1.x"}


def test_an_install_is_keyed_by_its_record_without_hashing_a_module(tmp_path: Path) -> None:
    """pip's RECORD holds every module's sha256: an installed reqkit keys its caches on it
    (one small file read) and writes no memo of hashed modules."""
    import base64
    import hashlib

    from reqkit._version import __version__

    site = _install(tmp_path / "venv" / "site-packages")
    dist = site / f"git_reqkit-{__version__}.dist-info"
    dist.mkdir()
    lines = ["../../../bin/reqkit,sha256=AAAA,10"]  # outside the package: not part of the key
    for path in sorted((site / "reqkit").rglob("*.py")):
        digest = base64.urlsafe_b64encode(hashlib.sha256(path.read_bytes()).digest())
        rel = path.relative_to(site).as_posix()
        lines += [f"{rel},sha256={digest.rstrip(b'=').decode()},{path.stat().st_size}"]
    lines += [f"{dist.name}/RECORD,,"]
    (dist / "RECORD").write_text("\n".join(lines) + "\n", encoding="utf-8")
    keys = _fingerprints(site, tmp_path)
    assert not (tmp_path / "fingerprint-cache").exists()  # nothing hashed, nothing kept
    for path in (site / "reqkit").rglob("*.py"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    assert _fingerprints(site, tmp_path) == keys
    record = (dist / "RECORD").read_text(encoding="utf-8")
    (dist / "RECORD").write_text(record.replace("AAAA", "BBBB"), encoding="utf-8")
    assert _fingerprints(site, tmp_path) == keys  # the launcher script is not reqkit's code
    changed = record.replace("reqkit/git/log.py,sha256=", "reqkit/git/log.py,sha256=x")
    (dist / "RECORD").write_text(changed, encoding="utf-8")
    assert all(
        new != old
        for new, old in zip(_fingerprints(site, tmp_path).split(), keys.split(), strict=True)
    )
    other = record.replace("reqkit/site/", "reqkit/site/x")  # outside git/ and loader/
    (dist / "RECORD").write_text(other, encoding="utf-8")
    code, history = _fingerprints(site, tmp_path).split()
    assert code != keys.split()[0] and history == keys.split()[1]
