"""Source text -> front matter with line numbers -> typed metadata. No I/O here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from itertools import islice
from pathlib import Path
from typing import Any, Callable

import yaml

from .config import did_you_mean
from .errors import SiteError, warning

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML that leaves dates as text, so every date goes through parse_date (one set of
    rules, one clear message) instead of PyYAML raising ValueError on 2019-02-30."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

# python-frontmatter's YAMLHandler.detect: the text starts with a line of three or more dashes.
_OPENING = re.compile(r"^-{3,}\s*$", re.MULTILINE)
_BOUNDARY = re.compile(r"^-{3,}[ \t]*$", re.MULTILINE)


def decode_source(data: bytes, path: Path) -> str:
    """Bytes of a Markdown file -> text with LF line endings, or a SiteError saying what to do."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SiteError(path, 1, "the file is encoded as UTF-16 (Notepad's \"Unicode\"), not UTF-8",
                        "open it in your editor and save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)")
    if data.find(b"\x00", 0, 8192) >= 0:
        raise SiteError(path, None, "this is a binary file, not a Markdown text file",
                        "only Markdown (.md) text files belong here; remove it or rename it")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            raise SiteError(path, line, "the file is not UTF-8 text",
                            "open it in your editor and save it with the UTF-8 encoding") from None
        raise SiteError(path, line, "the file is encoded as GBK/GB18030, not UTF-8",
                        "open it in your editor and save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)") from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = drop_controls(text)
    if not text or text.isspace():  # the same as 'not text.strip()', without copying the text
        raise SiteError(path, 1, "the file is empty", "add front matter with a title and a date, then the text")
    return text


# Invisible control characters (pasted from other programs, or YAML escapes like "\x01")
# are not allowed in XML, so one of them would break a whole feed.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def drop_controls(text: str) -> str:
    # The same as text.translate() with a table deleting them, which looks up every character
    # of a non-ASCII text in a dict: about ten times slower on a Chinese post.
    if _CONTROLS.search(text) is None:
        return text
    return _CONTROLS.sub("", text)


# A front-matter value can still hold line breaks after the file's own were made LF: a YAML
# escape ("\r", "\n", "\r\n", "\N", "\L", "\P") or a blank line inside a quoted or block
# value. CRLF is matched first, so it is one break and not two.
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_CR = re.compile(r"\r\n?")


def breaks_to_spaces(text: str) -> str:
    """For a title, an author or a tag: a label shown on one line (a heading, a <title>, a feed
    item, a link). A break in it is whitespace in HTML anyway, but a bare CR would reach the
    published bytes, where HTML and XML readers turn it into LF, so the text shown would not be
    the text written. Each break becomes one space; runs are not collapsed, so that nothing
    else in a label changes."""
    if _LINE_BREAK.search(text) is None:
        return text
    return _LINE_BREAK.sub(" ", text)


def breaks_to_lf(text: str) -> str:
    """For a summary or a description: prose, which may run over lines (a 'summary: |' block),
    so its breaks stay, written as LF like the rest of the file: no CR is ever published."""
    if "\r" not in text:
        return text
    return _CR.sub("\n", text)


def _as_written(text: str) -> str:
    # A slug or a cover names something (an address, a file) and is checked by its own rules;
    # rewriting a break in it would name something else.
    return text


@dataclass(frozen=True)
class Document:
    """A source file split into front matter and body, keeping file line numbers."""

    path: Path
    meta: dict[str, Any]
    key_lines: dict[str, int]
    body: str
    body_line: int  # file line on which body's first line sits

    def line(self, key: str) -> int:
        return self.key_lines.get(key, 1)


def split_document(text: str, path: Path) -> Document:
    fm_text, body_start, body_line = _split(text, path)
    meta, key_lines = _parse_yaml(fm_text, path, 2)  # the line after the opening "---"
    return Document(path, meta, key_lines, text[body_start:], body_line)


def split_body(text: str, path: Path) -> tuple[str, int]:
    """The body of a document whose front matter was read before, and the line it starts on
    (rendering a post reads its file again, and need not parse the YAML again)."""
    _, body_start, body_line = _split(text, path)
    return text[body_start:], body_line


