"""What the search index holds, made from what sitegen already knows: one record per published
post and per column intro (a single-page column's text too), never a draft's or a post that a
--future preview shows before it is due. Pagefind gets these as records (search.py) instead of
parsing every page again.

The names the search page is built against (templates/static/search.js): filters `column` and
`tag`; meta `title`, `date` (as the site shows it), `column` and `sort` (ISO 8601); sort keys `newest` and `oldest`
(a post's date; an intro, which has none, comes after the posts either way). Tags and the
column's title are in the searchable text too, so a post tagged 党课 is found by 党课.

Each record has a key naming everything it is made from (the body by its digest), so an index
can tell which records changed without reading a body; the text is made only when asked."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .i18n import Translator
from .model import Column, Post, Site

# Between two table cells, list items, headings or paragraphs: Pagefind's Chinese index drops
# white space from excerpts, so cells would run together ("日常工作党课杨建华6月").
BREAK = " · "
_BLOCKS = frozenset("address article aside blockquote caption dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 "
                    "h6 header hr li main nav ol p pre section table tbody td tfoot th thead tr ul br".split())
_SKIPPED = frozenset(("script", "style", "template"))
_ENDS_CHINESE_SENTENCE = frozenset("。！？；：")
_ENDS_SENTENCE = frozenset(".!?;:")
_SPACES = re.compile(r"\s+")
INTRO_SORT = {"newest": "0000", "oldest": "9999"}


@dataclass(frozen=True)
class SearchRecord:
    url: str  # from the site's root, as Pagefind links it below its bundle's folder: /column/slug/
    title: str
    column: str
    date: str  # as the site shows it; "" for a column intro
    sort_date: str  # ISO 8601; "" for a column intro
    tags: tuple[str, ...]
    text: str  # the article's plain text, blocks kept apart

    def payload(self, language: str) -> dict[str, object]:
        """Pagefind's AddRecord request for this record in an index of `language` (search.INDEX_LANGUAGE)."""
        # The title, column and tags lead the text, so that they are found. The search page takes
        # its excerpts from after them: templates/static/search_index.js (textStart) finds where
        # the text begins by their characters and one BREAK after each, as made here.
        words = [self.title, self.column, *self.tags, self.text]
        content = BREAK.join(w for w in words if w)
        meta = {"title": self.title, "column": self.column}
        if self.date:
            meta["date"] = self.date
        if self.sort_date:  # (search.js merges the shards' results by it: search_shards.py)
            meta["sort"] = self.sort_date
        filters = {"column": [self.column]}
        if self.tags:
            filters["tag"] = list(self.tags)
        sort = {"newest": self.sort_date, "oldest": self.sort_date} if self.sort_date else dict(INTRO_SORT)
        return {"url": self.url, "content": han_words_text(content), "language": language,
                "meta": meta, "filters": filters, "sort": sort}


@dataclass(frozen=True)
class Entry:
    """A record named by its key; make() reads what it needs (a body from the store)."""

    url: str
    key: str
    make: Callable[[], SearchRecord]
    intro: bool = False  # a column's: kept in the index's first shard (search_shards.py)


def entries(site: Site, body_of: Callable[[Post], str]) -> list[Entry]:
    """Every record the site's index holds, in a stable order. body_of(post) gives a post's
    body HTML (read back from the store when the record is made)."""
    translator = Translator(site.config.language)
    base = site.config.base_path
    found: list[Entry] = []
    for column in site.columns:  # (a column's first page, or its only one)
        found.append(_intro(column, base))
    for post in site.posts:
        if post.draft or post.scheduled:
            continue
        found.append(_post(post, base, translator.date(post.date), body_of))
    return found


def _post(post: Post, base: str, shown_date: str, body_of: Callable[[Post], str]) -> Entry:
    url = _url(post.url, base)
    tags = tuple(tag.name for tag in post.tags)
    parts = ("post", url, post.title, post.column.title, shown_date, post.date.isoformat(), *tags)
    key = _key(*parts, post.body.digest)

    def make() -> SearchRecord:
        return SearchRecord(url, post.title, post.column.title, shown_date, post.date.isoformat(), tags,
                            plain_text(body_of(post)))
    return Entry(url, key, make)


def _intro(column: Column, base: str) -> Entry:
    url = _url(column.url, base)
    text = _joined((column.description, plain_text(column.intro_html)))
    record = SearchRecord(url, column.title, column.title, "", "", (), text)
    return Entry(url, _key("intro", url, column.title, text), lambda: record, intro=True)


def format_key() -> str:
    """Changes with this module's code, which makes every record's text: an index made by an
    earlier sitegen is made again, not kept because its records' sources are the same."""
    return hashlib.blake2b(Path(__file__).read_bytes(), digest_size=16).hexdigest()


