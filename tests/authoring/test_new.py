"""`reqkit new`: the next free ID everywhere Git knows of, a file that passes check."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import yaml

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    out = subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True, env=env
    )
    return out.stdout


def req(rid: str, title: str = "Export reports", **extra: str) -> str:
    lines = [
        f"id: {rid}",
        f"title: {title}",
        "type: functional",
        "status: analysis",
        "description: When the user presses Export, the system shall download the report.",
    ]
    lines += [f"{k}: {v}" for k, v in extra.items()]
    return "\n".join(lines) + "\n"


def test_new_writes_the_next_id_of_this_month_with_the_modeline_and_passes_check(
    make, run, tmp_path
):
    month = dt.datetime.now(dt.UTC).strftime("%Y%m")
    repo = make(tmp_path / "r", {f"reqs/{month}-001.yaml": req(f"{month}-001"), "schema/.keep": ""})
    result = run(
        repo, "new", "--title", "导出 PDF 报告", "--type", "functional", "--set", "priority=must"
    )
    assert result.returncode == 0, result.stderr
    rid, path = result.stdout.strip().split("\t")
    assert rid == f"{month}-002"
    assert path == f"reqs/{month}-002.yaml"
    text = (repo / path).read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/requirement.schema.json\n")
    data = yaml.safe_load(text)
    assert data["title"] == "导出 PDF 报告" and data["priority"] == "must"
    assert data["status"] == "analysis" and data["type"] == "functional"
    check = run(repo, "check")
    assert check.returncode == 0, check.stdout  # placeholders warn, nothing fails


def test_new_skips_ids_taken_on_local_and_remote_tracking_branches(make, run, tmp_path):
    config = 'ids = ["REQ-{seq:03}"]\n'
    remote = make(tmp_path / "remote", {"reqs/REQ-001.yaml": req("REQ-001")}, config)
    git(remote, "add", "-A")
    git(remote, "commit", "-qm", "one")
    git(remote, "checkout", "-qb", "colleague")
    (remote / "reqs/REQ-005.yaml").write_text(req("REQ-005"), encoding="utf-8")
    git(remote, "add", "-A")
    git(remote, "commit", "-qm", "pushed by a colleague")
    git(remote, "checkout", "-q", "-")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(remote), str(clone))
    git(clone, "checkout", "-qb", "mine")
    (clone / "reqs/REQ-003.yaml").write_text(req("REQ-003"), encoding="utf-8")
    git(clone, "add", "-A")
    git(clone, "commit", "-qm", "local branch")
    git(
        clone, "checkout", "-q", "-"
    )  # back on the default branch: REQ-003 and REQ-005 are elsewhere
    assert not (clone / "reqs/REQ-003.yaml").exists() and not (clone / "reqs/REQ-005.yaml").exists()
    result = run(clone, "new", "--title", "Another one", "--type", "bug")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\t")[0] == "REQ-006"


def test_new_quotes_an_id_that_yaml_would_read_as_a_number(make, run, tmp_path):
    repo = make(tmp_path / "r", {"reqs/.keep": ""}, 'ids = ["{seq:04}"]\n')
    result = run(repo, "new", "--title", "Numbers", "--type", "other")
    assert result.returncode == 0, result.stderr
    text = (repo / "reqs/0001.yaml").read_text(encoding="utf-8")
    assert 'id: "0001"' in text
    assert run(repo, "check").returncode == 0


def test_new_puts_a_child_next_to_its_parent_and_links_it(make, run, tmp_path):
    repo = make(
        tmp_path / "r", {"reqs/area/REQ-001.yaml": req("REQ-001")}, 'ids = ["REQ-{seq:03}"]\n'
    )
    result = run(repo, "new", "--title", "Child", "--type", "functional", "--parent", "REQ-001")
    assert result.returncode == 0, result.stderr
    text = (repo / "reqs/area/REQ-002.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/requirement.schema.json")
    assert yaml.safe_load(text)["links"] == {"parent": ["REQ-001"]}


def test_new_writes_nothing_when_the_result_would_not_pass_check(make, run, tmp_path):
    repo = make(tmp_path / "r", {"reqs/REQ-001.yaml": req("REQ-001")}, 'ids = ["REQ-{seq:03}"]\n')
    bad = run(repo, "new", "--title", "T", "--type", "functional", "--set", "priority=urgentish")
    assert bad.returncode == 2 and "priority" in bad.stderr
    missing = run(repo, "new", "--title", "T", "--type", "functional", "--parent", "REQ-009")
    assert missing.returncode == 2 and "REQ-009" in missing.stderr
    kind = run(repo, "new", "--title", "T", "--type", "feature")
    assert kind.returncode == 2 and "unknown type" in kind.stderr
    assert sorted(p.name for p in (repo / "reqs").iterdir()) == ["REQ-001.yaml"]


def test_new_without_a_title_outside_a_terminal_says_what_is_missing(make, run, tmp_path):
    repo = make(tmp_path / "r", {"reqs/.keep": ""})
    result = run(repo, "new", "--type", "bug")
    assert result.returncode == 2
    assert "missing --title" in result.stderr


def test_new_uses_the_projects_own_template_for_a_type(make, run, tmp_path):
    template = (
        "@MODELINE@\n# our bug template\nid: __ID__\ntitle: __TITLE__\ntype: bug\nstatus: __STATUS__\n"
        "description: |\n  Steps: 1. open the page 2. press Export\n"
    )
    repo = make(
        tmp_path / "r",
        {"reqs/.keep": "", ".reqkit/templates/bug.yaml": template},
        'ids = ["B-{seq:02}"]\n',
    )
    result = run(repo, "new", "--title", "Crash", "--type", "bug")
    assert result.returncode == 0, result.stderr
    text = (repo / "reqs/B-01.yaml").read_text(encoding="utf-8")
    assert "# our bug template" in text and "Steps: 1. open the page" in text


def test_new_edit_opens_the_file_in_the_editor(make, run, tmp_path):
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\nopen(sys.argv[-1], 'a', encoding='utf-8').write('owner: edited\\n')\n",
        encoding="utf-8",
    )
    repo = make(tmp_path / "r", {"reqs/.keep": ""}, 'ids = ["E-{seq:01}"]\n')
    result = run(
        repo,
        "new",
        "--title",
        "Edit me",
        "--type",
        "other",
        "--edit",
        env={"EDITOR": f"{sys.executable} {editor}", "VISUAL": None},
    )
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load((repo / "reqs/E-1.yaml").read_text(encoding="utf-8"))["owner"] == "edited"


def test_new_in_a_terminal_asks_for_the_title_and_type(make, tmp_path):
    import pty
    import select

    repo = make(tmp_path / "r", {"reqs/.keep": ""}, 'ids = ["T-{seq:01}"]\n')
    main, secondary = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1", "REQKIT_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "reqkit"), "new"],
        cwd=repo,
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        env=env,
    )
    os.close(secondary)
    seen = b""
    answers = [(b"Title", b"Asked in a terminal\n"), (b"Type", b"bug\n")]
    while proc.poll() is None or select.select([main], [], [], 0)[0]:
        ready, _, _ = select.select([main], [], [], 10)
        if not ready:
            break
        try:
            chunk = os.read(main, 1024)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if answers and answers[0][0] in seen:
            os.write(main, answers.pop(0)[1])
            seen = b""
    proc.wait(timeout=30)
    os.close(main)
    assert proc.returncode == 0
    data = yaml.safe_load((repo / "reqs/T-1.yaml").read_text(encoding="utf-8"))
    assert data["title"] == "Asked in a terminal" and data["type"] == "bug"
