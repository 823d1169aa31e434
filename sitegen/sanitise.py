"""Cleaning the HTML a post's body turns into: what raw HTML written in Markdown may keep.

Editors are trusted to write posts, not to run code in visitors' browsers, so everything not
listed here is removed (unless the site sets unsafe_html).
"""

from __future__ import annotations

import re

import nh3

# What raw HTML in a post may keep. Everything else, and every on* attribute, is removed.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "time", "tr", "u", "ul", "var", "wbr", "ruby", "rt", "rp",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "rel"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "scope", "style"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "time": {"datetime"},
    "details": {"open"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel", "data"}


_TEXT_ALIGN = re.compile(r"text-align:\s*(left|right|center);?")


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    # data: URLs only as images; a data: link can carry a whole HTML page with scripts.
    if attribute in ("href", "src") and value.strip().lower().startswith("data:"):
        return value if tag == "img" and value.strip().lower().startswith("data:image/") else None
    if attribute == "style":  # only the text-align Python-Markdown writes on table cells
        return value if _TEXT_ALIGN.fullmatch(value.strip()) else None
    return value


_SANITISE_OPTIONS = dict(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "noscript", "form", "textarea", "select"},
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_keep_attribute,
    url_schemes=URL_SCHEMES,
    link_rel=None,
    strip_comments=True,
)
# A Cleaner (nh3 0.2.18 and later) converts the options once instead of on every call.
_CLEANER = nh3.Cleaner(**_SANITISE_OPTIONS) if hasattr(nh3, "Cleaner") else None


def sanitise(html: str) -> str:
    if _CLEANER is not None:
        return _CLEANER.clean(html)
    return nh3.clean(html, **_SANITISE_OPTIONS)  # type: ignore[arg-type]
