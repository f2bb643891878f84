"""`reqkit site build` from the installed command, on real Git repositories."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from siterepo import HOSTILE, git, make_site_repo, requirement

Run = Callable[..., subprocess.CompletedProcess[str]]


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_builds_the_site_with_no_mkdocs_yml_and_no_docs(tmp_path: Path, run: Run) -> None:
    repo = make_site_repo(tmp_path / "repo")
    result = run(repo, "site", "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert "built" in result.stdout and "3 requirements" in result.stdout
    home = read(repo / "site", "index.html")
    assert "By status" in home and "Latest changes" in home
    page = read(repo / "site", "requirements/by-folder/index.html")
    assert 'id="REQ-001"' in page and 'id="REQ-002"' in page
    area = read(repo / "site", "requirements/by-folder/area/index.html")
    assert 'id="REQ-003"' in area
    # Markdown in requirement text survives the engine intact: tables, code, lists
    assert "<td>grey</td>" in area and "<strong>bold</strong>" in area
    assert "first line\n\n    indented after a blank line\n</code></pre>" in area
    # generated pages never land in the working tree: only site/ is new, and it is ignored
    status = git(repo, "status", "--porcelain", "--untracked-files=all")
    assert [line for line in status.splitlines() if not line.startswith("?? site/")] == []


def test_requirement_section_shows_fields_links_history_and_edit_link(
    tmp_path: Path, run: Run
) -> None:
    repo = make_site_repo(tmp_path / "repo")
    assert run(repo, "site", "build").returncode == 0
    page = read(repo / "site", "requirements/by-folder/index.html")
    section = page[page.index('id="req-REQ-002"') :]
    section = section[: section.index("</section>")]
    assert "报表页面支持批量导出" in section
    assert "Owner: bob" in section and "Urgency: urgent" in section
    # parent with its title and status, flagged suspect: its text changed afterwards
    assert 'href="./#REQ-001"' in section and "Batch export on the report page" in section
    assert "rk-suspect" in section
    # history timeline with the PR link and the edit link on the Git host
    assert 'href="https://github.com/acme/shop/pull/11"' in section
    assert "https://github.com/acme/shop/edit/main/reqs/REQ-002.yaml" in section
    parent = page[page.index('id="req-REQ-001"') :]
    parent = parent[: parent.index("</section>")]
    assert (
        "pull/12" in parent and "rk-status-review" in parent and "rk-status-development" in parent
    )
    # children and dependants, both ways
    assert "Children" in parent and "REQ-002" in parent
    assert "Dependants" in parent and "../by-folder/area/#REQ-003" not in parent
    assert 'href="area/#REQ-003"' in parent


def test_outside_git_the_pages_say_there_is_no_history(tmp_path: Path, make: Any, run: Run) -> None:
    repo = make(
        tmp_path / "plain", {"reqs/REQ-001.yaml": requirement("REQ-001", "Export")}, git=False
    )
    result = run(repo, "site", "build", "--strict")
    assert result.returncode == 0, result.stderr
    page = read(repo / "site", "requirements/by-folder/index.html")
    assert "No history" in page
    assert "No history" in read(repo / "site", "index.html")


def test_hostile_text_reaches_the_html_only_as_inert_text(tmp_path: Path, run: Run) -> None:
    repo = make_site_repo(tmp_path / "repo", extra={"reqs/REQ-666.yaml": HOSTILE})
    assert run(repo, "site", "build").returncode == 0
    for html_file in (repo / "site").rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        assert "__pwned" not in re.sub(r"&[^;]+;", "", text) or _only_escaped(text), html_file
        assert not re.search(r"<script>window|onerror=\"window|javascript:window", text), html_file
        assert not re.search(r"<(img|svg|b|a|p)\b[^>]*\son\w+=", text), html_file


def _only_escaped(text: str) -> bool:
    """Every mention of the payload sits in text (escaped), never in a tag's attributes."""
    for match in re.finditer(r"<[^>]*__pwned[^>]*>", text):
        if not match.group(0).startswith("<meta"):
            return False
    return True


def test_chinese_labels_with_site_language_zh(tmp_path: Path, run: Run) -> None:
    repo = make_site_repo(
        tmp_path / "repo", config='ids = ["REQ-{seq:03}"]\n[site]\nlanguage = "zh"\n'
    )
    assert run(repo, "site", "build", "--strict").returncode == 0
    page = read(repo / "site", "requirements/by-folder/index.html")
    for word in (
        "负责人",
        "紧急程度",
        "评审中",
        "开发中",
        "功能需求",
        "父需求",
        "变更历史",
        "编辑此需求",
    ):
        assert word in page, word
    home = read(repo / "site", "index.html")
    assert "按状态" in home and "最近变更" in home
    assert '<html lang="zh"' in home  # Material's own strings in Chinese too