def _split(text: str, path: Path) -> tuple[str, int, int]:
    """(front matter, where the body starts, the body's first line)."""
    if not _OPENING.match(text):
        raise SiteError(path, 1, "the file has no front matter",
                        "start it with a line '---', then 'title: ...' and 'date: ...', then '---'")
    bounds = list(islice(_BOUNDARY.finditer(text, 0), 2))  # a '---' rule in the body is not looked for
    if len(bounds) < 2 or bounds[0].start() != 0:
        raise SiteError(path, 1, "the front matter is never closed",
                        "add a line with just '---' after the last 'key: value' line")
    opening, closing = bounds[0], bounds[1]
    body_start = closing.end() + 1
    return text[opening.end() + 1 : closing.start()], body_start, text.count("\n", 0, body_start) + 1


def _parse_yaml(fm_text: str, path: Path, first_line: int) -> tuple[dict[str, Any], dict[str, int]]:
    loader = _Loader(fm_text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode):
            raise SiteError(path, node.start_mark.line + first_line,
                            "the front matter must be 'key: value' lines",
                            "for example 'title: 主题党日活动' on one line and 'date: 2019-03-05' on the next")
        key_lines: dict[str, int] = {}
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            line = key.start_mark.line + first_line
            if key.value in key_lines:  # YAML would silently keep the last one
                raise SiteError(path, line, f"'{key.value}' appears twice in the front matter (first on line {key_lines[key.value]})",
                                "keep one of them")
            key_lines[key.value] = line
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote is noticed at the end; the line where it opens is the useful one.
        quoted = exc.context_mark is not None and "quoted scalar" in (exc.context or "")
        mark = exc.context_mark if quoted else (exc.problem_mark or exc.context_mark)
        line = mark.line + first_line if mark else None
        problem = exc.problem or "invalid YAML"
        raise SiteError(path, line, f"invalid front matter: {problem}",
                        "check the quotes and the ':' after each key; put quotes around a value that contains ': '") from None
    except yaml.YAMLError as exc:
        raise SiteError(path, first_line, f"invalid front matter: {exc}") from None
    finally:
        loader.dispose()
    return {str(k): v for k, v in data.items()}, key_lines


# ---------------------------------------------------------------- typed metadata

_DATE_RE = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_ZH_DATE_RE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日(?:\s*(\d{1,2})[:：](\d{2}))?$")


def parse_date(value: Any, tz: tzinfo) -> datetime:
    """A front-matter date -> aware datetime; naive values are read in the site's timezone."""
    if isinstance(value, date) and not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"'{value}' has the year {value.year}, which looks mistyped")
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(), tz)
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date")
    text = value.strip()
    match = _DATE_RE.match(text)
    zh = None if match else _ZH_DATE_RE.match(text)
    if not match and not zh:
        raise ValueError(f"'{text}' is not a date")
    parts = (match or zh).groups()  # type: ignore[union-attr]
    year, month, day = (int(p) for p in parts[:3])
    hour, minute, second = (int(p) if p else 0 for p in (parts[3:6] if match else (*parts[3:5], None)))
    zone: tzinfo = tz
    offset = parts[6] if match else None
    if offset:
        zone = datetime.strptime(("+0000" if offset == "Z" else offset.replace(":", "")), "%z").tzinfo  # type: ignore[assignment]
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"'{text}' has the year {year}, which looks mistyped")
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError:
        raise ValueError(f"'{text}' is not a real date or time") from None


# Before 1900 zone data uses local mean time (+08:05:43), which no feed or page can state.
MIN_YEAR, MAX_YEAR = 1900, 2200

_DATE_HINT = "write it as 2019-03-05, 2019-03-05 08:30 or 2019-03-05T08:30:00+08:00"

POST_KEYS = ("title", "date", "author", "tags", "summary", "draft", "pinned", "slug", "updated", "cover")
COLUMN_KEYS = ("title", "description", "order", "layout")


@dataclass(frozen=True)
class PostMeta:
    title: str
    date: datetime
    author: str | None = None
    tags: tuple[str, ...] = ()
    summary: str | None = None
    draft: bool = False
    pinned: bool = False
    slug: str | None = None
    updated: datetime | None = None
    cover: str | None = None


@dataclass(frozen=True)
class ColumnMeta:
    title: str
    description: str = ""
    order: int = 1000
    layout: str = "list"


