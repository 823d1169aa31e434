"""Full-text search: Pagefind indexes the posts and column intros of a version of the site
(publish.py), given as records of what sitegen knows (search_records.py), not as pages to parse.

Each Chinese character is a word of the index (search_records.han_words_text), and the whole
site goes into one index of one language (force_language), so one search box finds Chinese and
English posts alike; by default Pagefind would split the index by each page's lang and search
only one part.

An index is verified, not trusted: Pagefind writes it into a private folder, and it joins a
version of the site only when every file is there, none is empty and its entry file reads.
It then carries a record (INDEX_RECORD) of its files and sizes, of the pages it was made
from and of each shard's records, so a build finds an index missing, cut short (a kill, a full
disk) or made from other pages, and makes again only the shards whose records changed
(search_shards.py)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .cache import CACHE_DIR
from .errors import SiteError
from .pagefind_service import ServiceError, service_command
from .search_records import Entry, entries, format_key
from .search_removed import carry_removed, mark_removed, write_removed
from .search_shards import make_shards, shard_count, split

if TYPE_CHECKING:
    from .cache import Bodies as BodyStore
    from .model import Post, Site

INDEX_DIR = "pagefind"
INDEX_RECORD = ".sitegen-index.json"  # inside the index folder, written last
# Pagefind's language for every index, whatever the site's: its English mode, which splits words
# at white space only. search_records.han_words_text sets each Chinese character apart already;
# Pagefind's Chinese mode would cut them into words again, for a third more of its time
# (bench/RESULTS.md). English words are stemmed, on a Chinese site as on an English one.
INDEX_LANGUAGE = "en"


@dataclass(frozen=True)
class IndexResult:
    seconds: float
    size: int  # bytes of the index on disk


@dataclass(frozen=True)
class SearchSource:
    """What a build gives the index: every record it holds."""

    entries: tuple[Entry, ...]


def pagefind_command() -> list[str]:
    """The command that starts Pagefind's service (tests put a fake one in its place)."""
    return service_command()


def search_source(site: Site, bodies: BodyStore) -> SearchSource:
    """Every record of `site`'s index; a post's body is read back from the store (`bodies`)
    only when its record is made, through a connection of the thread that makes it."""
    from .bodies import with_body
    from .cache import Bodies

    readers: dict[int, Bodies] = {}

    def body_of(post: Post) -> str:
        reader = readers.setdefault(threading.get_ident(), Bodies(bodies.cache, bodies.again))
        return str(with_body(post, reader).body_html)
    return SearchSource(tuple(entries(site, body_of)))


def removed_marker(source: SearchSource) -> Callable[[Path], None]:
    """For a version of the site that keeps the live index (a watcher's build, which indexes
    after): marks what the index holds that `source` no longer does (search_removed.py)."""
    return lambda folder: mark_removed(folder / INDEX_DIR, source)


def _problem(key: str, **values: object) -> SiteError:
    return SiteError.of(None, None, key, "warning", **values)


def index_folder(folder: Path, source: SearchSource, private: Path,
                 previous: Path | None = None) -> IndexResult | SiteError:
    """Indexes the records of a version of the site not yet live (`folder`) into folder/pagefind/,
    working in a folder of its own under `private` (sitegen's cache folder). A problem is a
    warning, and folder/pagefind/ is then left alone: the site itself is fine. `previous`: the
    live index, taken as it is when it was made from the same records (a template edited)."""
    started = time.perf_counter()
    made = _make_index(folder, source, private, previous=previous)
    if isinstance(made, SiteError):
        return made
    fresh, size = made
    try:
        shutil.rmtree(folder / INDEX_DIR, ignore_errors=True)
        os.rename(fresh, folder / INDEX_DIR)
    except OSError as exc:
        shutil.rmtree(fresh.parent, ignore_errors=True)
        return _problem("search.not_updated", reason=exc.strerror)
    shutil.rmtree(fresh.parent, ignore_errors=True)
    return IndexResult(time.perf_counter() - started, size)