def _digest(site: Path) -> dict[str, str]:
    skip = {"sitemap.xml", "sitemap.xml.gz"}  # MkDocs stamps the build date there
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.name not in skip
    }


def test_same_repository_state_gives_byte_identical_html(tmp_path: Path, run: Run) -> None:
    repo = make_site_repo(tmp_path / "repo", extra={"reqs/REQ-666.yaml": HOSTILE})
    assert run(repo, "site", "build", "-o", str(tmp_path / "one")).returncode == 0
    assert run(repo, "site", "build", "-o", str(tmp_path / "two")).returncode == 0
    one, two = _digest(tmp_path / "one"), _digest(tmp_path / "two")
    assert len(one) > 20 and one == two


def test_users_mkdocs_yml_and_docs_are_merged(tmp_path: Path, run: Run) -> None:
    repo = make_site_repo(
        tmp_path / "repo",
        extra={
            "mkdocs.yml": (
                "site_name: Shop requirements\n"
                "theme:\n  name: material\n  font: false\n"
                "nav:\n  - Welcome: index.md\n  - Guide: guide.md\n"
                "markdown_extensions:\n  - attr_list\n  - pymdownx.emoji:\n"
                "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
                "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"
            ),
            "docs/index.md": "# Welcome\n\nOur own home page :smile:\n",
            "docs/guide.md": "# Guide\n\nSee the [requirements](requirements/index.md).\n",
        },
    )
    result = run(repo, "site", "build", "--strict")
    assert result.returncode == 0, result.stderr
    home = read(repo / "site", "index.html")
    assert "Our own home page" in home and "Shop requirements" in home
    assert "twemoji" in home  # the user's tagged extension settings survived the merge
    overview = read(repo / "site", "requirements/index.html")
    assert "By status" in overview and "Guide" in overview
    assert not (repo / "docs" / "requirements").exists()


def test_docs_requirements_folder_is_refused_with_one_line(tmp_path: Path, run: Run) -> None:
    repo = make_site_repo(tmp_path / "repo", extra={"docs/requirements/x.md": "# x\n"})
    result = run(repo, "site", "build")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "docs/requirements/ exists" in result.stderr


def test_broken_mkdocs_yml_is_reported_with_its_location(tmp_path: Path, run: Run) -> None:
    repo = make_site_repo(tmp_path / "repo", extra={"mkdocs.yml": "site_name: [unclosed\n"})
    result = run(repo, "site", "build")
    assert result.returncode == 2
    assert (
        result.stderr.startswith("reqkit: error: mkdocs.yml:") and "Traceback" not in result.stderr
    )


def test_a_large_folder_is_split_into_parts_that_link_to_each_other(
    tmp_path: Path, make: Any, run: Run
) -> None:
    files = {f"reqs/big/R-{n}.yaml": requirement(f"R-{n}", f"Item {n}") for n in range(1, 451)}
    repo = make(tmp_path / "big", files, 'ids = ["R-{seq}"]\n')
    assert run(repo, "site", "build", "--strict").returncode == 0
    first = read(repo / "site", "requirements/by-folder/big/index.html")
    assert 'id="R-1"' in first and 'id="R-200"' in first and 'id="R-201"' not in first
    third = read(repo / "site", "requirements/by-folder/big/_p3/index.html")
    assert 'id="R-401"' in third and 'id="R-450"' in third
    data = read(repo / "site", "requirements/list.json")
    assert '"requirements/by-folder/big/_p2/#R-201"' in data


