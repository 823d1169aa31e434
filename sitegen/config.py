"""site.toml -> a frozen, validated SiteConfig."""

from __future__ import annotations

import difflib
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
_TYPE_NAMES = {str: "a string", int: "a whole number", float: "a number", bool: "true or false"}
_REQUIRED = ("title", "base_url")


def _line_of(text: str, key: str) -> int | None:
    match = re.search(rf"^[ \t]*(?:{re.escape(key)}\s*=|\[+\s*{re.escape(key)}\s*\])", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


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
        match = re.search(r"line (\d+)", str(exc))
        raise SiteError(path, int(match.group(1)) if match else None, f"invalid TOML: {exc}") from None
    return parse_config(raw, text, path)


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
            raise SiteError(path, line, f"unknown setting '{key}'", did_you_mean(key, known))
        expected = _TYPES[key]
        ok = isinstance(value, expected) and not (isinstance(value, bool) and bool not in expected)
        if not ok:
            names = " or ".join(_TYPE_NAMES[t] for t in expected)
            raise SiteError(path, line, f"'{key}' must be {names}, not {value!r}")
        values[key] = value
    for key in _REQUIRED:
        if key not in values:
            raise SiteError(path, None, f"'{key}' is required in {CONFIG_NAME}")

    def fail(key: str, message: str, hint: str | None = None) -> SiteError:
        return SiteError(path, _line_of(text, key), message, hint)

    base_url = values["base_url"]
    split = urlsplit(base_url)
    if split.scheme not in ("http", "https") or not split.netloc:
        raise fail("base_url", f"base_url must be an absolute http(s) URL, not {base_url!r}",
                   'for example "http://intranet.example.edu.cn/party/"')
    base_path = values.get("base_path", split.path or "/")
    if not base_path.startswith("/") or "//" in base_path or ".." in base_path or "\\" in base_path:
        raise fail("base_path", f"base_path must be a path starting with '/', not {base_path!r}",
                   'for example "/party/"')
    values["base_path"] = base_path.rstrip("/") + "/"
    values["base_url"] = base_url if base_url.endswith("/") else base_url + "/"
    language = values.get("language", "zh-CN")
    if language not in LANGUAGES:
        raise fail("language", f"language must be one of {', '.join(LANGUAGES)}, not {language!r}",
                   did_you_mean(language, LANGUAGES))
    try:
        ZoneInfo(values.get("timezone", "Asia/Shanghai"))
    except (ZoneInfoNotFoundError, ValueError):
        raise fail("timezone", f"unknown timezone {values['timezone']!r}",
                   'use a name such as "Asia/Shanghai"') from None
    for key in ("posts_per_page", "home_posts_per_column", "feed_limit", "max_file_size_mb"):
        if key in values and values[key] <= 0:
            raise fail(key, f"'{key}' must be greater than 0")
    # --- work report ---
    month = values.get("academic_year_start_month", 9)
    if not 1 <= month <= 12:
        raise fail("academic_year_start_month", f"'academic_year_start_month' must be a month from 1 to 12, not {month}",
                   "9 for an academic year from September to August")
    for key, meaning in (("author_threshold", "0 marks no author"), ("stale_days", "0 turns the check off")):
        if key in values and values[key] < 0:
            raise fail(key, f"'{key}' must be 0 or more, not {values[key]}", meaning)
    study = values.get("study_column", "study")
    if study != study.strip() or "/" in study or "\\" in study:
        raise fail("study_column", f"'study_column' must be a column's folder name, not {study!r}",
                   'for example "study"')
    # --- end work report ---
    quality = values.get("photo_quality", 80)
    if not 1 <= quality <= 100:
        raise fail("photo_quality", f"'photo_quality' must be from 1 to 100, not {quality}", "80 suits photos")
    return SiteConfig(**values)
