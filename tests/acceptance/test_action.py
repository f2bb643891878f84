"""The composite GitHub Action (`action.yml`), run step by step as a runner would.

A small runner below reads action.yml, evaluates the few `${{ }}` expressions the Action
uses (inputs, step outputs; anything else fails the test, so the Action stays simple),
and runs each `run:` step with bash the way GitHub does (`bash --noprofile --norc -eo
pipefail`), with the variables a runner sets: a fresh `GITHUB_OUTPUT` per step,
`GITHUB_STEP_SUMMARY`, `GITHUB_ACTION_PATH`, `RUNNER_TEMP`. Inputs reach the scripts
only through the step's `env:`, as on GitHub.

Offline, the `uses:` steps (actions/setup-python, actions/cache) and the install step are
stood in for: the install step's output points at the installed `reqkit` of this
environment, and no cache is restored. With REQKIT_TEST_NETWORK=1, the install step runs
for real (it creates a virtual environment and installs git-reqkit from this checkout,
which needs PyPI for the dependencies). An `if:` of the form `inputs.NAME == 'VALUE'` is
evaluated; any other `if:` is taken as true.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from checkout import snapshot

ROOT = Path(__file__).resolve().parents[2]
ACTION = ROOT / "action.yml"
REQKIT = shutil.which("reqkit") or str(Path(sys.executable).parent / "reqkit")
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
NETWORK = os.environ.get("REQKIT_TEST_NETWORK") == "1"

MakeRepo = Callable[..., Path]

GOOD = """\
id: REQ-{n:03}
title: Batch export on the report page
type: functional
status: analysis
description: When the user presses Export, the system shall download one .zip file within 5 s.
"""


def good(n: int) -> str:
    return GOOD.format(n=n)


def action() -> dict[str, Any]:
    loaded = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


# ---- the runner -------------------------------------------------------------------------


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    outputs: dict[str, str]  # the Action's outputs
    steps: dict[str, dict[str, str]]  # each step's outputs, by id
    summary: str
    ran: list[str] = field(default_factory=list)  # ids of the steps that ran


def _read_outputs(path: Path) -> dict[str, str]:
    """`name=value` lines and `name<<DELIMITER` blocks, as the runner reads them."""
    out: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, i + 1)
            out[name] = "\n".join(lines[i + 1 : end])
            i = end + 1
            continue
        if line:
            name, value = line.split("=", 1)
            out[name] = value
        i += 1
    return out


class Runner:
    def __init__(
        self,
        tmp: Path,
        inputs: dict[str, str],
        *,
        real_install: bool = False,
        action_path: Path = ROOT,
        python_path: str = sys.executable,
    ) -> None:
        spec = action()
        unknown = set(inputs) - set(spec["inputs"])
        assert not unknown, f"not inputs of the Action: {unknown}"
        self.spec = spec
        self.inputs = {k: str(v.get("default", "")) for k, v in spec["inputs"].items()}
        self.inputs.update(inputs)
        self.tmp = tmp
        self.real_install = real_install
        self.action_path = action_path
        self.python_path = python_path
        self.steps: dict[str, dict[str, str]] = {}

    def evaluate(self, text: str) -> str:
        def one(m: re.Match[str]) -> str:
            expr = m.group(1)
            if expr.startswith("inputs."):
                return self.inputs[expr.removeprefix("inputs.")]
            if expr == "runner.temp":
                return str(self.tmp / "runner_temp")
            found = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
            if found:
                return self.steps.get(found.group(1), {}).get(found.group(2), "")
            raise AssertionError(f"the test runner does not know the expression {expr!r}")

        return EXPRESSION.sub(one, text)

    def _stand_in(self, step: dict[str, Any]) -> dict[str, str] | None:
        """Outputs for a step not run offline, or None to run it."""
        if str(step.get("uses", "")).startswith("actions/cache@"):
            return {"cache-hit": "false"}  # offline: nothing restored, nothing saved
        if "uses" in step:
            assert step["uses"].startswith("actions/setup-python@"), step["uses"]
            return {"python-path": self.python_path, "python-version": "3"}
        if step.get("id") == "install" and not self.real_install:
            return {"reqkit": REQKIT}
        return None

    def run(self, workspace: Path, env: dict[str, str] | None = None) -> Run:
        summary = self.tmp / "step_summary.md"
        summary.write_text("", encoding="utf-8")
        runner_temp = self.tmp / "runner_temp"
        runner_temp.mkdir(exist_ok=True)
        stdout, stderr, ran = "", "", []
        returncode = 0
        for index, step in enumerate(self.spec["runs"]["steps"]):
            sid = step.get("id", f"step{index}")
            condition = re.fullmatch(
                r"\$\{\{\s*inputs\.([\w-]+) == '([^']*)'\s*\}\}", str(step.get("if", ""))
            )
            if condition and self.inputs[condition.group(1)] != condition.group(2):
                continue  # skipped, so its outputs are empty
            stood_in = self._stand_in(step)
            if stood_in is not None:
                self.steps[sid] = stood_in
                continue
            assert step.get("shell") == "bash", "every run step says `shell: bash`"
            output = self.tmp / f"output_{sid}"
            output.write_text("", encoding="utf-8")
            script = self.tmp / f"{sid}.sh"
            script.write_text(step["run"], encoding="utf-8")
            base = {
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("GITHUB_", "REQKIT_", "INPUT_"))
            }
            step_env = {
                **base,
                "CI": "true",
                "GITHUB_ACTIONS": "true",
                "GITHUB_WORKSPACE": str(workspace),
                "GITHUB_ACTION_PATH": str(self.action_path),
                "GITHUB_OUTPUT": str(output),
                "GITHUB_STEP_SUMMARY": str(summary),
                "RUNNER_TEMP": str(runner_temp),
                "REQKIT_CACHE_DIR": str(self.tmp / "reqkit-cache"),
                "NO_COLOR": "1",
                **(env or {}),
                **{k: self.evaluate(str(v)) for k, v in (step.get("env") or {}).items()},
            }
            cwd = workspace / self.evaluate(step.get("working-directory", "."))
            proc = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                cwd=cwd,
                env=step_env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert "Traceback" not in proc.stderr, proc.stderr
            ran.append(sid)
            stdout += proc.stdout
            stderr += proc.stderr
            self.steps[sid] = _read_outputs(output)
            if proc.returncode != 0:
                returncode = proc.returncode
                break
        outputs = {k: self.evaluate(v["value"]) for k, v in self.spec["outputs"].items()}
        return Run(
            returncode,
            stdout,
            stderr,
            outputs,
            self.steps,
            summary.read_text(encoding="utf-8"),
            ran,
        )


def run_action(tmp: Path, workspace: Path, *, real_install: bool = False, **inputs: str) -> Run:
    action_path = snapshot(tmp / "action") if real_install else ROOT
    return Runner(tmp, inputs, real_install=real_install, action_path=action_path).run(workspace)


# ---- the definition ---------------------------------------------------------------------


def test_action_is_composite_with_documented_inputs_and_outputs() -> None:
    spec = action()
    assert spec["runs"]["using"] == "composite"
    assert set(spec["inputs"]) == {
        "version",
        "paths",
        "args",
        "format",
        "strict",
        "working-directory",
        "python-version",
        "diff-base",
        "cache",
    }
    assert spec["inputs"]["cache"]["default"] == "true"
    assert spec["inputs"]["format"]["default"] == "github"
    assert spec["inputs"]["strict"]["default"] == "false"
    assert spec["inputs"]["version"]["default"] == ""
    assert set(spec["outputs"]) == {"errors", "warnings"}
    for item in [*spec["inputs"].values(), *spec["outputs"].values()]:
        assert item["description"].strip()


def test_no_expression_is_interpolated_into_a_script() -> None:
    """Template injection: inputs reach `run:` only through environment variables."""
    for step in action()["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], step.get("name")


def test_only_first_party_actions_pinned_by_tag() -> None:
    uses = [s["uses"] for s in action()["runs"]["steps"] if "uses" in s]
    assert uses
    for ref in uses:
        assert re.fullmatch(r"(actions|github)/[\w.-]+(/[\w.-]+)*@v\d+", ref), ref


def test_install_step_installs_git_reqkit_never_reqkit() -> None:
    scripts = "\n".join(s.get("run", "") for s in action()["runs"]["steps"])
    assert "git-reqkit" in scripts
    assert not re.search(r"install[^\n]*\sreqkit(\s|$|[=<>\"])", scripts)


def test_the_documented_usage_names_the_action_consistently() -> None:
    from reqkit.edit.scaffold import ACTION as SCAFFOLD_ACTION

    owner_repo = SCAFFOLD_ACTION.split("@")[0]
    assert f"uses: {SCAFFOLD_ACTION}" in ACTION.read_text(encoding="utf-8")
    recipes = (ROOT / "docs" / "ci-recipes.md").read_text(encoding="utf-8")
    assert f"uses: {SCAFFOLD_ACTION}" in recipes
    assert owner_repo == "reqkit/reqkit"


# ---- running it -------------------------------------------------------------------------


@pytest.fixture
def clean(tmp_path: Path, make: MakeRepo) -> Path:
    return make(
        tmp_path / "repo",
        {f"reqs/REQ-{n:03}.yaml": good(n) for n in range(1, 4)},
        'ids = ["REQ-{seq:03}"]\n',
    )


BAD = {
    "reqs/REQ-001.yaml": good(1).replace("status: analysis", "status: reviw"),
    "reqs/REQ-002.yaml": good(2) + "links:\n  parent: [REQ-099]\n",
    "reqs/REQ-003.yaml": good(3).replace("within 5 s", "quickly"),
}


@pytest.fixture
def bad(tmp_path: Path, make: MakeRepo) -> Path:
    return make(tmp_path / "repo", BAD, 'ids = ["REQ-{seq:03}"]\n')


def test_clean_repository_passes_with_zero_counts_and_a_summary(
    tmp_path: Path, clean: Path
) -> None:
    result = run_action(tmp_path, clean)
    assert result.returncode == 0, result.stderr
    # cache-dir: the folder of reqkit's cache, kept between runs; diff: a no-op without `diff-base`
    assert result.ran == ["cache-dir", "check", "diff"]
    assert result.outputs == {"errors": "0", "warnings": "0"}
    assert "::error" not in result.stdout and "::warning" not in result.stdout
    assert result.summary.startswith("### reqkit check: ✅ passed\n")
    assert "3 files, 3 requirements: 0 errors, 0 warnings" in result.summary
    assert "|" not in result.summary  # no table without problems


def test_cache_input_false_skips_the_cache_steps(tmp_path: Path, clean: Path) -> None:
    result = run_action(tmp_path, clean, cache="false")
    assert result.returncode == 0, result.stderr
    assert result.ran == ["check", "diff"]  # no cache step: reqkit's default cache folder
    cached = run_action(tmp_path, clean)
    assert cached.ran == ["cache-dir", "check", "diff"]
    folder = Path(cached.steps["cache-dir"]["dir"])
    assert folder == tmp_path / "runner_temp" / "reqkit-cache"
    assert any(folder.iterdir())  # the check wrote its cache there


def test_bad_repository_fails_with_annotations_counts_and_a_table(
    tmp_path: Path, bad: Path
) -> None:
    result = run_action(tmp_path, bad)
    assert result.returncode == 1
    assert result.outputs == {"errors": "2", "warnings": "1"}
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 3, result.stdout
    assert any(
        re.fullmatch(r"::error file=reqs/REQ-001\.yaml,line=4,col=9,title=RK110::.*reviw.*", a)
        for a in annotations
    ), annotations
    assert any(
        a.startswith("::error file=reqs/REQ-002.yaml,line=7,") and "title=RK311::" in a
        for a in annotations
    )
    assert any(
        a.startswith("::warning file=reqs/REQ-003.yaml,") and "title=RK204::" in a
        for a in annotations
    )
    assert result.summary.startswith("### reqkit check: ❌ failed\n")
    assert "3 files, 3 requirements: 2 errors, 1 warning" in result.summary
    rows = [
        line
        for line in result.summary.splitlines()
        if line.startswith("| ❌") or line.startswith("| ⚠️")
    ]
    assert len(rows) == 3
    assert rows[0].startswith("| ❌ error | `reqs/REQ-001.yaml:4:9` | [RK110](")
    assert rows[1].startswith("| ❌ error | `reqs/REQ-002.yaml:7:")
    assert rows[2].startswith("| ⚠️ warning | `reqs/REQ-003.yaml:")  # errors first


def test_warnings_pass_unless_strict(tmp_path: Path, make: MakeRepo) -> None:
    repo = make(
        tmp_path / "repo",
        {"reqs/REQ-001.yaml": good(1).replace("within 5 s", "quickly")},
        'ids = ["REQ-{seq:03}"]\n',
    )
    for name in ("relaxed", "strict"):
        (tmp_path / name).mkdir()
    relaxed = run_action(tmp_path / "relaxed", repo)
    assert relaxed.returncode == 0
    assert relaxed.outputs == {"errors": "0", "warnings": "1"}
    assert relaxed.summary.startswith("### reqkit check: ⚠️ passed with warnings\n")
    strict = run_action(tmp_path / "strict", repo, strict="true")
    assert strict.returncode == 1
    assert strict.outputs == {"errors": "0", "warnings": "1"}


def test_paths_input_reports_on_those_files_only(tmp_path: Path, bad: Path) -> None:
    result = run_action(tmp_path, bad, paths="reqs/REQ-002.yaml\n  reqs/REQ-003.yaml")
    assert result.returncode == 1
    assert result.outputs == {"errors": "1", "warnings": "1"}
    assert "REQ-001" not in result.stdout
    assert "2 files, 3 requirements: 1 error, 1 warning" in result.summary


def test_inputs_cannot_inject_shell_code(tmp_path: Path, clean: Path) -> None:
    result = run_action(
        tmp_path,
        clean,
        paths='$(touch pwned1) `touch pwned2`; touch pwned3 "',
        args="$(touch pwned4)",
        format="github",
    )
    # the words reach reqkit as arguments, never as shell code
    assert not list(clean.glob("pwned*")) and not list(tmp_path.glob("pwned*"))
    # ... where they name no requirement file, so nothing is reported on
    assert result.returncode == 0, result.stderr
    assert "0 files, 3 requirements: 0 errors, 0 warnings" in result.summary


def test_args_and_format_inputs_reach_reqkit(tmp_path: Path, bad: Path) -> None:
    result = run_action(tmp_path, bad, format="json", args="--no-cache")
    assert result.returncode == 1
    doc = json.loads(result.stdout)
    assert doc["summary"]["errors"] == 2
    assert not (tmp_path / "reqkit-cache").exists()  # --no-cache was passed
    assert result.outputs == {"errors": "2", "warnings": "1"}


def test_working_directory_input_and_monorepo_paths(tmp_path: Path, make: MakeRepo) -> None:
    workspace = make(tmp_path / "workspace", {"README.md": "# monorepo\n"}, None)
    make(workspace / "product", BAD, 'ids = ["REQ-{seq:03}"]\n', git=False)
    result = run_action(tmp_path, workspace, **{"working-directory": "product"})
    assert result.returncode == 1
    assert "::error file=product/reqs/REQ-001.yaml,line=4,col=9,title=RK110::" in result.stdout


def test_summary_escapes_requirement_text(tmp_path: Path, make: MakeRepo) -> None:
    text = good(1).replace("status: analysis", 'status: "a|b <img src=x> **@team** `x` [l](u)"')
    repo = make(tmp_path / "repo", {"reqs/REQ-001.yaml": text}, 'ids = ["REQ-{seq:03}"]\n')
    result = run_action(tmp_path, repo)
    row = next(line for line in result.summary.splitlines() if line.startswith("| ❌"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 5  # four cells, whatever the message holds
    assert "<img" not in row and "&lt;img src=x&gt;" in row
    assert "@team" not in row and "\\*\\*" in row and "\\`x\\`" in row and "\\[l\\](u)" in row


def test_summary_lists_the_first_50_problems(tmp_path: Path, make: MakeRepo) -> None:
    files = {
        f"reqs/REQ-{n:03}.yaml": good(n).replace("status: analysis", "status: reviw")
        for n in range(1, 61)
    }
    repo = make(tmp_path / "repo", files, 'ids = ["REQ-{seq:03}"]\n')
    result = run_action(tmp_path, repo)
    assert result.outputs["errors"] == "60"
    rows = [line for line in result.summary.splitlines() if line.startswith("| ❌")]
    assert len(rows) == 50
    assert "… and 10 more problems: the job log lists them all." in result.summary
    assert result.stdout.count("::error ") == 60


def test_summary_and_counts_append_to_their_files(tmp_path: Path, clean: Path) -> None:
    """Several steps of a job share GITHUB_STEP_SUMMARY: each appends, none truncates."""
    summary, counts = tmp_path / "summary.md", tmp_path / "counts"
    summary.write_text("# Earlier step\n\n", encoding="utf-8")
    counts.write_text("before=1\n", encoding="utf-8")
    for _ in range(2):
        proc = subprocess.run(
            [REQKIT, "check", "--summary", str(summary), "--counts", str(counts)],
            cwd=clean,
            capture_output=True,
            text=True,
            env={**os.environ, "REQKIT_CACHE_DIR": str(tmp_path / "cache")},
        )
        assert proc.returncode == 0, proc.stderr
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# Earlier step\n\n### reqkit check: ✅ passed\n")
    assert text.count("### reqkit check") == 2
    assert counts.read_text(encoding="utf-8") == "before=1\n" + 2 * (
        "errors=0\nwarnings=0\nfiles=3\nrequirements=3\n"
    )


def test_an_unwritable_summary_file_is_a_usage_error(tmp_path: Path, clean: Path) -> None:
    proc = subprocess.run(
        [REQKIT, "check", "--summary", str(tmp_path / "missing" / "summary.md")],
        cwd=clean,
        capture_output=True,
        text=True,
        env={**os.environ, "REQKIT_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert proc.returncode == 2
    assert (
        proc.stderr.startswith("reqkit: error: cannot append to ") and proc.stderr.count("\n") == 1
    )


STUB_PYTHON = """\
#!/usr/bin/env bash
# Stands in for Python in the install step: `-m venv DIR` makes DIR/bin/python, which
# records the arguments pip would get, and DIR/bin/reqkit, which prints a version.
set -e
if [ "$1 $2" = "-m venv" ]; then
  mkdir -p "$3/bin"
  printf '#!/usr/bin/env bash\\nprintf "%%s\\\\n" "$@" > "%s/pip-args"\\n' "$3" > "$3/bin/python"
  printf '#!/usr/bin/env bash\\necho "reqkit 9.9.9"\\n' > "$3/bin/reqkit"
  chmod +x "$3/bin/python" "$3/bin/reqkit"
