"""Front matter (front.py) -> typed metadata: titles, dates in the site's time zone, tags. No I/O here."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from typing import Any, Callable

from .errors import SiteError
from .front import Document, decode_source, drop_controls, split_body, split_document

__all__ = ["Document", "decode_source", "drop_controls", "split_body", "split_document",
           "PostMeta", "ColumnMeta", "post_meta", "column_meta", "parse_date"]

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


# ---------------------------------------------------------------- typed metadata

_DATE_RE = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[ T](\d{1,2})[:：](\d{2})(?:[:：](\d{2})(?:\.\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_ZH_DATE_RE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日(?:\s*(\d{1,2})[:：](\d{2}))?$")
_WIDE_SPACES = re.compile(r"[\u3000\u00a0]+")


class DateProblem(ValueError):
    """Why a date was refused: a message key (messages_front.py) and its values."""

    def __init__(self, key: str, text: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, {"text": text, **values}


def parse_date(value: Any, tz: tzinfo) -> datetime:
    """A front-matter date -> aware datetime; naive values are read in the site's timezone.
    '2026-11-20 15：30' (a full-width colon) and wide spaces are read as typed."""
    if isinstance(value, date) and not MIN_YEAR <= value.year <= MAX_YEAR:
        raise DateProblem("date.year", str(value), year=value.year)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(), tz)
    if not isinstance(value, str):
        raise DateProblem("date.not_date", repr(value))
    text = _WIDE_SPACES.sub(" ", value).strip()
    match = _DATE_RE.match(text)
    zh = None if match else _ZH_DATE_RE.match(text)
    if not match and not zh:
        raise DateProblem("date.not_date", text)
    parts = (match or zh).groups()  # type: ignore[union-attr]
    year, month, day = (int(p) for p in parts[:3])
    hour, minute, second = (int(p) if p else 0 for p in (parts[3:6] if match else (*parts[3:5], None)))
    zone: tzinfo = tz
    offset = parts[6] if match else None
    if offset:
        try:  # (an offset of 24 hours or more, +99:99 say, is no place's)
            zone = datetime.strptime(("+0000" if offset == "Z" else offset.replace(":", "")), "%z").tzinfo  # type: ignore[assignment]
        except ValueError:
            raise DateProblem("date.not_real", text) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateProblem("date.year", text, year=year)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError:
        raise DateProblem("date.not_real", text) from None


# Before 1900 zone data uses local mean time (+08:05:43), which no feed or page can state.
MIN_YEAR, MAX_YEAR = 1900, 2200

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

    def fail(self, key: str, message_key: str, **values: object) -> None:
        self.problems.append(SiteError.of(self.doc.path, self.doc.line(key), message_key, key=key, **values))

    def unknown_keys(self, known: tuple[str, ...]) -> None:
        for key in self.doc.meta:
            if key not in known:
                like = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
                where = (self.doc.path, self.doc.line(key))
                self.problems.append(SiteError.of(*where, "fm.unknown_key_like", "warning", key=key, like=like[0]) if like
                                     else SiteError.of(*where, "fm.unknown_key", "warning", key=key, known=", ".join(known)))

    def text(self, key: str, required: bool = False, breaks: Callable[[str], str] = _as_written) -> str | None:
        value = self.doc.meta.get(key)
        if value is None:
            if required:
                self.problems.append(SiteError.of(self.doc.path, 1 if key not in self.doc.key_lines else self.doc.line(key),
                                                  "fm.missing", key=key))
            return None
        if isinstance(value, bool):  # YAML reads yes/no/on/off as true/false
            self.fail(key, "fm.text_not_bool")
            return None
        if not isinstance(value, (str, int, float)):
            self.fail(key, "fm.text_not_list" if isinstance(value, list) else "fm.text_not_group")
            return None
        text = breaks(drop_controls(str(value))).strip()  # breaks first: one at an end is stripped
        if required and not text:
            self.fail(key, "fm.empty_value")
            return None
        return text or None

    def flag(self, key: str) -> bool:
        value = self.doc.meta.get(key, False)
        if not isinstance(value, bool):
            self.fail(key, "fm.flag", value=repr(value))
            return False
        return value

    def when(self, key: str, tz: tzinfo, required: bool = False) -> datetime | None:
        if key not in self.doc.meta or self.doc.meta[key] is None:
            if required:
                self.problems.append(SiteError.of(self.doc.path, 1, "fm.missing_date", key=key))
            return None
        try:
            return parse_date(self.doc.meta[key], tz)
        except DateProblem as problem:
            self.fail(key, problem.key, **problem.values)
            return None

    def tags(self, key: str) -> tuple[str, ...]:
        """A list, or text split at commas (full-width too) and 、, as an input method types them."""
        value = self.doc.meta.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value.strip().strip("[]【】［］")]
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
            self.fail(key, "fm.tags")
            return ()
        seen: dict[str, None] = {}
        for item in value:
            for tag in _TAG_SEPARATORS.split(breaks_to_spaces(drop_controls(str(item)))):
                tag = tag.strip(_TAG_STRIP)
                if tag:
                    seen.setdefault(tag, None)
        return tuple(seen)


_TAG_SEPARATORS = re.compile(r"[,，、;；]")
_TAG_STRIP = " \t\u3000\u00a0\"'“”‘’#＃"


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
        check.fail("order", "col.order", value=repr(order))
        order = 1000
    layout = doc.meta.get("layout", "list")
    if layout not in ("list", "page"):
        check.fail("layout", "col.layout", value=repr(layout))
    if any(p.is_error for p in check.problems) or title is None:
        return None, check.problems
    return ColumnMeta(title=title, description=description, order=order, layout=layout), check.problems
