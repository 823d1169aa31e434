"""What the sources and the output looked like after the last good build, by file status
(size, times, inode), the way git's index knows a checkout is clean without reading it.

Two uses: a build whose sources, output, settings and sitegen are all as the last good build
left them finishes at once, without loading anything; and any other build trusts the
recorded content hash of a source whose status is unchanged instead of reading it again.

This module stays light (standard library only): the no-change path must not pay for
importing Markdown, Jinja or the pinyin dictionary."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from stat import S_ISDIR
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Collection

STORE_FILE = "cache.sqlite"  # the reuse store, in the cache folder (cache.py); the state is its row in `state`,
# JSON, so reading it cannot run code
FORMAT = 2
# File times tick with the kernel's clock, coarser than time.time_ns(): a file changed within
# this long before a scan could change again with the same status, so it is not trusted.
RACY_NS = 50_000_000
# Some file systems (FAT, some network shares) keep whole seconds, or two: a time with no
# fraction of a second is taken to come from one of those.
COARSE_RACY_NS = 2_000_000_000

Status = tuple[int, int, int, int]  # mtime_ns, ctime_ns, size, inode


def _status(stat: os.stat_result) -> Status:
    return (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)


@dataclass
class Scan:
    """Every file and folder under the given roots, with its status; taken before a build reads
    anything, so a change made while it runs shows up in the next build's scan."""

    started_ns: int
    entries: dict[str, Status | None] = field(default_factory=dict)  # None: not to be trusted
    # A symlink followed, or a folder that could not be read: what changes behind it is not
    # reported at a path the scan holds, so only a whole scan can be brought up to date.
    whole_only: bool = False
    # folder_keys' answers, by parent, with the folders in it to work out again (Scan.again).
    _keys: dict[str, tuple[dict[str, str | None], set[str]]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, roots: list[Path]) -> "Scan":
        scan = cls(time.time_ns())
        for root in roots:
            scan._add(str(root))
        return scan

    @classmethod
    def again(cls, previous: "Scan", roots: list[Path], changed: Collection[str]) -> "Scan":
        """`previous` brought up to date by looking again only at the files a watcher was told
        changed since it was taken, the folders holding them, and whatever `previous` did not
        trust (a file saved just before it). A folder made or removed, or a scan that met
        symlinks or unreadable folders, is scanned whole (of): what such a folder holds is known
        from listing it, not from events."""
        if previous.whole_only:
            return cls.of(roots)
        scan = cls(time.time_ns(), dict(previous.entries))
        tops = {str(root) for root in roots}
        inside = tuple(top + os.sep for top in tops)
        files = {path for path in changed if path in tops or path.startswith(inside)}
        folders = set()
        for folder in map(os.path.dirname, files):
            if folder in previous.entries:
                folders.add(folder)
            elif folder in tops or folder.startswith(inside):
                return cls.of(roots)  # a file in a new folder: the folder is new to the scan
        untrusted = {path for path, status in previous.entries.items() if status is None}
        for path in files | folders | untrusted:
            try:
                info = os.stat(path)
            except OSError:
                below = path + os.sep
                if path in folders or any(key.startswith(below) for key in scan.entries):
                    return cls.of(roots)  # a folder gone (or one that cannot be looked at now)
                scan.entries.pop(path, None)
                continue
            if S_ISDIR(info.st_mode) and (path in files or path not in previous.entries):
                return cls.of(roots)  # a new folder: its files are found by listing it
            scan.entries[path] = scan._trusted(info)
        looked = files | folders | untrusted
        for parent, (keys, redo) in previous._keys.items():
            again = redo | {top for top in keys if top in looked or any(p.startswith(top + os.sep) for p in looked)}
            scan._keys[parent] = ({top: key for top, key in keys.items() if top not in again}, again)
        return scan

    def _add(self, path: str) -> None:
        try:
            stat = os.stat(path)
        except OSError:
            return  # missing (a site without static/, say): absent from the scan
        self.entries[path] = self._trusted(stat)
        if not os.path.isdir(path):
            return
        # A symlinked folder is followed, as the loader follows it, only while it stays inside
        # the site (the folder holding the root) and does not lead to a folder holding it: the
        # loader refuses the others, and following them could walk a whole disk, or for ever.
        site = os.path.realpath(os.path.dirname(path))
        stack = [path]
        seen = {(stat.st_dev, stat.st_ino)}
        while stack:
            folder = stack.pop()
            try:
                with os.scandir(folder) as entries:
                    children = list(entries)
            except OSError:
                self.entries[folder] = None
                self.whole_only = True
                continue
            for entry in children:
                try:
                    stat = entry.stat()  # follows symlinks, as the loader does
                except OSError:
                    self.entries[entry.path] = None
                    self.whole_only = True
                    continue
                if entry.is_symlink():
                    self.whole_only = True
                self.entries[entry.path] = self._trusted(stat)
                if entry.is_dir() and (stat.st_dev, stat.st_ino) not in seen:
                    if entry.is_symlink() and not _may_follow(entry.path, site):
                        continue
                    seen.add((stat.st_dev, stat.st_ino))
                    stack.append(entry.path)

    def folder_keys(self, parent: Path) -> dict[str, str | None]:
        """For each folder in `parent`, by its path: a digest of the statuses of the folder and
        of everything under it, when the scan vouches for every one of them (see digest_of),
        else None. (One pass over the scan for all of them: asked of every column; a scan brought
        up to date works out again only the folders holding what it looked at again.)"""
        inside = str(parent) + os.sep
        if inside in self._keys:
            keys, redo = self._keys[inside]
            for top in redo:
                keys[top] = self._folder_key(top)
            redo.clear()
            return keys
        found: dict[str, list[str] | None] = {}
        for path, status in self.entries.items():
            if not path.startswith(inside):
                continue
            top = inside + path[len(inside):].split(os.sep, 1)[0]
            if top not in found:
                found[top] = [] if self.entries.get(top) is not None and os.path.isdir(top) else None
            lines = found[top]
            if lines is not None:
                if status is None:
                    found[top] = None
                else:
                    lines.append(f"{path}\x00{status}\x00")
        keys = {top: _digest(lines) if lines is not None else None for top, lines in found.items()}
        self._keys[inside] = (keys, set())
        return keys

    def _folder_key(self, top: str) -> str | None:
        """folder_keys' answer for one folder."""
        if self.entries.get(top) is None or not os.path.isdir(top):
            return None
        below = top + os.sep
        lines = []
        for path, status in self.entries.items():
            if path == top or path.startswith(below):
                if status is None:
                    return None
                lines.append(f"{path}\x00{status}\x00")
        return _digest(lines)

    def _trusted(self, stat: os.stat_result) -> Status | None:
        latest = max(stat.st_mtime_ns, stat.st_ctime_ns)
        window = COARSE_RACY_NS if stat.st_mtime_ns % 1_000_000_000 == 0 else RACY_NS
        if latest >= self.started_ns - window:
            return None
        return _status(stat)


