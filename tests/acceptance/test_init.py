"""`reqkit init [DIR]`: a requirements repository that works on day one, never overwriting.

Each test runs the installed command in a temporary folder, then judges the result with
reqkit itself (`check --strict`, `schema --check`) and, where they are installed, with
the tools the scaffold is written for: check-jsonschema (GitHub's workflow schema),
zizmor, pre-commit and MkDocs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from reqkit._version import __version__

Run = Callable[..., subprocess.CompletedProcess[str]]
MakeRepo = Callable[..., Path]

ROOT = Path(__file__).resolve().parents[2]

#: Everything init writes; the contract of this command.
FILES = [
    ".github/ISSUE_TEMPLATE/requirement.yml",
    ".github/workflows/pages.yml",
    ".github/workflows/requirements.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "README.md",
    "docs/index.md",
    "mkdocs.yml",
    "reqkit.toml",
    "reqs/202405-001.yaml",
    "reqs/202405-002.yaml",
    "reqs/202405-003.yaml",
    "reqs/202405-004.yaml",
    "reqs/202405-005.yaml",
    "reqs/202405-006.yaml",
    "reqs/202405-007.yaml",
    "schema/requirement.schema.json",
]
TYPES = {"functional", "experience", "bug", "performance", "security", "compliance", "other"}


def tool(name: str) -> str | None:
    """An executable of this environment, or on PATH."""
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else shutil.which(name)


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def scaffold(
    tmp_path_factory: pytest.TempPathFactory, run_reqkit_fn: Run
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """One `reqkit init` with no argument, in an empty folder; shared, read only."""
    folder = tmp_path_factory.mktemp("init") / "product-reqs"
    folder.mkdir()
    result = run_reqkit_fn(folder, "init")
    return folder, result


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# ---- what it writes ---------------------------------------------------------------------


def test_init_writes_every_file_and_says_what_next(
    scaffold: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    folder, result = scaffold
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert listing(folder) == FILES
    out = result.stdout.splitlines()
    assert out[0] == "created a requirements repository in . (17 files):"
    assert [line.strip() for line in out[1:18]] == FILES
    assert "  reqkit check" in out
    assert not any(line.startswith("  cd ") for line in out)  # already there


def test_the_new_repository_passes_check_strict_with_no_finding(
    scaffold: tuple[Path, subprocess.CompletedProcess[str]], run_reqkit_fn: Run
) -> None:
    folder, _ = scaffold
    result = run_reqkit_fn(folder, "check", "--strict", "--format", "json", "--no-cache")
    assert result.returncode == 0, result.stdout
    doc = json.loads(result.stdout)
    assert doc["diagnostics"] == []
    assert doc["summary"] == {"files": 7, "requirements": 7, "errors": 0, "warnings": 0}
    text = run_reqkit_fn(folder, "check", "--strict")
    assert text.stdout == "7 files, 7 requirements: 0 errors, 0 warnings\n"


def test_the_examples_pass_the_opt_in_ears_rule_too(
    tmp_path: Path, scaffold: tuple[Path, subprocess.CompletedProcess[str]], run_reqkit_fn: Run
) -> None:
    folder, _ = scaffold
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    with (copy / "reqkit.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[rules]\nRK212 = "error"\n')
    result = run_reqkit_fn(copy, "check", "--strict", "--no-cache")
    assert result.returncode == 0, result.stdout


def test_schema_is_current(
    scaffold: tuple[Path, subprocess.CompletedProcess[str]], run_reqkit_fn: Run
) -> None:
    folder, _ = scaffold
    result = run_reqkit_fn(folder, "schema", "--check")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "schema/requirement.schema.json is up to date\n"


def test_config_is_all_comments_so_every_default_applies(
    scaffold: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    import tomllib

    folder, _ = scaffold
    text = (folder / "reqkit.toml").read_text(encoding="utf-8")
    assert tomllib.loads(text) == {}
    assert all(not line.strip() or line.startswith("#") for line in text.splitlines())


def test_config_examples_are_valid_when_uncommented(
    tmp_path: Path, scaffold: tuple[Path, subprocess.CompletedProcess[str]], run_reqkit_fn: Run
) -> None:
    """Uncommenting every example setting gives a config reqkit accepts."""
    folder, _ = scaffold
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    lines = (folder / "reqkit.toml").read_text(encoding="utf-8").splitlines()
    setting = re.compile(r"^# (\[[a-z_.]+\]|[A-Za-z0-9_]+ = .*)$")
    uncommented = [line[2:] if setting.match(line) else line for line in lines]
    assert sum(1 for a, b in zip(lines, uncommented, strict=True) if a != b) >= 8
    (copy / "reqkit.toml").write_text("\n".join(uncommented) + "\n", encoding="utf-8")
    result = run_reqkit_fn(copy, "check", "--no-cache")
    assert result.returncode in (0, 1), result.stderr  # ran: the config is valid


def test_one_example_per_type_with_modeline_and_sensible_states(
    scaffold: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    folder, _ = scaffold
    examples = sorted((folder / "reqs").glob("*.yaml"))
    data = [load_yaml(p) for p in examples]
    assert {d["type"] for d in data} == TYPES
    assert len({d["status"] for d in data}) == len(data)  # each shows another state
    for path, d in zip(examples, data, strict=True):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/requirement.schema.json"
        assert d["id"] == path.stem
        assert d.get("acceptance") or d["status"] in ("deferred", "rejected")
    by_status = {d["status"]: d for d in data}
    assert by_status["closed"]["acceptance"] and by_status["closed"]["evaluation"]["result"]
    assert by_status["released"]["acceptance"]
    assert by_status["rejected"]["decision"]["reason"]
    assert by_status["deferred"]["decision"]["reason"]
    assert any(d.get("links", {}).get("parent") for d in data)  # links are shown too


def test_examples_validate_against_the_written_schema(
    scaffold: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    import jsonschema

    folder, _ = scaffold
    schema = json.loads((folder / "schema/requirement.schema.json").read_text(encoding="utf-8"))
    for path in sorted((folder / "reqs").glob("*.yaml")):
        data = json.loads(json.dumps(load_yaml(path), default=str))  # dates as ISO text
        jsonschema.validate(data, schema)


def test_readme_explains_the_workflow_and_the_right_package(
    scaffold: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    folder, _ = scaffold
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# product-reqs\n")
    for phrase in (
        "One requirement, one file",
        "A pull request is a change request",
        "A review is the approval",
        "reqkit check",
        "pre-commit install",
        "pip install git-reqkit",
    ):
        assert phrase in readme, phrase


def test_no_file_tells_anyone_to_install_the_wrong_package(
    scaffold: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    folder, _ = scaffold
    wrong = re.compile(r"pip install\s+(?:-\S+\s+)*['\"]?reqkit(?![\w-])")
    for rel in FILES:
        assert not wrong.search((folder / rel).read_text(encoding="utf-8")), rel


def test_workflows_use_the_action_and_pin_first_party_actions_by_tag(
    scaffold: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    folder, _ = scaffold
    check = load_yaml(folder / ".github/workflows/requirements.yml")
    steps = check["jobs"]["check"]["steps"]
    assert steps[0]["uses"] == "actions/checkout@v4"
    assert steps[0]["with"] == {"persist-credentials": False, "fetch-depth": 0}
    assert steps[1]["uses"] == "reqkit/reqkit@v1"
    assert "pull_request" in check[True]  # YAML 1.1 reads the key `on` as true
    assert check["permissions"] == {"contents": "read"}
    pages = load_yaml(folder / ".github/workflows/pages.yml")
    assert pages["permissions"] == {}
    assert pages["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert pages["jobs"]["build"]["permissions"] == {"contents": "read"}
    for workflow in (check, pages):
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                ref = step.get("uses", "")
                assert not ref or re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", ref), ref
                assert "${{" not in step.get("run", "")


def test_precommit_config_uses_the_reqkit_check_hook(
    scaffold: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    folder, _ = scaffold
    config = load_yaml(folder / ".pre-commit-config.yaml")
    assert config == {
        "repos": [
            {
                "repo": "https://github.com/reqkit/reqkit",
                "rev": f"v{__version__}",
                "hooks": [{"id": "reqkit-check"}],
            }
        ]
    }
    hooks = load_yaml(ROOT / ".pre-commit-hooks.yaml")
    assert "reqkit-check" in [h["id"] for h in hooks]  # the hook this repository provides


def test_gitignore_keeps_the_built_site_out(
    scaffold: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    folder, _ = scaffold
    assert "site/" in (folder / ".gitignore").read_text(encoding="utf-8").splitlines()


# ---- judged by the tools the scaffold is written for --------------------------------------


def test_workflows_are_valid_github_workflows(
    scaffold: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    exe = tool("check-jsonschema")
    if exe is None:
        pytest.skip("check-jsonschema is not installed (pip install -e '.[test]')")
    folder, _ = scaffold
    workflows = sorted(str(p) for p in (folder / ".github/workflows").glob("*.yml"))
    proc = subprocess.run(
        [exe, "--builtin-schema", "vendor.github-workflows", *workflows],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_zizmor_finds_nothing_but_the_tag_pinned_reqkit_action(
    scaffold: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    """With this repository's policy (first-party actions by tag), the one finding left
    is `reqkit/reqkit@v1` itself, which a project may pin to a commit SHA."""
    exe = tool("zizmor")
    if exe is None:
        pytest.skip("zizmor is not installed (pip install -e '.[test]')")
    folder, _ = scaffold
    proc = subprocess.run(
        [
            exe,
            "--offline",
            "--no-progress",
            "--format",
            "json",
            "--config",
            str(ROOT / ".github" / "zizmor.yml"),
            str(folder / ".github" / "workflows"),
        ],
        capture_output=True,
        text=True,
    )
    findings = json.loads(proc.stdout)
    described = [
        (f["ident"], loc["concrete"]["feature"])
        for f in findings
        for loc in f["locations"]
        if loc["symbolic"]["kind"] == "Primary"
    ]
    assert described == [("unpinned-uses", "reqkit/reqkit@v1")], described


def test_precommit_config_is_valid_for_pre_commit(
    scaffold: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    exe = tool("pre-commit")
    if exe is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    folder, _ = scaffold
    proc = subprocess.run(
        [exe, "validate-config", str(folder / ".pre-commit-config.yaml")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_site_builds_strictly_with_mkdocs(
    tmp_path: Path, scaffold: tuple[Path, subprocess.CompletedProcess[str]]
) -> None:
    exe = tool("mkdocs")
    if exe is None:
        pytest.skip("mkdocs is not installed (pip install mkdocs-material 'mkdocs<2')")
    try:
        import material  # noqa: F401
    except ImportError:
        pytest.skip("mkdocs-material is not installed (pip install mkdocs-material)")
    folder, _ = scaffold
    proc = subprocess.run(
        [exe, "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    # the reqkit plugin in the scaffold's mkdocs.yml adds the requirement pages
    assert any("202405-001" in p.read_text("utf-8") for p in (tmp_path / "site").rglob("*.html"))


def test_scaffold_site_builds_with_reqkit_site_build(
    tmp_path: Path, scaffold: tuple[Path, subprocess.CompletedProcess[str]], run_reqkit_fn: Run
) -> None:
    folder, _ = scaffold
    out = tmp_path / "out"
    result = run_reqkit_fn(folder, "site", "build", "--strict", "-o", str(out))
    assert result.returncode == 0, result.stderr
    pages = {p.relative_to(out).as_posix() for p in out.rglob("index.html")}
    assert "index.html" in pages
    assert any("202405-001" in (out / p).read_text("utf-8") for p in pages)


# ---- where it writes, and when it refuses -----------------------------------------------


def test_init_creates_a_new_nested_folder(tmp_path: Path, run_reqkit_fn: Run) -> None:
    result = run_reqkit_fn(tmp_path, "init", "work/product reqs/2024", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    target = tmp_path / "work" / "product reqs" / "2024"
    assert listing(target) == FILES
    assert "  cd work/product reqs/2024" in result.stdout.splitlines()
    check = run_reqkit_fn(target, "check", "--strict")
    assert check.returncode == 0, check.stdout
    assert 'site_name: "2024"' in (target / "mkdocs.yml").read_text(encoding="utf-8")


def test_init_with_root_option_writes_there(tmp_path: Path, run_reqkit_fn: Run) -> None:
    (tmp_path / "here").mkdir()
    result = run_reqkit_fn(tmp_path, "--root", str(tmp_path / "here"), "init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert listing(tmp_path / "here") == FILES


def test_init_needs_no_config_and_ignores_one_further_up(
    tmp_path: Path, make: MakeRepo, run_reqkit_fn: Run
) -> None:
    outer = make(tmp_path / "outer", {"reqs/README.txt": "x"}, "requirements = 'elsewhere'\n")
    result = run_reqkit_fn(outer, "init", "inner", cwd=outer)
    assert result.returncode == 0, result.stderr
    check = run_reqkit_fn(outer / "inner", "check", "--strict")
    assert check.returncode == 0, check.stdout + check.stderr  # the nearest config wins


SOME = [
    ".gitignore",
    "README.md",
    "reqkit.toml",
    "reqs/202405-004.yaml",
    ".github/workflows/pages.yml",
    "schema/requirement.schema.json",
]


@pytest.mark.parametrize("existing", SOME)
def test_init_refuses_when_any_file_exists_and_writes_nothing(
    tmp_path: Path, run_reqkit_fn: Run, existing: str
) -> None:
    folder = tmp_path / "repo"
    (folder / existing).parent.mkdir(parents=True, exist_ok=True)
    (folder / existing).write_text("mine\n", encoding="utf-8")
    before = listing(folder)
    result = run_reqkit_fn(folder, "init")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("reqkit: error: init writes nothing: 1 of its files exist")
    assert existing in result.stderr
    assert listing(folder) == before  # nothing written, nothing replaced
    assert (folder / existing).read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in folder.iterdir()) == sorted({existing.split("/")[0]})


def test_refusal_names_every_existing_file(tmp_path: Path, run_reqkit_fn: Run) -> None:
    folder = tmp_path / "repo"
    for rel in ("README.md", "docs/index.md", "mkdocs.yml"):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text("mine\n", encoding="utf-8")
    result = run_reqkit_fn(folder, "init")
    assert result.returncode == 2
    assert "3 of its files exist already" in result.stderr
    for rel in ("README.md", "docs/index.md", "mkdocs.yml"):
        assert rel in result.stderr
    assert listing(folder) == ["README.md", "docs/index.md", "mkdocs.yml"]


def test_init_refuses_where_a_folder_it_needs_is_a_file(tmp_path: Path, run_reqkit_fn: Run) -> None:
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "reqs").write_text("not a folder\n", encoding="utf-8")
    result = run_reqkit_fn(folder, "init")
    assert result.returncode == 2
    assert "reqs" in result.stderr
    assert listing(folder) == ["reqs"]


def test_init_refuses_a_pyproject_that_configures_reqkit(
    tmp_path: Path, run_reqkit_fn: Run
) -> None:
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "pyproject.toml").write_text("[tool.reqkit]\nids = ['R-{seq:03}']\n")
    result = run_reqkit_fn(folder, "init")
    assert result.returncode == 2
    assert "pyproject.toml ([tool.reqkit])" in result.stderr
    assert listing(folder) == ["pyproject.toml"]


def test_init_into_a_path_that_is_a_file_exits_2(tmp_path: Path, run_reqkit_fn: Run) -> None:
    (tmp_path / "afile").write_text("x\n")
    result = run_reqkit_fn(tmp_path, "init", "afile", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert (tmp_path / "afile").read_text() == "x\n"


def test_an_unrelated_file_does_not_stop_init(tmp_path: Path, run_reqkit_fn: Run) -> None:
    folder = tmp_path / "repo"
    (folder / "notes").mkdir(parents=True)
    (folder / "notes" / "meeting.md").write_text("# notes\n")
    (folder / "reqs").mkdir()  # an empty folder is not a file
    result = run_reqkit_fn(folder, "init")
    assert result.returncode == 0, result.stderr
    assert listing(folder) == sorted([*FILES, "notes/meeting.md"])
