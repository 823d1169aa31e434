"""Line breaks and spaces as a Chinese writer means them.

The rule (README, "Line breaks"): in a paragraph, a line break next to a Chinese character or
Chinese punctuation is a line break on the page (<br>), as in WeChat or Word, so a notice's
'时间：…' / '地点：…' lines stay lines; between two English words it is a space, as Markdown
has it. In any plain text sitegen makes (summaries, meta descriptions, search text), white
space between two Chinese characters is dropped: Chinese has no spaces between words, and a
browser or feed reader would show one. '#话题#' is text; a heading is '# ' with a space."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from html import escape

import markdown
from markdown.blockprocessors import HashHeaderProcessor
from markdown.inlinepatterns import InlineProcessor

# Chinese characters and the punctuation a Chinese input method types (。，、；：？！“”‘’（）《》【】…—).
_CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2018\u2019\u201c\u201d\u2026\u2014"
_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")
_BREAK_BY_CJK = f"(?<=[{_CJK}])[ \\t]*\\n|\\n(?=[ \\t]*[{_CJK}])"


def squeeze(text: str) -> str:
    """Whitespace runs as one space, none at the ends, and none between two Chinese characters."""
    text = " ".join(text.split())
    if text.isascii():
        return text
    return _BETWEEN_CJK.sub("", text)


_IS_CJK = re.compile(f"[{_CJK}]")


def lines_html(text: str) -> str:
    """Typed text (a front matter summary) as HTML, its line breaks by the same rule as a body's."""
    lines = [" ".join(line.split()) for line in text.strip().split("\n")]
    html = escape(lines[0])
    for before, line in zip(lines, lines[1:]):
        if not line:
            continue
        chinese = bool(before and _IS_CJK.match(before[-1])) or bool(_IS_CJK.match(line[0]))
        html += ("<br>\n" if chinese else " ") + escape(line)
    return html


class _ChineseBreak(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # type: ignore[override]
        element = etree.Element("br")
        element.tail = "\n"
        return element, m.start(0), m.end(0)


class _SpacedHashHeader(HashHeaderProcessor):
    """A heading needs a space after its '#'s, as in CommonMark: '#党史学习教育#' (a WeChat topic) is text."""

    RE = re.compile(r"(?:^|\n)(?P<level>#{1,6})(?=[ \t]|\n|$)(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)")


def register(md: markdown.Markdown) -> None:
    """Adds the rule above to a Python-Markdown instance (after its own inline patterns)."""
    md.inlinePatterns.register(_ChineseBreak(_BREAK_BY_CJK, md), "sitegen-cjk-break", 5)
    md.parser.blockprocessors.register(_SpacedHashHeader(md.parser), "hashheader", 70)
