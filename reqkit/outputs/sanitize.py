"""Every string bound for HTML passes here: requirement text is untrusted.

Python-Markdown passes `<script>`, `onerror=`, `javascript:` links and (with attr_list)
`onclick=` straight into its output, and so does every engine that renders Markdown. So
reqkit renders requirement Markdown itself, with a fixed set of extensions, and cleans
the result with nh3 (Ammonia) before any engine sees it. Plain values (titles, owners,
tags) are escaped, never rendered. Titles that an engine puts into its own templates
(navigation, `<title>`) go through `plain_title`, because those templates do not escape.
"""

from __future__ import annotations

import html
import re
from typing import Any

__all__ = ["attr", "escape", "markdown_html", "plain_title", "safe_url"]

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "dl", "dt", "em",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre",
    "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul", "var",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "ol": {"start"},
}
_SCHEMES = {"http", "https", "mailto"}
_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
_TITLE_CHARS = str.maketrans({"<": "‹", ">": "›", "&": "＆", '"': "”", "`": "'"})
# Braces as entities: template plugins (macros) and attribute syntax never see them.
_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})

# Text that Markdown would only wrap in paragraphs: no markup characters, no line that
# could start a list, heading, quote or code block, no hard line break. Most requirement
# text is like this; rendering it directly saves most of the site's Markdown time.
_MARKUP = re.compile(
    r"[\\`*_\[\]<>&#!|~{}\t\r]|^ |[ ]$|^(?:[-+=]|\d+[.)])|\n\n\n|\A\s|\s\Z", re.MULTILINE
)
_BLANK = re.compile(r"\n\n")

_renderer: Any = None


def _markdown() -> Any:
    """One Markdown instance, reset per text: building it costs more than most texts."""
    global _renderer
    if _renderer is None:
        import markdown

        _renderer = markdown.Markdown(extensions=_EXTENSIONS, output_format="html")
    return _renderer


def markdown_html(text: str) -> str:
    """Requirement Markdown → sanitised HTML (no scripts, handlers, styles or odd URLs).

    Headings start at h3 (a requirement's title is the h2 above it), so the text cannot
    reshape the page or its search sections.
    """
    text = text.rstrip("\n")  # YAML block scalars end with a line break
    if not _MARKUP.search(text):
        return "\n".join(f"<p>{p}</p>" for p in _BLANK.split(text))
    import nh3

    md = _markdown()
    md.reset()
    rendered = md.convert(text)
    rendered = re.sub(r"<(/?)h([12])\b", r"<\1h3", rendered)
    cleaned: str = nh3.clean(
        rendered,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return cleaned.translate(_BRACES)


def escape(value: object) -> str:
    """A plain value as HTML text (quotes too, so it is safe in attributes as well)."""
    return html.escape(str(value), quote=True).translate(_BRACES)


def attr(value: object) -> str:
    """A value for inside a double-quoted attribute."""
    return html.escape(str(value), quote=True)


def safe_url(url: str) -> str | None:
    """`url` when its scheme is http(s) or mailto, or it has none (relative); else None."""
    match = _SCHEME.match(url)
    if match and match.group(1).lower() not in _SCHEMES:
        return None
    if any(ord(c) < 32 for c in url):
        return None
    return url


def plain_title(text: str) -> str:
    """A title for places an engine renders without escaping (nav, `<title>`, search).

    Markup characters become look-alikes, line breaks spaces: such a title can neither
    open a tag nor end an attribute, under any engine or theme.
    """
    return " ".join(text.translate(_TITLE_CHARS).split())
