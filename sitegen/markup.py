"""Markdown -> HTML body, summary, table of contents, plain text and reading time.

Links and images written as paths to source files are rewritten to the URLs of what they
point at by a tree-processor; the caller supplies the lookup, so this module does no I/O.
Raw HTML is cleaned by sanitise.py; the cut summary and reading time are counted by summary.py.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Callable
from urllib.parse import unquote, urlsplit

import markdown
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor, UnescapeTreeprocessor

from . import cjk, inline_pass
from .errors import SiteError
from .sanitise import sanitise
from .summary import cut_summary, reading_minutes

if TYPE_CHECKING:
    from .picture_html import Pictures

# A resolver gets a link target as a filesystem path (relative links already joined to the
# post's folder) and returns its URL, or a message saying why it cannot be linked.
Resolver = Callable[[Path], "str | LinkProblem"]


@dataclass(frozen=True)
class LinkProblem:
    """Why a link cannot be made: a catalogue entry (messages.py), said with {target} and these
    values in the site's language once the link's post and line are known."""

    key: str
    values: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, key: str, **values: str) -> "LinkProblem":
        return cls(key, tuple(values.items()))


@dataclass(frozen=True)
class Rendered:
    body_html: str
    summary_html: str
    toc_html: str
    text: str
    reading_minutes: int
    problems: tuple[SiteError, ...] = ()


_MORE = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)


def is_local(url: str) -> bool:
    """A link written as a path to something in the site's sources (not a URL, not an anchor)."""
    if not url or url.startswith(("#", "/", "?")):
        return False
    split = urlsplit(url)
    return not split.scheme and not split.netloc


_LINK_ATTRIBUTE = {"a": "href", "img": "src"}


class _LinksAndUnescape(UnescapeTreeprocessor):
    """Python-Markdown's last walk over the tree, which restores backslash-escaped characters,
    also rewrites links and images written as paths (on each element before it is unescaped,
    as a separate walk just before it did) and notes whether any element has an id starting
    with 'fnref' (see _TextCollector): one walk instead of three."""

    def __init__(self, md: markdown.Markdown, owner: "MarkdownRenderer") -> None:
        super().__init__(md)
        self.owner = owner

    def run(self, root: etree.Element) -> None:
        job = self.owner.job
        link_attribute = _LINK_ATTRIBUTE.get
        unescape = self.unescape
        fnref = False
        for element in root.iter():
            attribute = link_attribute(element.tag)  # type: ignore[arg-type]
            if attribute is not None:
                self.rewrite(job, element, attribute)
            # What UnescapeTreeprocessor.run does to each element (placeholders only exist
            # where a backslash escape was, so a text without \x02 is left as it is).
            text = element.text
            if text and "\x02" in text and element.tag != "code":
                element.text = unescape(text)
            tail = element.tail
            if tail and "\x02" in tail:
                element.tail = unescape(tail)
            for key, value in element.items():
                if value is not None:
                    if "\x02" in value:
                        element.set(key, unescape(value))
                    if key == "id" and value.startswith("fnref"):
                        fnref = True
        job.fnref = fnref

    @staticmethod
    def rewrite(job: "_Job", element: etree.Element, attribute: str) -> None:
        target = element.get(attribute)
        if not target:
            return
        if target[0] == "/" and not target.startswith("//") and job.rebase:
            # Written from the site's root ('/news/'), but the site lives under base_path.
            rebased = job.rebase(target)
            if rebased:
                element.set(attribute, rebased)
            return
        try:
            if not is_local(target):
                return
            split = urlsplit(target)
        except ValueError:  # such as an unclosed IPv6 bracket: http://[::1/
            job.fail(target, LinkProblem.of("link.invalid"))
            return
        path = unquote(split.path)
        if not path:
            return
        result = job.resolve(job.folder / path)
        if isinstance(result, LinkProblem):
            job.fail(target, result)
            return
        fragment = f"#{split.fragment}" if split.fragment else ""
        element.set(attribute, result + fragment)