def _digest(lines: list[str]) -> str:
    """A folder's key: its entries' paths and statuses, in order of path (a scan brought up to
    date holds a new file last, a whole scan where the walk met it)."""
    return hashlib.blake2b("".join(sorted(lines)).encode(), digest_size=16).hexdigest()


def _may_follow(link: str, site: str) -> bool:
    """Whether a symlinked folder leads inside the site and not to a folder holding the link."""
    target = os.path.realpath(link)
    here = os.path.realpath(os.path.dirname(link))
    inside = target == site or target.startswith(site.rstrip(os.sep) + os.sep)
    holds = here == target or here.startswith(target.rstrip(os.sep) + os.sep)
    return inside and not holds


@dataclass
class State:
    """Saved after a good build, in the cache folder."""

    key: str  # sitegen's code, Python, the folders, the build options (site.toml is a source)
    sources: dict[str, Status | None]
    digests: dict[str, str]  # source path -> content hash, for sources whose status is trusted
    outputs: dict[str, tuple[int, int]]  # relpath -> (mtime_ns, size) of every file the build left
    built: float  # the POSIX time the build took as "now"
    horizon: float | None  # from then on the same sources give another site (a post comes due)
    summary: dict[str, Any]  # what the build said (plain values): shown again by a build that finds nothing to do

    def unchanged(self, key: str, scan: Scan, output: Path, now: float) -> bool:
        """Whether a build now would write exactly what is there: same key, same sources (all of
        them trusted), every output file as this build left it, and no post come due since."""
        if key != self.key or now < self.built or (self.horizon is not None and now >= self.horizon):
            return False
        if scan.entries != self.sources or None in self.sources.values():
            return False
        base = f"{output}/"  # (strings, not pathlib: this runs for every file of a large site)
        for relpath, (mtime_ns, size) in self.outputs.items():
            try:
                stat = os.stat(base + relpath)
            except OSError:
                return False
            if stat.st_mtime_ns != mtime_ns or stat.st_size != size:
                return False
        return True

    def digest_of(self, path: Path, scan: Scan) -> str | None:
        """The recorded content hash of a source whose status has not changed since."""
        text = str(path)
        status = scan.entries.get(text)
        if status is None or self.sources.get(text) != status:
            return None
        return self.digests.get(text)


