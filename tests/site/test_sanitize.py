"""Requirement Markdown → HTML: what survives sanitising, and the plain-text fast path."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reqkit.outputs import sanitize

HOSTILE = [
    ("<script>alert(1)</script>text", "<script"),
    ('<img src=x onerror="alert(1)">', "onerror"),
    ("[click](javascript:alert(1))", "javascript:"),
    ("[click](JaVaScRiPt:alert(1))", "javascript"),
    ("[data](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
    ('<a href="#" onclick="alert(1)">x</a>', "onclick"),
    ('A paragraph {: onclick="alert(1)" }', "<p onclick"),
    ('<iframe src="https://example.com"></iframe>', "<iframe"),
    ('<svg onload="alert(1)"></svg>', "<svg"),
    ('<p style="position:fixed">x</p>', "style="),
    ('<div id="search" class="md-search">x</div>', 'id="search"'),
    ("{{ config.site_name }}", "{{"),
    ("<!-- a comment -->", "<!--"),
    ("# Heading one", "<h1"),
]


@pytest.mark.parametrize(("text", "forbidden"), HOSTILE)
def test_hostile_markdown_loses_everything_active(text: str, forbidden: str) -> None:
    html = sanitize.markdown_html(text)
    assert forbidden.lower() not in html.lower(), html
    assert not re.search(r"<[^>]*\son\w+=", html), html


def test_ordinary_markdown_survives() -> None:
    html = sanitize.markdown_html(
        "Intro with **bold**, `code` and a [link](https://example.com/a?b=1).\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two\n\n```\nx = {1}\n```\n"
    )
    for part in ("<strong>bold</strong>", "<code>code</code>", "<table>", "<li>one</li>"):
        assert part in html
    assert (
        'href="https://example.com/a?b=1"' in html and 'rel="noopener noreferrer nofollow"' in html
    )
    assert "x = &#123;1&#125;" in html  # braces reach the page as text, never as template syntax


def test_plain_values_and_titles_are_inert() -> None:
    assert (
        sanitize.escape('<b onclick="x">{a}</b>')
        == "&lt;b onclick=&quot;x&quot;&gt;&#123;a&#125;&lt;/b&gt;"
    )
    title = sanitize.plain_title('Hostile <img src=x onerror="a"> & co\nnext')
    assert not re.search(r'[<>&"\n]', title) and "Hostile" in title
    assert sanitize.safe_url("javascript:alert(1)") is None
    assert sanitize.safe_url("https://example.com") == "https://example.com"


_ALPHABET = st.sampled_from([*"ab 1.\n-*_#>`[]()<&!:'\"=+\t", "导出", "  ", "\n\n", "1. ", "    "])


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_the_plain_text_fast_path_renders_exactly_like_markdown(text: str) -> None:
    fast = sanitize.markdown_html(text)
    full = _full(text)
    assert fast == full


def _full(text: str) -> str:
    original = sanitize._MARKUP
    sanitize._MARKUP = re.compile(r"(?s).")  # every text takes the full Markdown path
    try:
        return sanitize.markdown_html(text)
    finally:
        sanitize._MARKUP = original