class _AttrListWhenUsed(Treeprocessor):
    """The attr_list extension's walk over the tree, skipped for a body without '{': every
    attribute list it looks for starts with one, and no earlier step writes one."""

    def __init__(self, md: markdown.Markdown, owner: "MarkdownRenderer", inner: Treeprocessor) -> None:
        super().__init__(md)
        self.owner = owner
        self.inner = inner

    def run(self, root: etree.Element) -> None:
        if "{" in self.owner.job.body:
            self.inner.run(root)


class _TextCollector(Treeprocessor):
    """Keeps the plain text of the body's paragraphs for summaries, reading time and search."""

    def __init__(self, md: markdown.Markdown, owner: "MarkdownRenderer") -> None:
        super().__init__(md)
        self.owner = owner

    def run(self, root: etree.Element) -> None:
        blocks: list[tuple[str, str]] = []
        # Element.itertext runs in C; it differs from _itertext only inside an element whose
        # id starts with 'fnref', which _LinksAndUnescape has looked for.
        slow = self.owner.job.fnref
        for element in root:
            tag = element.tag
            if tag == "div" and "footnote" in (element.get("class") or ""):
                continue
            if slow:
                text = "".join(_itertext(element))
            else:
                text = "".join(element.itertext())
                tail = element.tail
                if tail:
                    text += tail
            if "\x02" in text:
                text = _STASHED.sub("", text)
            text = cjk.squeeze(text)  # no space between two Chinese characters
            if text:
                blocks.append((tag, text))  # type: ignore[arg-type]
        self.owner.job.blocks = blocks


# Raw HTML waits in Python-Markdown's stash as placeholders until after the tree-processors.
_STASHED = re.compile(r"\x02wzxhzdk:\d+\x03")


def _itertext(element: etree.Element):
    """Like Element.itertext, but without footnote reference numbers."""
    if (element.get("id") or "").startswith("fnref"):
        yield element.tail or ""
        return
    yield element.text or ""
    for child in element:
        yield from _itertext(child)
    yield element.tail or ""


@dataclass(slots=True)
class _Job:
    path: Path
    folder: Path
    body: str
    body_line: int
    resolve: Resolver
    rebase: Callable[[str], str | None] | None = None
    problems: list[SiteError] = field(default_factory=list)
    blocks: list[tuple[str, str]] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    fnref: bool = False  # an element's id starts with 'fnref' (a footnote reference, usually)

    def fail(self, target: str, problem: LinkProblem) -> None:
        nth = self.failures[target] = self.failures.get(target, 0) + 1
        line = self.line_of(target, nth)
        self.problems.append(SiteError.of(self.path, line, problem.key, target=target, **dict(problem.values)))

    def fail_once(self, target: str, problem: LinkProblem) -> None:
        """A raw <img>'s target, unless the tree-processor reported it already (a Markdown
        image that failed keeps its path)."""
        if target not in self.failures:
            self.fail(target, problem)

    def line_of(self, needle: str, nth: int = 1) -> int:
        """Python-Markdown keeps no source positions, so find where the target was written
        (its nth time, when the same target fails more than once)."""
        for candidate in (f"({needle}", f'"{needle}"', f"'{needle}'", needle, unquote(needle)):
            index = -1
            for _ in range(nth):
                index = self.body.find(candidate, index + 1)
                if index < 0:
                    break
            if index >= 0:
                return self.body_line + self.body.count("\n", 0, index)
        return self.body_line


