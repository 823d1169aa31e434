"""Slugs, URLs and output paths. Everything content-derived passes through here, and
nothing it returns can point outside the output folder."""

from __future__ import annotations

import multiprocessing
import re
import sys
import unicodedata
from multiprocessing.connection import Connection
from pathlib import PurePosixPath
from urllib.parse import quote

MAX_SLUG = 200  # characters: file systems take at most 255 bytes a name

# Atomic, so '2019-05-05' is not read as the prefix '2019-05-' of a post named '05'.
_DATE_PREFIX = re.compile(r"^(?>\d{4}[-_]\d{1,2}(?:[-_]\d{1,2})?|\d{8})[-_ ]+(?=.)")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]+")


def strip_date_prefix(name: str) -> str:
    """'2019-05-party-lesson' -> 'party-lesson'; a name that is only a date stays."""
    return _DATE_PREFIX.sub("", name, count=1)


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by '-'; Chinese becomes pinyin ('党建动态' -> 'dang-jian-dong-tai')."""
    if text.isascii():
        return _NON_SLUG.sub("-", text.lower()).strip("-")
    # Each Han run is spelled out syllable by syllable, separated from its neighbours.
    spelled = _HAN.sub(_spell_han, text)
    ascii_text = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode("ascii")
    return _NON_SLUG.sub("-", ascii_text.lower()).strip("-")


_NON_SLUG = re.compile(r"[^a-z0-9]+")


def _spell_han(match: re.Match[str]) -> str:
    # pypinyin loads its phrase dictionary on import (a sizeable share of sitegen's start-up),
    # so it is imported only when a Han character is first slugified.
    from pypinyin import Style, lazy_pinyin

    return " " + " ".join(lazy_pinyin(match.group(0), style=Style.NORMAL)) + " "


def spell_apart(texts: list[str]) -> dict[str, str]:
    """slugify for many texts at once, in a short-lived child process unless pypinyin is loaded
    here already: its dictionaries (about 50 MB) then never enter this process, which may live
    long (a watcher) and fork workers that would each carry them."""
    if not texts:
        return {}
    if "pypinyin" in sys.modules or "fork" not in multiprocessing.get_all_start_methods():
        return {text: slugify(text) for text in texts}
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_spell_into, args=(texts, writer), daemon=True)
    child.start()
    writer.close()
    try:
        spelled = reader.recv()
    except EOFError:  # the child died: spell here after all
        spelled = [slugify(text) for text in texts]
    finally:
        reader.close()
        child.join()
    return dict(zip(texts, spelled))


def _spell_into(texts: list[str], writer: Connection) -> None:
    writer.send([slugify(text) for text in texts])
    writer.close()


def unsafe_slug_reason(slug: str) -> str | None:
    """Why a slug written by hand cannot be used as one path segment (a message's key), or None if it can."""
    if "/" in slug or "\\" in slug:
        return "post.slug_slash"
    if ".." in slug:
        return "post.slug_dots"
    return None


def join_url(base_path: str, *segments: str) -> str:
    """base_path + quoted segments + '/' : the URL of a folder page."""
    # Most segments are slugs, which need no quoting: quote() costs more than the check.
    path = "/".join(s if _UNRESERVED.fullmatch(s) else quote(s, safe="") for s in segments if s)
    return base_path + (path + "/" if path else "")


_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]+")  # what quote() leaves as it is


def file_url(base_path: str, relpath: str) -> str:
    """URL of a copied file at relpath (POSIX, relative to the output root)."""
    return base_path + "/".join(quote(part, safe="") for part in relpath.split("/"))


def page_output(url_path: str) -> str:
    """Folder-style URL path (without base_path) -> 'a/b/index.html'."""
    return (url_path.strip("/") + "/index.html").lstrip("/")


def safe_relpath(relpath: str) -> str:
    """Checks that relpath stays inside the output folder and returns it normalised."""
    pure = PurePosixPath(relpath)
    if pure.is_absolute() or any(part in ("..", "") for part in pure.parts) or "\\" in relpath:
        raise ValueError(f"output path escapes the site: {relpath!r}")
    return pure.as_posix()
