"""Full-text search: Pagefind indexes the pages of a version of the site (publish.py).

Pagefind's extended build segments Chinese text into words, and the whole site goes into
one index (force_language), so one search box finds Chinese and English posts alike; by
default Pagefind would split the index by each page's lang and search only one part.

An index is verified, not trusted: Pagefind writes it into a private folder, and it joins a
version of the site only when every file is there, none is empty and its entry file reads.
It then carries a record (INDEX_RECORD) of its files and sizes and of the pages it was made
from, so a build finds an index missing, cut short (a kill, a full disk) or made from other
pages, and makes it again even when no page changed."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .cache import CACHE_DIR
from .errors import SiteError, warning

INDEX_DIR = "pagefind"
INDEX_RECORD = ".sitegen-index.json"  # inside the index folder, written last
_LANGUAGE = {"zh-CN": "zh", "en": "en"}
_HINT = "install it with: pip install 'pagefind[extended]'"


@dataclass(frozen=True)
class IndexResult:
    seconds: float
    size: int  # bytes of the index on disk


def pagefind_command() -> list[str]:
    return [sys.executable, "-m", "pagefind"]


def index_folder(folder: Path, language: str, private: Path) -> IndexResult | SiteError:
    """Indexes the pages of a version of the site not yet live (`folder`) into folder/pagefind/,
    working in a folder of its own under `private` (sitegen's cache folder). A problem is a
    warning, and folder/pagefind/ is then left alone: the site itself is fine."""
    started = time.perf_counter()
    made = _make_index(folder, language, private)
    if isinstance(made, SiteError):
        return made
    fresh, size = made
    try:
        shutil.rmtree(folder / INDEX_DIR, ignore_errors=True)
        os.rename(fresh, folder / INDEX_DIR)
    except OSError as exc:
        shutil.rmtree(fresh.parent, ignore_errors=True)
        return warning(None, None, f"search index not updated: {exc.strerror}")
    shutil.rmtree(fresh.parent, ignore_errors=True)
    return IndexResult(time.perf_counter() - started, size)


def index_site(output: Path, language: str) -> IndexResult | SiteError:
    """Indexes the live site (a watcher, after its pages went online) and puts the index live
    in a new version of the site, under the output folder's lock: Pagefind itself runs without
    it, so builds go on meanwhile."""
    from .lock import OutputLock
    from .publish import live_folder, republish

    started = time.perf_counter()
    live = live_folder(output)
    if live is None:
        return warning(None, None, "search index not updated: the site has no live version")
    made = _make_index(live, language, output / CACHE_DIR)
    if isinstance(made, SiteError):
        return made
    fresh, size = made
    try:
        with OutputLock(output, "search indexing", say=lambda message: None):  # (this process builds meanwhile)
            republish(output, {INDEX_DIR: fresh})
    except OSError as exc:
        return warning(None, None, f"search index not updated: {exc.strerror}")
    finally:
        shutil.rmtree(fresh.parent, ignore_errors=True)
    return IndexResult(time.perf_counter() - started, size)


def _make_index(folder: Path, language: str, private: Path) -> tuple[Path, int] | SiteError:
    """Pagefind's index of the pages in `folder`, verified and recorded, in a new folder under
    `private` (removed with its parent once used); or the warning saying why there is none."""
    code = _LANGUAGE.get(language, "en")
    try:
        private.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f"pagefind-{os.getpid()}-", dir=private))
    except OSError as exc:
        return warning(None, None, f"search index not updated: {exc.strerror}")
    fresh, pages = work / "index", work / PAGES_DIR
    try:
        key = pages_key(folder)
        copy_pages(folder, pages, code)
        command = pagefind_command() + ["--site", str(pages), "--output-path", str(fresh),
                                        "--force-language", code, "--silent", "--glob", "**/*.html"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(work, ignore_errors=True)
        return warning(None, None, f"search index not updated: cannot run Pagefind ({exc})", _HINT)
    shutil.rmtree(pages, ignore_errors=True)
    files = _readable(fresh) if done.returncode == 0 else None
    if files is None:
        shutil.rmtree(work, ignore_errors=True)
        message = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["its index is incomplete or unreadable"]
        return warning(None, None, f"search index not updated: Pagefind failed: {message[0]}", _HINT)
    try:
        (fresh / INDEX_RECORD).write_text(json.dumps({"pages": key, "files": files}), "utf-8")
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        return warning(None, None, f"search index not updated: {exc.strerror}")
    return fresh, sum(files.values())


def _readable(index: Path) -> dict[str, int] | None:
    """Every file of a fresh index with its size, if it is complete: its script and entry file
    are there, the entry file reads, and no file is empty (a full disk leaves empty files)."""
    files: dict[str, int] = {}
    for path in index.rglob("*"):
        if path.is_file():
            files[path.relative_to(index).as_posix()] = path.stat().st_size
    try:
        entry = json.loads((index / "pagefind-entry.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if "pagefind.js" not in files or not isinstance(entry, dict) or not entry.get("languages"):
        return None
    return files if all(files.values()) else None


def index_valid(folder: Path) -> bool:
    """Whether folder/pagefind/ is an index sitegen verified, still whole, made from exactly the
    pages now in `folder`."""
    index = folder / INDEX_DIR
    try:
        record = json.loads((index / INDEX_RECORD).read_text("utf-8"))
        files = record["files"]
        base = f"{index}/"
        if not all(os.stat(base + name).st_size == size for name, size in files.items()):
            return False
        return record["pages"] == pages_key(folder)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def pages_key(folder: Path) -> str:
    """Names every page in `folder` by path, inode, size and modification time: a page written
    again is a new file, while a page a version links from the last keeps all four."""
    found = []
    for here, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".") and not (here == str(folder) and d == INDEX_DIR)]
        for name in files:
            if name.endswith(".html"):
                info = os.stat(f"{here}/{name}")
                found.append(f"{os.path.relpath(here, folder)}/{name}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}")
    found.sort()
    return hashlib.blake2b("\n".join(found).encode(), digest_size=16).hexdigest()


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
