"""Front-matter lines as a teacher types them with a Chinese input method, mended into the
YAML they mean, where that meaning is certain; where it is not, an error at that very line.

Mended: a full-width colon ('title：五月学习'), no space after a known key's colon
('title:五月学习'), U+3000 or no-break spaces around a value, 【】 around a tag list, an
input method's closing quote ('"五月学习”'), and a title, author, summary or description
that YAML would read as something else: '[通知]五月学习', '@全体党员 学习', '#3 学习',
'学习 #3', 'a: b' are the text as typed. Each line stays on its line."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .errors import SiteError

KNOWN_KEYS = frozenset(("title", "date", "author", "tags", "summary", "draft", "pinned", "slug", "updated",
                        "cover", "description", "order", "layout"))
_TEXT_KEYS = frozenset(("title", "author", "summary", "description"))
_WIDE_SPACES = "\u3000\u00a0"
_SPACES = " \t" + _WIDE_SPACES
# A top-level 'key: value' line: an ASCII key at the start (after stray wide spaces only).
_KEY_LINE = re.compile(r"^[\u3000\u00a0]*([A-Za-z_][A-Za-z0-9_]*)[ \t\u3000\u00a0]*([:：])(.*)$")
_BLOCK = re.compile(r"^[|>][-+0-9]*$")
_QUOTED = {'"': re.compile(r'(?:[^"\\]|\\.)*'), "'": re.compile(r"(?:[^']|'')*"),
           "“": re.compile(r"(?!)"), "‘": re.compile(r"(?!)")}
_PAIRS = {'"': '"”', "“": '"”', "'": "'’", "‘": "'’"}


def mend_front_matter(fm_text: str, path: Path, first_line: int) -> str:
    if not fm_text:
        return fm_text
    lines = fm_text.split("\n")
    for index, line in enumerate(lines):
        match = _KEY_LINE.match(line)
        if match is None:
            continue
        key, colon, rest = match.groups()
        if colon == ":" and rest and rest[0] not in _SPACES and key not in KNOWN_KEYS:
            continue  # 'word:thing' under an unknown key: not certainly a key at all
        value = rest.strip(_SPACES)
        later = lines[index + 1 :]
        following = next((line for line in later if line.strip()), "")
        continued = following.startswith((" ", "\t"))  # YAML goes on with the value on the lines below
        where = (path, index + first_line)
        if key in _TEXT_KEYS and value and not continued:
            value = _text(value, where, "\n".join(later))
        elif key == "tags":
            value = _tags(value, continued, where, "\n".join(later))
        lines[index] = f"{key}: {value}" if value else f"{key}:"
    return "\n".join(lines)


def _text(value: str, where: tuple[Path, int], later: str) -> str:
    """A text value as YAML will read it back exactly as it was typed."""
    if _BLOCK.match(value):
        return value  # 'summary: |' and the lines under it
    first, last = value[0], value[-1]
    if first in _PAIRS and len(value) >= 2 and last in _PAIRS[first]:
        inner = value[1:-1]
        if first == last and _QUOTED[first].fullmatch(inner):
            return value  # properly quoted already (escapes and all, as YAML reads them)
        if first in "\"'" or last in "\"'":
            return json.dumps(inner, ensure_ascii=False)  # "五月学习” : the input method's closing quote
        return json.dumps(value, ensure_ascii=False)  # “两学一做”: Chinese quotes belong to the title
    if first in "\"'" and value.count(first) == 1 and first not in later and not any(c in value for c in "“”’"):
        raise SiteError.of(*where, "fm.unclosed_quote", text=value)
    if first == "[" and last == "]" and value.count("[") == 1:
        return value  # a real list: reported as 'not a list' by the checker, not silently joined
    return json.dumps(value, ensure_ascii=False)


def _tags(value: str, continued: bool, where: tuple[Path, int], later: str) -> str:
    if not value:
        return value
    if value[0] in "【［":
        value = "[" + value[1:]
    if value[-1] in "】］":
        value = value[:-1] + "]"
    if value.startswith("[") and "]" not in value and "]" not in later and not continued:
        raise SiteError.of(*where, "fm.unclosed_list", text=value)
    return value
