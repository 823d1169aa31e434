"""site.toml -> a frozen, validated SiteConfig."""

from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import SiteError
from .i18n import LANGUAGES
from .sources import read_file

CONFIG_NAME = "site.toml"
CONFIG_LIMIT = 1 << 20  # a settings file is a few hundred bytes; anything near this is not one


@dataclass(frozen=True)
class SiteConfig:
    title: str
    base_url: str
    description: str = ""
    base_path: str = "/"
    language: str = "zh-CN"
    timezone: str = "Asia/Shanghai"
    posts_per_page: int = 10
    home_posts_per_column: int = 5
    feed_limit: int = 20
    feed_full_content: bool = True
    max_file_size_mb: float = 5.0
    unsafe_html: bool = False
    search: bool = True
    # --- work report (sitegen/report.py) ---
    report: bool = True  # the /report/ pages
    academic_year_start_month: int = 9
    study_column: str = "study"  # the Special Study column's folder name; "" for none
    author_threshold: int = 1  # authors with fewer posts in a year are marked
    report_authors: bool = False  # the published report shows posts per person (sitegen report always does)
    stale_days: int = 60  # a column with no post for longer is flagged; 0 turns that off
    # --- end work report ---
    # --- photos (sitegen/photo_set.py) ---
    photo_quality: int = 80  # WebP quality of the published versions, 1-100
    photo_originals: bool = False  # also publish each photo whole (upright, stripped) as the link to open

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def max_file_size(self) -> int:
        return int(self.max_file_size_mb * 1024 * 1024)

    def absolute(self, url: str) -> str:
        """Turns a site URL (which already starts with base_path) into an absolute one."""
        split = urlsplit(self.base_url)
        return f"{split.scheme}://{split.netloc}{url}"


# What each key must hold; bool is checked before int because bool is an int in Python.
_TYPES: dict[str, tuple[type, ...]] = {
    "title": (str,),
    "base_url": (str,),
    "description": (str,),
    "base_path": (str,),
    "language": (str,),
    "timezone": (str,),
    "posts_per_page": (int,),
    "home_posts_per_column": (int,),
    "feed_limit": (int,),
    "feed_full_content": (bool,),
    "max_file_size_mb": (int, float),
    "unsafe_html": (bool,),
    "search": (bool,),
    # --- work report ---
    "report": (bool,),
    "academic_year_start_month": (int,),
    "study_column": (str,),
    "author_threshold": (int,),
    "report_authors": (bool,),
    "stale_days": (int,),
    # --- end work report ---
    "photo_quality": (int,),
    "photo_originals": (bool,),
}
_TYPE_KEYS = {(str,): "config.type_str", (int,): "config.type_int", (int, float): "config.type_number",
              (bool,): "config.type_bool"}
_REQUIRED = ("title", "base_url")
_DEFAULTS = {f.name: f.default for f in fields(SiteConfig) if f.name not in _REQUIRED}


