"""Full-text search: Pagefind indexes the posts and column intros of a version of the site
(publish.py), given as records of what sitegen knows (search_records.py), not as pages to parse.

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
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import CACHE_DIR
from .errors import SiteError
from .pagefind_service import PagefindService, ServiceError, service_command
from .search_records import Entry, each_payload, entries

if TYPE_CHECKING:
    from .cache import Bodies as BodyStore
    from .model import Post, Site

INDEX_DIR = "pagefind"
INDEX_RECORD = ".sitegen-index.json"  # inside the index folder, written last
_LANGUAGE = {"zh-CN": "zh", "en": "en"}


@dataclass(frozen=True)
class IndexResult:
    seconds: float
    size: int  # bytes of the index on disk


@dataclass(frozen=True)
class SearchSource:
    """What a build gives the index: the site's language and every record it holds."""

    language: str  # the site's (zh-CN, en)
    entries: tuple[Entry, ...]

    @property
    def code(self) -> str:
        return _LANGUAGE.get(self.language, "en")


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
    return SearchSource(site.config.language, tuple(entries(site, body_of)))


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


def index_site(output: Path, source: SearchSource, kept: KeptIndex | None = None) -> IndexResult | SiteError:
    """Indexes the live site (a watcher, after its pages went online) and puts the index live
    in a new version of the site, under the output folder's lock: Pagefind itself runs without
    it, so builds go on meanwhile. With `kept` (a watcher's), only the records that changed since
    its last index are read and given to Pagefind."""
    from .lock import OutputLock
    from .publish import live_folder, republish

    started = time.perf_counter()
    live = live_folder(output)
    if live is None:
        return _problem("search.no_live_version")
    made = _make_index(live, source, output / CACHE_DIR, kept, live / INDEX_DIR)
    if isinstance(made, SiteError):
        return made
    fresh, size = made
    try:
        with OutputLock(output, "search indexing", say=lambda message: None):  # (this process builds meanwhile)
            republish(output, {INDEX_DIR: fresh})
    except OSError as exc:
        return _problem("search.not_updated", reason=exc.strerror)
    finally:
        shutil.rmtree(fresh.parent, ignore_errors=True)
    return IndexResult(time.perf_counter() - started, size)


def _make_index(folder: Path, source: SearchSource, private: Path, kept: KeptIndex | None = None,
                previous: Path | None = None) -> tuple[Path, int] | SiteError:
    """Pagefind's index of `source`'s records, verified and recorded, in a new folder under
    `private` (removed with its parent once used); or the warning saying why there is none.
    The record names the pages of `folder` it belongs with, and the records it holds: an index
    `previous` made from the same records, still whole, is linked instead of made again."""
    try:
        private.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f"pagefind-{os.getpid()}-", dir=private))
    except OSError as exc:
        return _problem("search.not_updated", reason=exc.strerror)
    fresh = work / "index"
    try:
        key, records = pages_key(folder), records_key(source)
        files = _linked(previous, records, fresh) if previous is not None else None
        if files is None and kept is not None:
            files = kept.write(source, fresh)
        elif files is None:
            with KeptIndex() as once:
                files = once.write(source, fresh)
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
        (fresh / INDEX_RECORD).write_text(json.dumps({"pages": key, "records": records, "files": files}), "utf-8")
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        return _problem("search.not_updated", reason=exc.strerror)
    return fresh, sum(files.values())


def records_key(source: SearchSource) -> str:
    """Names everything an index of `source` is made from: each record's key, the index
    language and Pagefind's version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        pagefind = version("pagefind")
    except PackageNotFoundError:
        pagefind = "?"
    named = "\n".join(f"{entry.url} {entry.key}" for entry in source.entries)
    return hashlib.blake2b(f"{pagefind}\n{source.code}\n{named}".encode(), digest_size=16).hexdigest()


def _linked(previous: Path, records: str, fresh: Path) -> dict[str, int] | None:
    """The files of the index `previous`, linked into `fresh`, when it was made from the same
    records and is still whole; else None (and nothing left in `fresh`)."""
    try:
        record = json.loads((previous / INDEX_RECORD).read_text("utf-8"))
        files = record["files"]
        if record.get("records") != records or not isinstance(files, dict):
            return None
        for name, size in files.items():
            target = fresh / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(previous / name, target)
            if target.stat().st_size != size:
                raise ValueError(name)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        shutil.rmtree(fresh, ignore_errors=True)
        return None
    return files


class KeptIndex:
    """An index held by a Pagefind service between writes, with the key of each record in it.
    A watcher keeps one: a save gives Pagefind only the records whose key changed (Pagefind
    replaces a record given again under its URL) and writes the index again. Pagefind cannot
    take a record out, so when one leaves (a post deleted, renamed, made a draft or dated
    later) the index is made anew from every record. Any failure drops what is kept."""

    def __init__(self) -> None:
        self._service: PagefindService | None = None
        self._keys: dict[str, str] = {}  # url -> key of the records the service holds
        self._code = ""

    def __enter__(self) -> KeptIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._service is not None:
            self._service.close()
        self._service, self._keys = None, {}

    def load(self, source: SearchSource) -> None:
        """Gives Pagefind what it lacks of `source` without writing (a watcher, once started)."""
        keys = {entry.url: entry.key for entry in source.entries}
        if self._service is None or self._code != source.code or not keys.keys() >= self._keys.keys():
            self.close()
            self._service = PagefindService({"force_language": source.code}, pagefind_command())
            self._code = source.code
        changed = [entry for entry in source.entries if self._keys.get(entry.url) != entry.key]
        try:
            self._service.add_records(each_payload(changed, source.code))
        except BaseException:
            self.close()
            raise
        self._keys = keys

    def write(self, source: SearchSource, fresh: Path) -> dict[str, int] | None:
        """The index of `source` written into `fresh`: its files and sizes once it reads whole."""
        self.load(source)
        assert self._service is not None
        try:
            self._service.write(fresh)
            return _written(fresh)  # (while the service lives: it may still be writing)
        except BaseException:
            self.close()
            raise


def _written(index: Path, patience: float = 5.0) -> dict[str, int] | None:
    """_readable(index) once Pagefind has finished writing it. Its service answers WriteFiles
    before every file is on disk (pagefind-entry.json was found empty about once in 40 small
    indexes) and drops what is left when it ends, so this waits for the index to read whole."""
    deadline = time.monotonic() + patience
    pause = 0.002
    while (files := _readable(index)) is None and time.monotonic() < deadline:
        time.sleep(pause)
        pause = min(pause * 2, 0.1)
    return files


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