@dataclass
class _Checker:
    """Reads fields of one document, collecting every problem instead of stopping at the first."""

    doc: Document
    problems: list[SiteError] = field(default_factory=list)

    def fail(self, key: str, message: str, hint: str | None = None) -> None:
        self.problems.append(SiteError(self.doc.path, self.doc.line(key), message, hint))

    def unknown_keys(self, known: tuple[str, ...]) -> None:
        for key in self.doc.meta:
            if key not in known:
                hint = did_you_mean(key, known) or f"known keys: {', '.join(known)}"
                self.problems.append(warning(self.doc.path, self.doc.line(key), f"unknown front matter key '{key}' is ignored", hint))

    def text(self, key: str, required: bool = False, breaks: Callable[[str], str] = _as_written) -> str | None:
        value = self.doc.meta.get(key)
        if value is None:
            if required:
                self.problems.append(SiteError(self.doc.path, 1 if key not in self.doc.key_lines else self.doc.line(key),
                                               f"'{key}' is missing from the front matter", f"add a line '{key}: ...'"))
            return None
        if isinstance(value, bool):  # YAML reads yes/no/on/off as true/false
            self.fail(key, f"'{key}' must be plain text, not true/false",
                      f"put the value in quotes, like '{key}: \"yes\"'")
            return None
        if not isinstance(value, (str, int, float)):
            self.fail(key, f"'{key}' must be plain text, not {_kind(value)}",
                      f"write it on one line, like '{key}: 主题党日活动'")
            return None
        text = breaks(drop_controls(str(value))).strip()  # breaks first: one at an end is stripped
        if required and not text:
            self.fail(key, f"'{key}' is empty")
            return None
        return text or None

    def flag(self, key: str) -> bool:
        value = self.doc.meta.get(key, False)
        if not isinstance(value, bool):
            self.fail(key, f"'{key}' must be true or false, not {value!r}")
            return False
        return value

    def when(self, key: str, tz: tzinfo, required: bool = False) -> datetime | None:
        if key not in self.doc.meta or self.doc.meta[key] is None:
            if required:
                self.problems.append(SiteError(self.doc.path, 1, f"'{key}' is missing from the front matter",
                                               f"add a line '{key}: 2019-03-05'"))
            return None
        try:
            return parse_date(self.doc.meta[key], tz)
        except ValueError as exc:
            self.fail(key, f"'{key}': {exc}", _DATE_HINT)
            return None

    def tags(self, key: str) -> tuple[str, ...]:
        value = self.doc.meta.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = re.split(r"[,，、]", value)
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
            self.fail(key, f"'{key}' must be a list of words",
                      f"write it as '{key}: [专题学习, 党课]' or one '- tag' per line")
            return ()
        seen: dict[str, None] = {}
        for tag in (breaks_to_spaces(drop_controls(str(v))).strip() for v in value):
            if tag:
                seen.setdefault(tag, None)
        return tuple(seen)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of keys"
    if isinstance(value, bool):
        return "true/false"
    return type(value).__name__


def post_meta(doc: Document, tz: tzinfo) -> tuple[PostMeta | None, list[SiteError]]:
    check = _Checker(doc)
    check.unknown_keys(POST_KEYS)
    title = check.text("title", required=True, breaks=breaks_to_spaces)
    when = check.when("date", tz, required=True)
    meta_fields = dict(
        author=check.text("author", breaks=breaks_to_spaces),
        tags=check.tags("tags"),
        summary=check.text("summary", breaks=breaks_to_lf),
        draft=check.flag("draft"),
        pinned=check.flag("pinned"),
        slug=check.text("slug"),
        updated=check.when("updated", tz),
        cover=check.text("cover"),
    )
    if any(p.is_error for p in check.problems) or title is None or when is None:
        return None, check.problems
    return PostMeta(title=title, date=when, **meta_fields), check.problems  # type: ignore[arg-type]


def column_meta(doc: Document) -> tuple[ColumnMeta | None, list[SiteError]]:
    check = _Checker(doc)
    check.unknown_keys(COLUMN_KEYS)
    title = check.text("title", required=True, breaks=breaks_to_spaces)
    description = check.text("description", breaks=breaks_to_lf) or ""
    order = doc.meta.get("order", 1000)
    if isinstance(order, bool) or not isinstance(order, int):
        check.fail("order", f"'order' must be a whole number, not {order!r}", "for example 'order: 2'")
        order = 1000
    layout = doc.meta.get("layout", "list")
    if layout not in ("list", "page"):
        check.fail("layout", f"'layout' must be 'list' or 'page', not {layout!r}",
                   "use 'layout: page' for a column that is a single page with no posts")
    if any(p.is_error for p in check.problems) or title is None:
        return None, check.problems
    return ColumnMeta(title=title, description=description, order=order, layout=layout), check.problems