def test_plain_mkdocs_build_with_the_plugin_generates_the_pages(tmp_path: Path) -> None:
    repo = make_site_repo(
        tmp_path / "repo",
        extra={
            "mkdocs.yml": "site_name: Shop\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n  - reqkit\n",
            "docs/index.md": "# Shop\n",
        },
    )
    mkdocs = Path(sys.executable).parent / "mkdocs"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "REQKIT_CACHE_DIR": str(tmp_path / "cache")}
    result = subprocess.run(
        [str(mkdocs), "build", "--strict"], cwd=repo, capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert 'id="REQ-001"' in read(repo / "site", "requirements/by-folder/index.html")
    assert "By status" in read(repo / "site", "requirements/index.html")
    assert not (repo / "docs" / "requirements").exists()


@pytest.mark.parametrize("engine", ["properdocs", "zensical"])
def test_other_engines_build_the_same_pages(tmp_path: Path, run: Run, engine: str) -> None:
    repo = make_site_repo(tmp_path / "repo", extra={"reqs/REQ-666.yaml": HOSTILE})
    result = run(repo, "site", "build", "--engine", engine, "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert f"with {engine}" in result.stdout
    page = read(tmp_path / "out", "requirements/by-folder/index.html")
    assert 'id="REQ-001"' in page and 'id="REQ-666"' in page
    assert not re.search(r"<script>window|onerror=\"window|javascript:window", page)


def test_test_results_code_references_and_report_charts_reach_the_pages(
    tmp_path: Path, run: Run
) -> None:
    traced = requirement(
        "REQ-001",
        "Batch export on the report page",
        status="development",
        extra="verified_by:\n  - tests/test_export.py::test_batch\n  - tests/test_export.py::test_fail\n",
    ).replace("within 2 s", "within 1 s")
    repo = make_site_repo(
        tmp_path / "repo",
        extra={
            "reqs/REQ-001.yaml": traced,
            "src/export.py": "# Implements: REQ-003\nprint('export')\n",
            "results.xml": (
                '<testsuite name="t"><testcase classname="tests.test_export" name="test_batch"/>'
                '<testcase classname="tests.test_export" name="test_fail">'
                '<failure message="boom"/></testcase></testsuite>'
            ),
        },
    )
    result = run(repo, "site", "build", "--strict", "--tests", "results.xml", "--code", "src")
    assert result.returncode == 0, result.stderr
    page = read(repo / "site", "requirements/by-folder/index.html")
    section = page[page.index('id="req-REQ-001"') :]
    section = section[: section.index("</section>")]
    assert 'test_batch</code> <span class="rk-outcome rk-passed">passed' in section
    assert 'test_fail</code> <span class="rk-outcome rk-failed">failed' in section
    area = read(repo / "site", "requirements/by-folder/area/index.html")
    assert "<code>src/export.py:1</code>" in area
    data = read(repo / "site", "requirements/list.json")
    assert '"failed"' in data  # the matrix's verdict column
    matrix = read(repo / "site", "requirements/matrix/index.html")
    assert "rk-coverage" in matrix and "33 %" in matrix  # 1 of 3 requirements traced
    home = read(repo / "site", "index.html")
    assert 'src="requirements/charts/status.svg"' in home
    assert (
        (repo / "site" / "requirements/charts/cumulative-flow.svg").read_text().startswith("<svg")
    )
    assert "Answered within the SLA" in home


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def test_site_serve_rebuilds_when_a_requirement_file_changes(tmp_path: Path) -> None:
    import time

    repo = make_site_repo(tmp_path / "repo")
    reqkit = shutil.which("reqkit") or str(Path(sys.executable).parent / "reqkit")
    env = {**os.environ, "REQKIT_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    port = _free_port()
    url = f"http://127.0.0.1:{port}/requirements/by-folder/"
    server = subprocess.Popen(
        [reqkit, "site", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=repo,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while "Batch export on the report page" not in _get(url):
            assert time.monotonic() < deadline, "the preview never served the page"
            time.sleep(0.5)
        path = repo / "reqs/REQ-001.yaml"
        path.write_text(
            path.read_text(encoding="utf-8").replace("Batch export", "Bulk export"),
            encoding="utf-8",
        )
        deadline = time.monotonic() + 90
        while "Bulk export on the report page" not in _get(url):
            assert time.monotonic() < deadline, "the preview did not follow the YAML edit"
            time.sleep(0.5)
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


def test_release_notes_per_tag_with_their_pull_requests(tmp_path: Path, run: Run) -> None:
    repo = make_site_repo(tmp_path / "repo")
    git(repo, "tag", "v1.0")
    shipped = requirement(
        "REQ-003",
        "Zebra striping in long tables",
        status="released",
        extra="acceptance:\n  - Given a long table, then rows alternate colours.\n",
    )
    (repo / "reqs/area/REQ-003.yaml").write_text(shipped, encoding="utf-8")
    git(repo, "commit", "-qam", "Ship zebra striping (#13)", when="2024-07-01T09:00:00+00:00")
    git(repo, "tag", "v1.1")
    assert run(repo, "site", "build", "--strict").returncode == 0
    notes = read(repo / "site", "requirements/releases/index.html")
    assert notes.index('id="v1.1"') < notes.index('id="v1.0"')  # newest first
    v11 = notes[notes.index('id="v1.1"') : notes.index('id="v1.0"')]
    assert (
        "REQ-003" in v11 and "https://github.com/acme/shop/pull/13" in v11 and "New features" in v11
    )
    home = read(repo / "site", "index.html")
    latest = home[home.index("Latest release") :]
    assert "v1.1" in latest and "REQ-003" in latest
