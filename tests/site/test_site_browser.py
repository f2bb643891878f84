"""The built site in a real headless Chromium (Debian's), served over local HTTP.

One site is built once for the module (English and Chinese requirements, a hostile one,
a folder split into parts); each test drives the browser over it. Playwright's Python
package drives the system browser; it downloads nothing.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from siterepo import HOSTILE, make_site_repo, requirement

CHROMIUM = (
    os.environ.get("REQKIT_CHROMIUM")
    or shutil.which("chromium")
    or shutil.which("google-chrome")  # GitHub's Ubuntu runners ship Chrome, not Debian's chromium
    or "/usr/bin/chromium"
)
EXTRA = {
    "reqs/REQ-666.yaml": HOSTILE,
    **{
        f"reqs/bulk/REQ-{n}.yaml": requirement(f"REQ-{n}", f"Bulk item {n}", status="testing")
        for n in range(100, 330)
    },
}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(
    tmp_path_factory: pytest.TempPathFactory,
    run_reqkit_fn: Callable[..., subprocess.CompletedProcess[str]],
) -> Iterator[str]:
    repo = make_site_repo(tmp_path_factory.mktemp("browser") / "repo", extra=EXTRA)
    result = run_reqkit_fn(repo, "site", "build", "--strict")
    assert result.returncode == 0, result.stderr
    handler = functools.partial(_Quiet, directory=str(repo / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Debian's chromium is needed: apt-get install -y chromium (scripts/test.sh does)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        yield launched
        launched.close()


class Page:
    """A page that records console errors, page errors and dialogs."""

    def __init__(self, browser: Any) -> None:
        self.page = browser.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on(
            "dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss())
        )

    def _console(self, message: Any) -> None:
        # the hostile requirement's `<img src=x>` stays an image (made inert); its 404 is expected
        if message.type == "error" and not message.location.get("url", "").endswith("/x"):
            self.problems.append(f"{message.text} at {message.location.get('url')}")

    def __enter__(self) -> Any:
        return self.page

    def __exit__(self, *exc: object) -> None:
        self.page.close()


def test_pages_render_without_console_errors_and_internal_links_resolve(
    site_url: str, browser: Any
) -> None:
    visited: set[str] = set()
    queue = [site_url]
    links: dict[str, str] = {}  # link → the page it was found on
    holder = Page(browser)
    with holder as page:
        while queue and len(visited) < 40:
            url = queue.pop(0)
            if url in visited:
                continue
            visited.add(url)
            page.goto(url, wait_until="networkidle")
            hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
            for href in hrefs:
                if not href.startswith(site_url):
                    continue
                links.setdefault(href, url)
                bare = href.split("#")[0]
                if bare.endswith("/") and "/search/" not in bare:
                    queue.append(bare)
    assert holder.problems == []
    assert len(visited) >= 10 and len(links) > 100
    broken = []
    bodies: dict[str, str] = {}
    for href, found_on in sorted(links.items()):
        bare, _, anchor = href.partition("#")
        if bare not in bodies:
            try:
                with urllib.request.urlopen(bare) as response:
                    bodies[bare] = response.read().decode("utf-8", "replace")
            except urllib.error.HTTPError as exc:
                broken.append(f"{href} ({exc.code}) on {found_on}")
                continue
        if anchor and f'id="{urllib.parse.unquote(anchor)}"' not in bodies[bare]:
            broken.append(f"{href} (no anchor) on {found_on}")
    assert broken == []


def test_search_finds_an_english_and_a_chinese_word(site_url: str, browser: Any) -> None:
    holder = Page(browser)
    with holder as page:
        page.goto(site_url, wait_until="networkidle")
        for word, expected in (("zebra", "REQ-003"), ("导出", "REQ-002")):
            page.click("label.md-search__icon, .md-search__input", timeout=10_000)
            box = page.locator("input.md-search__input")
            box.fill(word)  # CJK text arrives as an input event, as from an IME
            box.press("End")
            page.wait_for_selector(".md-search-result__item", timeout=20_000)
            page.wait_for_function(
                "t => document.querySelector('.md-search-result__list').innerText.includes(t)",
                arg=expected,
                timeout=20_000,
            )
            page.keyboard.press("Escape")
    assert holder.problems == []


def test_the_index_filters_and_sorts_10k_style_without_a_framework(
    site_url: str, browser: Any
) -> None:
    holder = Page(browser)
    with holder as page:
        page.goto(site_url + "requirements/list/", wait_until="networkidle")
        page.wait_for_selector(".rk-list[data-hits]")
        total = int(page.get_attribute(".rk-list", "data-hits") or 0)
        assert total == 234
        page.select_option("select[name=status]", "testing")
        page.wait_for_function("document.querySelector('.rk-list').dataset.hits === '230'")
        statuses = page.eval_on_selector_all(
            ".rk-table tbody tr td:nth-child(3)", "els => els.map(e => e.innerText)"
        )
        assert len(statuses) == 200 and set(statuses) == {"testing"}  # first 200 drawn
        page.click(".rk-more")
        assert page.locator(".rk-table tbody tr").count() == 230
        page.select_option("select[name=status]", "")
        page.select_option("select[name=owner]", "bob")
        page.wait_for_function("document.querySelector('.rk-list').dataset.hits === '1'")
        assert "REQ-002" in page.inner_text(".rk-table tbody")
        page.select_option("select[name=owner]", "")
        page.fill(".rk-filters input[type=search]", "zebra")
        page.wait_for_function("document.querySelector('.rk-list').dataset.hits === '1'")
        page.fill(".rk-filters input[type=search]", "")
        page.wait_for_function(f"document.querySelector('.rk-list').dataset.hits === '{total}'")
        page.click("th[data-sort=id]")  # descending by ID: natural order, REQ-666 first
        first = page.inner_text(".rk-table tbody tr:first-child td:first-child")
        assert first == "REQ-666"
        page.click(".rk-table tbody tr:first-child a")
        page.wait_for_url(re.compile(r".*/requirements/by-folder/#REQ-666$"))
    assert holder.problems == []


def test_a_hostile_requirement_runs_no_script(site_url: str, browser: Any) -> None:
    holder = Page(browser)
    with holder as page:
        for path in ("requirements/by-folder/", "", "requirements/list/", "requirements/findings/"):
            page.goto(site_url + path, wait_until="networkidle")
            # poke every element of the hostile section: clicks and hovers fire inline handlers
            page.evaluate(
                """() => {
                  const root = document.getElementById('req-REQ-666') || document.body;
                  for (const el of root.querySelectorAll('*')) {
                    for (const type of ['click', 'mouseover', 'load', 'error']) {
                      el.dispatchEvent(new Event(type, {bubbles: false}));
                    }
                  }
                }"""
            )
            page.wait_for_timeout(200)
            assert page.evaluate("() => window.__pwned") is None, path
        page.goto(site_url + "requirements/by-folder/", wait_until="networkidle")
        section = page.locator("#req-REQ-666")
        assert "Hostile" in section.inner_text()
        hrefs = section.locator("a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
        assert not [
            h for h in hrefs if h and h.strip().lower().startswith(("javascript:", "data:"))
        ]
        assert section.locator("script, iframe, svg, [onclick], [onerror], [onload]").count() == 0
        # the search index holds the hostile title too: its results must stay inert
        page.click("label.md-search__icon, .md-search__input")
        page.locator("input.md-search__input").fill("Hostile")
        page.locator("input.md-search__input").press("End")
        page.wait_for_selector(".md-search-result__item", timeout=20_000)
        page.wait_for_timeout(300)
        assert page.evaluate("() => window.__pwned") is None
    assert holder.problems == []


def test_a_chinese_site_searches_chinese_without_console_errors(
    tmp_path: Path,
    browser: Any,
    run_reqkit_fn: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    repo = make_site_repo(
        tmp_path / "zh", config='ids = ["REQ-{seq:03}"]\n[site]\nlanguage = "zh"\n'
    )
    assert run_reqkit_fn(repo, "site", "build", "--strict").returncode == 0
    handler = functools.partial(_Quiet, directory=str(repo / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    holder = Page(browser)
    try:
        with holder as page:
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/", wait_until="networkidle")
            assert "按状态" in page.inner_text("article")
            page.click("label.md-search__icon, .md-search__input")
            box = page.locator("input.md-search__input")
            box.fill("导出")
            box.press("End")
            page.wait_for_function(
                "() => (document.querySelector('.md-search-result__list') || {}).innerText"
                "?.includes('REQ-002')",
                timeout=20_000,
            )
            assert "符合条件" in page.inner_text(".md-search-result__meta")  # Material in Chinese
    finally:
        server.shutdown()
        server.server_close()
    assert holder.problems == []