def index_site(output: Path, source: SearchSource) -> IndexResult | SiteError:
    """Indexes the live site (a watcher, after its pages went online) and puts the index live
    in a new version of the site, under the output folder's lock: Pagefind itself runs without
    it, so builds go on meanwhile. Only the shards whose records changed since the live index
    are made again (and only their records read)."""
    from .lock import OutputLock
    from .publish import live_folder, republish

    started = time.perf_counter()
    live = live_folder(output)
    if live is None:
        return _problem("search.no_live_version")
    made = _make_index(live, source, output / CACHE_DIR, live / INDEX_DIR)
    if isinstance(made, SiteError):
        return made
    fresh, size = made
    try:
        with OutputLock(output, "search indexing", say=lambda message: None):  # (this process builds meanwhile)
            now_live = live_folder(output)
            if now_live is not None:  # (a build may have removed a post meanwhile)
                carry_removed(fresh, now_live / INDEX_DIR)
            republish(output, {INDEX_DIR: fresh})
    except OSError as exc:
        return _problem("search.not_updated", reason=exc.strerror)
    finally:
        shutil.rmtree(fresh.parent, ignore_errors=True)
    return IndexResult(time.perf_counter() - started, size)


def _make_index(folder: Path, source: SearchSource, private: Path, previous: Path | None = None) -> tuple[Path, int] | SiteError:
    """Pagefind's index of `source`'s records, in shards (search_shards.py), verified and
    recorded, in a new folder under `private` (removed with its parent once used); or the
    warning saying why there is none. The record names the pages of `folder` it belongs with,
    the records it holds and each shard's key: a shard of the index `previous` made from the
    same records, still whole, is linked instead of made again."""
    try:
        private.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f"pagefind-{os.getpid()}-", dir=private))
    except OSError as exc:
        return _problem("search.not_updated", reason=exc.strerror)
    fresh = work / "index"
    try:
        records = records_key(source)
        before = _record(previous) if previous is not None else None
        count = shard_count(len(source.entries), _shards_in(before))
        shards = split(source.entries, count, _salt())
        fresh.mkdir()
        with ThreadPoolExecutor(max_workers=1) as aside:  # (while Pagefind works)
            pages = aside.submit(pages_key, folder)
            files = make_shards(shards, INDEX_LANGUAGE, fresh, before, previous, pagefind_command())
            key = pages.result()
    except ServiceError as exc:
        shutil.rmtree(work, ignore_errors=True)
        return _problem("search.pagefind_failed", reason=str(exc))
    except OSError as exc:  # a page or the store went away while it was read
        shutil.rmtree(work, ignore_errors=True)
        return _problem("search.not_updated", reason=exc.strerror or str(exc))
    if files is None:
        shutil.rmtree(work, ignore_errors=True)
        return _problem("search.incomplete")
    try:
        record = {"pages": key, "records": records, "files": files, "shards": [shard.key for shard in shards],
                  "format": format_key()}
        write_removed(fresh, {})  # (made from the version's own records: none removed)
        (fresh / INDEX_RECORD).write_text(json.dumps(record), "utf-8")
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        return _problem("search.not_updated", reason=exc.strerror)
    return fresh, sum(files.values())


def _record(index: Path) -> dict[str, object] | None:
    try:
        record = json.loads((index / INDEX_RECORD).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _shards_in(record: dict[str, object] | None) -> int | None:
    shards = record.get("shards") if record is not None else None
    return len(shards) if isinstance(shards, list) else None


def _salt() -> str:
    """What every record of an index has in common: Pagefind's version, the index language and
    the code that makes records."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        pagefind = version("pagefind")
    except PackageNotFoundError:
        pagefind = "?"
    return f"{pagefind}\n{INDEX_LANGUAGE}\n{format_key()}"


def records_key(source: SearchSource) -> str:
    """Names everything an index of `source` is made from: each record's key, the index
    language and Pagefind's version."""
    named = "\n".join(f"{entry.url} {entry.key}" for entry in source.entries)
    return hashlib.blake2b(f"{_salt()}\n{named}".encode(), digest_size=16).hexdigest()


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
        # (and made by this sitegen's records: an upgrade that changes them indexes again)
        return record["pages"] == pages_key(folder) and record.get("format") == format_key()
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def pages_key(folder: Path) -> str:
    """Names every page in `folder` by path, inode, size and modification time: a page written
    again is a new file, while a page a version links from the last keeps all four."""
    found = []
    top = str(folder)
    for here, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if not d.startswith(".") and not (here == top and d == INDEX_DIR)]
        relative = here[len(top) + 1:] or "."  # (os.path.relpath costs a third of the walk)
        for name in files:
            if name.endswith(".html"):
                info = os.stat(f"{here}/{name}")
                found.append(f"{relative}/{name}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}")
    found.sort()
    return hashlib.blake2b("\n".join(found).encode(), digest_size=16).hexdigest()