class MarkdownRenderer:
    """One Python-Markdown instance, reset between documents. Building it is the slow part, so
    it is built for the first document: a rebuild from the cache may have none to render."""

    def __init__(self, unsafe_html: bool = False, pictures: "Pictures | None" = None) -> None:
        self.unsafe_html = unsafe_html
        self.pictures = pictures  # rewrites photos' <img> tags once the HTML is clean (picture_html.py)
        self._md: markdown.Markdown | None = None
        self.job: _Job

    @property
    def md(self) -> markdown.Markdown:
        if self._md is None:
            self._md = self._build()
        return self._md

    def _build(self) -> markdown.Markdown:
        md = markdown.Markdown(
            extensions=["tables", "footnotes", "fenced_code", "toc", "sane_lists", "attr_list"],
            extension_configs={
                # Chinese headings keep their characters in the anchor (#学习内容), not #_1.
                "toc": {"slugify": slugify_unicode, "toc_depth": "2-4"},
                "footnotes": {"BACKLINK_TITLE": "↩ %d"},
            },
            output_format="html",
        )
        inline_pass.register(md)  # the same inline pass, without the calls that cannot match
        cjk.register(md)  # line breaks and '#' headings as a Chinese writer means them
        processors = md.treeprocessors
        processors.register(_AttrListWhenUsed(md, self, processors["attr_list"]), "attr_list", 8)
        # Replaces Python-Markdown's own 'unescape' (also priority 0); registered in this order,
        # the text collector still runs after it.
        processors.register(_LinksAndUnescape(md, self), "unescape", 0)
        processors.register(_TextCollector(md, self), "sitegen-text", 0)
        return md

    def render(self, body: str, path: Path, body_line: int, resolve: Resolver, summary: str | None = None,
               rebase: Callable[[str], str | None] | None = None) -> Rendered:
        self.job = _Job(path, path.parent, body, body_line, resolve, rebase)
        self.md.reset()
        html = self.md.convert(body)
        toc_tokens = getattr(self.md, "toc_tokens", [])
        toc_html = self.md.toc if _count_headings(toc_tokens) >= 2 else ""  # type: ignore[attr-defined]
        more = _MORE.search(html)
        text = cjk.squeeze(" ".join(text for _, text in self.job.blocks))
        if summary is not None:
            summary_html = f"<p>{cjk.lines_html(summary)}</p>"
        elif more:
            summary_html = html[: more.start()]
        else:
            summary_html = f"<p>{escape(cut_summary(self.job.blocks))}</p>" if text else ""
        if not self.unsafe_html:
            # The table of contents and cut or front-matter summaries are built from escaped
            # text; only HTML that came from the body itself needs cleaning.
            html = sanitise(html)
            if more and summary is None:
                summary_html = sanitise(summary_html)
        else:
            html = _MORE.sub("", html)
        if self.pictures is not None and "<img" in html:
            job = self.job
            html = self.pictures.rewrite(html, job.folder, job.resolve, job.fail_once)
            if "<img" in summary_html:  # (a list hides them, but a browser fetches a hidden image unless it is lazy)
                summary_html = self.pictures.rewrite(summary_html, job.folder, job.resolve, job.fail_once, lazy=True)
        return Rendered(
            body_html=html,
            summary_html=_strip_footnote_refs(summary_html),
            toc_html=toc_html,
            text=text,
            reading_minutes=reading_minutes(text),
            problems=tuple(self.job.problems),
        )

    def render_fragment(self, body: str, path: Path, body_line: int, resolve: Resolver,
                        rebase: Callable[[str], str | None] | None = None) -> Rendered:
        return self.render(body, path, body_line, resolve, summary="", rebase=rebase)


def _count_headings(tokens: list[dict]) -> int:
    return sum(1 + _count_headings(t.get("children", [])) for t in tokens)


_FOOTNOTE_REF = re.compile(r'<sup id="fnref[^"]*"><a class="footnote-ref"[^>]*>.*?</a></sup>')


def _strip_footnote_refs(html: str) -> str:
    # A summary stands on list pages where the footnotes it points at are not shown.
    if '<sup id="fnref' not in html:
        return html
    return _FOOTNOTE_REF.sub("", html)