def _url(url: str, base: str) -> str:
    return "/" + url[len(base):] if url.startswith(base) else url


def _key(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


# Chinese character by character. Pagefind cuts Chinese into words twice, with two dictionaries:
# at build time (the extended build) and in the browser for the query (ICU's). Where they
# disagree, a query that appears in a post finds nothing: 党风廉政 in 党风廉政建设, 漫记 in 西行漫记,
# about one in four random 2-4 character runs of the demo's posts. So each Chinese character of a
# record's text is a word of its own, and templates/static/search.js sends each Chinese character
# of a query as a word (as a phrase when the query is one word): every run of characters that
# appears in a post finds it, on a Chinese or an English site alike. Every index is made in
# Pagefind's English mode, which splits words at white space only (its Chinese mode would cut the
# characters into words again, at a third more of Pagefind's time: bench/RESULTS.md). So a space
# sets each Chinese character apart where the text has none; an author's own space beside a
# Chinese character is told from those by a word joiner after it (SPACE_MARK: kept in Pagefind's
# text, left out of its words), so that the search page can take out the others again and keep
# it (search_index.js). Meta and filters are as they are.

SPACE_MARK = "\u2060"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Beside a Chinese character: no space there (where one goes), a space there (the author's).
_HAN_GAP = re.compile(f"(?<=[{_HAN}])(?=[^\\s{SPACE_MARK}])|(?<=[^\\s{SPACE_MARK}])(?=[{_HAN}])")
_AUTHORS_SPACE = re.compile(f"(?<=[{_HAN}])\\s+(?=\\S)|(?<=\\S)\\s+(?=[{_HAN}])")


def han_words_text(text: str) -> str:
    """Plain text with a space either side of every Chinese character; where the text had one,
    a SPACE_MARK after it."""
    marked = _AUTHORS_SPACE.sub(" " + SPACE_MARK, text.replace(SPACE_MARK, ""))
    return _HAN_GAP.sub(" ", marked)


_MARKUP = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>|<[!?][^>]*>", re.S)
# A footnote's number in the text and its way back ("↩"): marks to click, not words to find or read.
_FOOTNOTE_MARKS = re.compile(r'<a class="footnote-(?:ref|backref)"[^>]*>.*?</a>', re.S)


def plain_text(html: str) -> str:
    """The words of an HTML fragment, as a visitor reads them: blocks (cells, items, headings,
    paragraphs) kept apart by BREAK where their text does not end a sentence. Bodies are
    sanitised HTML (sanitise.py), so tags are matched by a pattern, not a parser (a fifth of
    the time at 10,000 posts)."""
    if 'class="footnote-' in html:
        html = _FOOTNOTE_MARKS.sub("", html)
    if "\x00" in html or _SKIPPED_TAG.search(html):
        return _joined(_blocks_one_by_one(html))
    # Every tag at once: a block's tag becomes a NUL (sanitised HTML has none of its own), any
    # other tag nothing; the same tags as _blocks_one_by_one matches, in the same order.
    marked = _MARKUP.sub(lambda tag: "\x00" if (tag.group(2) or "").lower() in _BLOCKS else "", html)
    return _joined(part.strip() for part in _SPACES.sub(" ", unescape(marked)).split("\x00"))


_SKIPPED_TAG = re.compile(r"<(?:script|style|template)\b", re.I)


def _blocks_one_by_one(html: str) -> list[str]:
    """The text of each block, tag by tag: what a script, a style or a template holds is not
    markup, and is left out up to its end tag."""
    parts: list[str] = []
    current: list[str] = []

    def close_block() -> None:
        text = _SPACES.sub(" ", unescape("".join(current))).strip()
        current.clear()
        parts.append(text)
    position = 0
    while (tag := _MARKUP.search(html, position)) is not None:
        current.append(html[position:tag.start()])
        position = tag.end()
        name = (tag.group(2) or "").lower()
        if name in _SKIPPED and not tag.group(1):  # its content is not markup: up to its end tag
            end = html.lower().find(f"</{name}", position)
            position = len(html) if end < 0 else html.find(">", end) + 1 or len(html)
        elif name in _BLOCKS:
            close_block()
    current.append(html[position:])
    close_block()
    return parts


def _joined(parts: Iterable[str]) -> str:
    """The blocks' texts, the empty ones left out, each after the one before: after the end of a
    sentence directly (Chinese) or with a space, else with BREAK."""
    joined: list[str] = []
    for part in parts:
        if part:
            if joined:
                end = joined[-1][-1]
                joined.append("" if end in _ENDS_CHINESE_SENTENCE else " " if end in _ENDS_SENTENCE else BREAK)
            joined.append(part)
    return "".join(joined)


def each_payload(chosen: list[Entry], language: str) -> Iterator[dict[str, object]]:
    for entry in chosen:
        yield entry.make().payload(language)
