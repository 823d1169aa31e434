"""Full-text search: Pagefind indexes the pages a build has just written.

Pagefind's extended build segments Chinese text into words, and the whole site goes into
one index (force_language), so one search box finds Chinese and English posts alike; by
default Pagefind would split the index by each page's lang and search only one part. The
index is written beside the site first and swapped into output/pagefind/ when complete,
so visitors never see a half-written index."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .cache import CACHE_DIR
from .errors import SiteError, warning

INDEX_DIR = "pagefind"
_LANGUAGE = {"zh-CN": "zh", "en": "en"}


@dataclass(frozen=True)
class IndexResult:
    seconds: float
    size: int  # bytes of the index on disk


def pagefind_command() -> list[str]:
    return [sys.executable, "-m", "pagefind"]


def index_site(output: Path, language: str) -> IndexResult | SiteError:
    """Indexes output/ into output/pagefind/; a problem is a warning, the site itself is fine."""
    import time

    started = time.perf_counter()
    fresh = output / CACHE_DIR / "pagefind-new"
    old = output / CACHE_DIR / "pagefind-old"
    pages = output / CACHE_DIR / PAGES_DIR
    for folder in (fresh, old, pages):
        shutil.rmtree(folder, ignore_errors=True)
    copy_pages(output, pages, _LANGUAGE.get(language, "en"))
    command = pagefind_command() + [
        "--site", str(pages), "--output-path", str(fresh),
        "--force-language", _LANGUAGE.get(language, "en"), "--silent",
        "--glob", "**/*.html",
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(pages, ignore_errors=True)
        return warning(None, None, f"search index not updated: cannot run Pagefind ({exc})",
                       "install it with: pip install 'pagefind[extended]'")
    shutil.rmtree(pages, ignore_errors=True)
    if done.returncode != 0 or not (fresh / "pagefind.js").is_file():
        message = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no index written"]
        return warning(None, None, f"search index not updated: Pagefind failed: {message[0]}",
                       "install it with: pip install 'pagefind[extended]'")
    target = output / INDEX_DIR
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    return IndexResult(time.perf_counter() - started, size)


# --- Chinese character by character (search helper's block) -------------------------------------
# Pagefind cuts Chinese into words twice, with two dictionaries: at build time (the extended build)
# and in the browser for the query (ICU's). Where they disagree, a query that appears in a post
# finds nothing: 党风廉政 in 党风廉政建设, 漫记 in 西行漫记, about one in four random 2-4 character
# runs of the demo's posts; on an English site Chinese is not cut at all. So Pagefind indexes a copy
# of the pages in which each Chinese character is a word of its own, and templates/static/search.js
# sends each Chinese character of a query as a word (as a phrase when the query is one word): every
# run of characters that appears in a post finds it, on a Chinese or an English site alike. The
# separator is a zero-width space on a Chinese site (Pagefind leaves it out of excerpts), a space
# on an English one (where Pagefind splits words only at white space; search.js closes the gaps
# that this leaves between Chinese characters in excerpts). data-pagefind-* attributes, where the
# templates put titles, filters and sort keys, are copied as they are. The copy is made in
# sitegen's private folder for each indexing and removed after it.

PAGES_DIR = "pagefind-pages"
_MARK = "\ue000"  # a private-use character: where a separator goes, until the attributes are restored
_HAN_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_PAGEFIND_ATTRIBUTE = re.compile(f'data-pagefind-[a-z-]+="[^"]*{_MARK}[^"]*"')
_SEPARATOR = {"zh": "\u200b"}  # any other index language: " "


def han_words(html: str, language: str = "zh") -> str:
    """The page with a separator either side of every Chinese character, except in the values of
    data-pagefind-* attributes."""
    marked = _HAN_RUN.sub(lambda run: _MARK + _MARK.join(run.group()) + _MARK, html)
    marked = _PAGEFIND_ATTRIBUTE.sub(lambda attribute: attribute.group().replace(_MARK, ""), marked)
    return marked.replace(_MARK, _SEPARATOR.get(language, " "))


def copy_pages(output: Path, pages: Path, language: str) -> None:
    """Writes han_words() of the pages of `output` that Pagefind will index into `pages`: those with
    data-pagefind-body, or every page when none has it (sitegen's private folders and the index
    left out)."""
    unmarked: list[tuple[Path, str]] = []
    marked = False
    for folder, dirs, files in os.walk(output):
        here = Path(folder)
        dirs[:] = [d for d in dirs if not d.startswith(".") and not (here == output and d == INDEX_DIR)]
        for name in files:
            if name.endswith(".html"):
                source = here / name
                html = source.read_text("utf-8", errors="replace")
                if "data-pagefind-body" in html:
                    marked = True
                    unmarked.clear()
                    _write(pages / source.relative_to(output), han_words(html, language))
                elif not marked:
                    unmarked.append((source, html))
    if not marked:
        for source, html in unmarked:
            _write(pages / source.relative_to(output), han_words(html, language))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
# --- end of the search helper's block ---------------------------------------------------------------