def _line_of(text: str, key: str) -> int | None:
    match = re.search(rf"^[ \t]*(?:{re.escape(key)}\s*=|\[+\s*{re.escape(key)}\s*\])", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def closest(word: str, choices: list[str] | tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def _example(key: str, value: Any, expected: tuple[type, ...]) -> str:
    """The line to type for a value of the wrong kind: the value itself where it can be read
    as the right kind ("10" -> 10), else the setting's default."""
    if str in expected:
        return f"{key} = {json.dumps(str(value), ensure_ascii=False)}"
    text = str(value).strip().lower()
    if bool in expected:
        right = {"true": "true", "yes": "true", "是": "true", "false": "false", "no": "false", "否": "false"}.get(text)
        return f"{key} = {right or str(_DEFAULTS.get(key, True)).lower()}"
    if re.fullmatch(r"\d+", text) or (float in expected and re.fullmatch(r"\d+\.\d+", text)):
        return f"{key} = {text}"
    if isinstance(value, float) and int in expected and float not in expected and value > 0:
        return f"{key} = {round(value)}"
    return f"{key} = {_DEFAULTS.get(key, 1)}"


def load_config(root: Path) -> SiteConfig:
    """Reads root/site.toml; raises SiteError naming the key and line on any mistake."""
    path = root / CONFIG_NAME
    data = read_file(path, CONFIG_LIMIT)  # (a FIFO there is never opened, so it cannot hang the build)
    if isinstance(data, SiteError) and _missing(path):
        raise SiteError.of(path, None, "config.missing", root=root)
    if isinstance(data, SiteError):
        raise data
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SiteError.of(path, None, "config.not_utf8") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_problem(path, text, str(exc)) from None
    return parse_config(raw, text, path)


# tomllib's reasons, as the catalogue words that say them to a teacher
_TOML_REASONS = (
    ("Invalid value", "word.toml.value"),
    ("Expected '=' after a key", "word.toml.equals"),
    ("Illegal character '\\n'", "word.toml.unterminated"),
    ("Unterminated string", "word.toml.unterminated"),
    ("Cannot overwrite a value", "word.toml.twice"),
    ("Cannot declare", "word.toml.twice"),
    ("Invalid statement", "word.toml.statement"),
    ("Expected newline or end of document", "word.toml.more"),
    ("Invalid initial character for a key", "word.toml.key"),
)
# What a Chinese input method types where site.toml needs ASCII: the quotes, =, a wide space.
_IME = {"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\uff1d": "=", "\uff1a": "=", "\u3000": " "}


def _toml_problem(path: Path, text: str, reason: str) -> SiteError:
    """A line site.toml cannot read: the input method's quotes or = on it shown with the line to
    type instead, else tomllib's reason in the site's words."""
    match = re.search(r"line (\d+)", reason)
    line = int(match.group(1)) if match else None
    if line is not None:
        typed = text.splitlines()[line - 1] if line <= len(text.splitlines()) else ""
        name = re.match(r"\s*([^\s=＝：]+)\s*[=＝：]", typed)
        if name and not name.group(1).isascii():  # 标题 = "…": the settings have English names
            return SiteError.of(path, line, "config.chinese_key", key=name.group(1))
        parts = re.split(r'("[^"\n]*")', typed)  # (inside straight quotes, a Chinese quote is just text)
        outside = "".join(parts[0::2])
        chars = "".join(dict.fromkeys(c for c in outside if c in _IME))
        if chars:
            fixed = "".join(part if i % 2 else "".join(_IME.get(c, c) for c in part) for i, part in enumerate(parts))
            fixed = re.sub(r"^\s*([\w.-]+)\s*=\s*", r"\1 = ", fixed).strip()
            return SiteError.of(path, line, "config.toml_ime", chars=" ".join(chars), fixed=fixed)
    word = next((word for start, word in _TOML_REASONS if reason.startswith(start)), None)
    if line is None and word == "word.toml.twice":  # tomllib says "at end of document": find the second one
        seen: set[str] = set()
        for number, typed in enumerate(text.splitlines(), 1):
            name = re.match(r"\s*([\w.-]+)\s*=", typed)
            if name and name.group(1) in seen:
                line = number
                break
            seen.add(name.group(1) if name else "")
    return SiteError.of(path, line, "config.toml", reason=word or reason)


def _missing(path: Path) -> bool:
    """Not there at all (rather than there but unreadable, which read_file says)."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        pass
    return False


def parse_config(raw: dict[str, Any], text: str, path: Path) -> SiteConfig:
    known = [f.name for f in fields(SiteConfig)]
    values: dict[str, Any] = {}
    for key, value in raw.items():
        line = _line_of(text, key)
        if key not in _TYPES:
            close = closest(key, known)
            raise SiteError.of(path, line, "config.unknown_close" if close else "config.unknown", key=key, close=close)
        expected = _TYPES[key]
        ok = isinstance(value, expected) and not (isinstance(value, bool) and bool not in expected)
        if not ok:
            raise SiteError.of(path, line, _TYPE_KEYS[expected], key=key, value=repr(value),
                               example=_example(key, value, expected))
        values[key] = value
    for key in _REQUIRED:
        if key not in values:
            raise SiteError.of(path, None, f"config.required_{key}")

    def fail(key: str, message_key: str, value: Any, **more: Any) -> SiteError:
        return SiteError.of(path, _line_of(text, key), message_key, key=key, value=repr(value), **more)

    base_url = values["base_url"]
    split = urlsplit(base_url)
    if split.scheme not in ("http", "https") or not split.netloc:
        raise fail("base_url", "config.base_url", base_url)
    base_path = values.get("base_path", split.path or "/")
    if not base_path.startswith("/") or "//" in base_path or ".." in base_path or "\\" in base_path:
        raise fail("base_path", "config.base_path", base_path)
    values["base_path"] = base_path.rstrip("/") + "/"
    values["base_url"] = base_url if base_url.endswith("/") else base_url + "/"
    language = values.get("language", "zh-CN")
    if language not in LANGUAGES:
        close = closest(language, LANGUAGES)
        raise fail("language", "config.language_close" if close else "config.language", language, languages=", ".join(LANGUAGES),
                   close=close)
    try:
        ZoneInfo(values.get("timezone", "Asia/Shanghai"))
    except (ZoneInfoNotFoundError, ValueError):
        raise fail("timezone", "config.timezone", values["timezone"]) from None
    for key in ("posts_per_page", "home_posts_per_column", "feed_limit", "max_file_size_mb"):
        if key in values and values[key] <= 0:
            raise fail(key, "config.positive", values[key], default=_DEFAULTS[key])
    # --- work report ---
    month = values.get("academic_year_start_month", 9)
    if not 1 <= month <= 12:
        raise SiteError.of(path, _line_of(text, "academic_year_start_month"), "config.month", value=month)
    for key in ("author_threshold", "stale_days"):
        if key in values and values[key] < 0:
            raise SiteError.of(path, _line_of(text, key), f"config.{key}", value=values[key])
    study = values.get("study_column", "study")
    if study != study.strip() or "/" in study or "\\" in study:
        raise fail("study_column", "config.study_column", study)
    # --- end work report ---
    quality = values.get("photo_quality", 80)
    if not 1 <= quality <= 100:
        raise SiteError.of(path, _line_of(text, "photo_quality"), "config.photo_quality", value=quality)
    return SiteConfig(**values)