fi
"""


@pytest.mark.parametrize(
    ("version", "spec"),
    [
        ("", "<action path>"),
        ("0.2.0", "git-reqkit==0.2.0"),
        ("v0.2.0", "git-reqkit==0.2.0"),
        (">=0.2,<0.3", "git-reqkit>=0.2,<0.3"),
        ("==0.1.0", "git-reqkit==0.1.0"),
    ],
)
def test_install_step_picks_what_to_install_from_the_version_input(
    tmp_path: Path, clean: Path, version: str, spec: str
) -> None:
    """The install script alone, offline: Python and pip are stood in for by a stub that
    records what pip would be asked to install; the real install is the test below."""
    stub = tmp_path / "python-stub"
    stub.write_text(STUB_PYTHON, encoding="utf-8")
    stub.chmod(0o755)
    # the install step alone: no cache folder
    inputs = {"version": version, "cache": "false"}
    runner = Runner(tmp_path, inputs, real_install=True, python_path=str(stub))
    result = runner.run(clean)
    venv = tmp_path / "runner_temp" / "reqkit-action-venv"
    args = (venv / "pip-args").read_text(encoding="utf-8").splitlines()
    assert args[:2] == ["-m", "pip"] and args[2] == "install"
    assert args[-1] == (str(ROOT) if spec == "<action path>" else spec)
    assert result.steps["install"]["reqkit"] == f"{venv}/bin/reqkit"
    assert result.stdout.startswith("reqkit 9.9.9\n")


@pytest.mark.skipif(not NETWORK, reason="installs git-reqkit from PyPI: set REQKIT_TEST_NETWORK=1")
def test_install_step_installs_this_checkout_into_a_private_environment(
    tmp_path: Path, bad: Path
) -> None:
    result = run_action(tmp_path, bad, real_install=True)
    assert result.ran == ["install", "cache-dir", "check", "diff"]
    installed = result.steps["install"]["reqkit"]
    assert installed.startswith(str(tmp_path / "runner_temp" / "reqkit-action-venv"))
    assert result.stdout.startswith("reqkit ")  # the install step prints the version
    assert result.returncode == 1
    assert result.outputs == {"errors": "2", "warnings": "1"}