@dataclass(frozen=True)
class Vouched:
    """What a build's scan, with the last good build's state, vouches for without reading a file."""

    scan: Scan
    state: State | None
    _folders: dict[Path, dict[str, str | None]] = field(default_factory=dict)  # Scan.folder_keys, asked once

    def digest_of(self, path: Path) -> str | None:
        return self.state.digest_of(path, self.scan) if self.state is not None else None

    def folder_key(self, folder: Path) -> str | None:
        keys = self._folders.get(folder.parent)
        if keys is None:
            keys = self._folders[folder.parent] = self.scan.folder_keys(folder.parent)
        return keys.get(str(folder))


def load_state(folder: Path, known: tuple[str, State] | None = None) -> State | None:
    """The state the last good build saved in the store (`folder`: the cache folder); `known`:
    one this process saved (save_state) and the token it was saved under, taken as it is while
    the store holds that token."""
    try:
        with closing(sqlite3.connect(f"file:{folder / STORE_FILE}?mode=ro", uri=True)) as db:
            if known is not None:
                row = db.execute("SELECT token FROM state WHERE id = 1").fetchone()
                return known[1] if row is not None and row[0] == known[0] else None
            row = db.execute("SELECT value FROM state WHERE id = 1").fetchone()
        raw = json.loads(row[0])
        if raw.get("format") != FORMAT:
            return None
        state = State(raw["key"], {path: _status_of(status, 4) if status else None for path, status in raw["sources"].items()},
                      raw["digests"], {path: _status_of(status, 2) for path, status in raw["outputs"].items()},
                      float(raw["built"]), None if raw["horizon"] is None else float(raw["horizon"]), raw["summary"])
        if not (isinstance(state.key, str) and isinstance(state.summary, dict)
                and all(isinstance(v, str) for v in state.digests.values())):
            return None
    except Exception:  # missing, damaged, from another version or not sitegen's: build normally
        return None
    return state


def _status_of(value: Any, length: int) -> tuple[int, ...]:
    """A status as the state holds it; anything else is a damaged state (ValueError)."""
    if not (isinstance(value, list) and len(value) == length and all(type(n) is int for n in value)):
        raise ValueError("not a file status")
    return tuple(value)


def save_state(folder: Path, state: State) -> str | None:
    """Saves the state in the store, replacing the last; the token it is saved under, for
    load_state to know it again by (None: not saved, which only costs the next build time)."""
    token = os.urandom(8).hex()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # json.dumps, not dump: only the former uses json's C encoder (about 10x faster here).
        value = json.dumps({"format": FORMAT, **state.__dict__}, ensure_ascii=False, separators=(",", ":")).encode()
        with closing(sqlite3.connect(folder / STORE_FILE)) as db, db:
            db.execute("CREATE TABLE IF NOT EXISTS state (id INTEGER PRIMARY KEY CHECK (id = 1), token TEXT NOT NULL, "
                       "value BLOB NOT NULL)")
            db.execute("INSERT OR REPLACE INTO state VALUES (1, ?, ?)", (token, value))
    except (OSError, sqlite3.Error):
        return None
    return token


def output_status(output: Path, relpaths: list[str]) -> dict[str, tuple[int, int]] | None:
    found: dict[str, tuple[int, int]] = {}
    base = f"{output}/"
    for relpath in relpaths:
        try:
            stat = os.stat(base + relpath)
        except OSError:
            return None
        found[relpath] = (stat.st_mtime_ns, stat.st_size)
    return found
