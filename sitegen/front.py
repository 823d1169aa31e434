"""Source bytes -> text -> front matter with line numbers (a Document). No I/O here.

Before YAML reads the front matter, each top-level line is mended where an input method's
habit has a certain meaning (ime.py); nothing moves between lines, so every line number stays."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import yaml

from .errors import SiteError
from .ime import mend_front_matter

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
        raise SiteError.of(path, 1, "enc.utf16")
    if data.find(b"\x00", 0, 8192) >= 0:
        raise SiteError.of(path, None, "enc.binary")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            raise SiteError.of(path, line, "enc.not_utf8") from None
        raise SiteError.of(path, line, "enc.gbk") from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = drop_controls(text)
    if not text or text.isspace():  # the same as 'not text.strip()', without copying the text
        raise SiteError.of(path, 1, "file.empty")
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
    fm_text = mend_front_matter(fm_text, path, 2)
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
        raise SiteError.of(path, 1, "fm.none")
    bounds = list(islice(_BOUNDARY.finditer(text, 0), 2))  # a '---' rule in the body is not looked for
    if len(bounds) < 2 or bounds[0].start() != 0:
        raise SiteError.of(path, 1, "fm.unclosed")
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
            raise SiteError.of(path, node.start_mark.line + first_line, "fm.not_mapping")
        key_lines: dict[str, int] = {}
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            line = key.start_mark.line + first_line
            if key.value in key_lines:  # YAML would silently keep the last one
                raise SiteError.of(path, line, "fm.twice", key=key.value, first=key_lines[key.value])
            key_lines[key.value] = line
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote is noticed at the end; the line where it opens is the useful one.
        quoted = exc.context_mark is not None and "quoted scalar" in (exc.context or "")
        mark = exc.context_mark if quoted else (exc.problem_mark or exc.context_mark)
        index = mark.line if mark else 0
        lines = fm_text.split("\n")
        text = lines[index].strip() if index < len(lines) else ""
        raise SiteError.of(path, index + first_line if mark else None, "fm.yaml",
                           problem=exc.problem or "invalid YAML", text=text) from None
    except yaml.YAMLError as exc:
        raise SiteError.of(path, first_line, "fm.yaml", problem=str(exc), text="") from None
    finally:
        loader.dispose()
    return {str(k): v for k, v in data.items()}, key_lines
