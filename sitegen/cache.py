"""The build cache: what reading and rendering each source gave last time, so an unchanged
post is neither parsed nor rendered again.

Entries are keyed by the source's content hash and an environment key (sitegen's own code
and the settings). It lives inside the output folder (`.sitegen-cache/`), because a build
writes nowhere else. Losing it only costs time: a missing, corrupt or outdated cache is
rebuilt without a word, and results with and without it are byte-identical."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path
from typing import Any, Callable, TypeVar

from . import __version__
from .codec import decode, encode
from .snapshot import STORE_FILE

T = TypeVar("T")

CACHE_DIR = ".sitegen-cache"
_FILE = STORE_FILE  # one file: the entries, and the state a no-change build reads (snapshot.py)


def code_key() -> str:
    """Changes with sitegen's version and with any change to its code."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class Cache:
    """A key -> value store in one SQLite file. Reads go to the database as they come, and new
    entries are written in batches as the build goes, so neither has to fit in memory at
    once. An entry only says what a source gave, so it is right even if the build fails."""

    BATCH = 256
    # Kinds of entry too large to keep in memory for a next build (a body's HTML is read back
    # from the file by whichever process renders its page).
    BULKY = ("html\x1f", "photo-bytes\x1f")  # (photo_set.BYTES_KEY: a picture's versions)

    def __init__(self, folder: Path | None, environment: str, recent: dict[str, Any] | None = None,
                 keep: bool = False, made: dict[str, dict[str, Any]] | None = None) -> None:
        self.environment = environment
        # Entries the last build in this process read or wrote, already decoded: a watcher passes
        # them on, so its next build takes them from here. Keys name their content, so a value
        # found under its key is right whichever build put it there.
        self._recent = recent or {}
        self.kept: dict[str, Any] = {}  # with keep: what this build read or wrote, for the next one
        # Objects made from entries (see derived()), by the entry's key, then by what else they
        # were made from: the last build's, and (with keep) this build's for the next one.
        self._made = made or {}
        self.made: dict[str, dict[str, Any]] = {}
        self._keep = keep  # (a one-off build does not hold every entry it met until it ends)
        self.path = folder / CACHE_DIR / _FILE if folder is not None else None
        self._db: sqlite3.Connection | None = None
        self._used: set[str] = set()
        self._new: dict[str, bytes] = {}
        self._fetched: dict[str, bytes] = {}  # read ahead by prefetch(), not yet asked for
        if self.path is not None and self.path.is_file():
            try:
                self._db = self._connect()
                self._db.execute("SELECT key, value FROM entries LIMIT 1").fetchall()
            except sqlite3.Error:  # corrupt or from another version: start again
                self.close()
                self._discard()

    def _connect(self) -> sqlite3.Connection:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path)
        db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        return db

    def key(self, *parts: str) -> str:
        return "\x1f".join((*parts, self.environment))

    def prefetch(self, keys: list[str]) -> None:
        """Reads many entries in a few queries (one each is slow for thousands of posts);
        get() then finds them here."""
        keys = [key for key in keys if key not in self._recent]
        if self._db is None:
            return
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                self._fetched.update(self._db.execute(f"SELECT key, value FROM entries WHERE key IN ({marks})", chunk))
        except sqlite3.Error:
            pass  # get() asks again, one by one

    def has(self, key: str) -> bool:
        """Whether prefetch() found the entry (and get() has not taken it yet)."""
        return key in self._fetched or key in self._recent

    def get(self, key: str) -> Any | None:
        value = self._recent.get(key)
        if value is not None:
            self._used.add(key)
            if self._keep:
                self.kept[key] = value
            return value
        if self._db is None:
            return None
        try:
            raw = self._fetched.pop(key, None)
            if raw is None:
                row = self._db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
                raw = row[0] if row else None
            value = decode(raw) if raw is not None else None
        except (sqlite3.Error, ValueError):  # a damaged database or an entry from an incompatible version: not there
            return None
        if value is not None:
            self._used.add(key)
            if self._keep and not key.startswith(self.BULKY):
                self.kept[key] = value
        return value

    def derived(self, key: str, inputs: str, make: Callable[[], T]) -> T:
        """An object made from the entry under `key` and from what `inputs` names (a key of its
        own: the other content it was made from): the one the last build of this process made,
        or made now. In memory only, never stored; forgotten when the entry is replaced, so an
        object is never older than its entry. A value of None is made again each time."""
        value = self.made_before(key, inputs)
        if value is None:
            value = make()
            if value is not None:
                self.keep_made(key, inputs, value)
        return value

    def made_before(self, key: str, inputs: str) -> Any | None:
        """What the last build of this process made from the entry under `key` and `inputs`
        (see derived()); kept for the next build too."""
        found = self._made.get(key)
        value = found.get(inputs) if found is not None else None
        if value is not None:
            self.keep_made(key, inputs, value)
        return value

    def keep_made(self, key: str, inputs: str, value: Any) -> None:
        """Keeps for the next build of this process an object made from the entry under `key`
        (as it is now) and from what `inputs` names."""
        if self._keep:
            self.made.setdefault(key, {})[inputs] = value

    def pending(self, key: str) -> bytes | None:
        """An entry put but not written yet. A failed build writes nothing of its last batch, so
        pages (forked workers, which inherit these) read such a body from here."""
        return self._new.get(key)

    def touch(self, key: str) -> None:
        """Keeps an entry that this build relies on without reading it here."""
        self._used.add(key)

    def put(self, key: str, value: Any) -> None:
        if self.path is None:
            return
        self._new[key] = encode(value)
        self._used.add(key)
        self._made.pop(key, None)  # objects made from the entry it replaces
        self.made.pop(key, None)
        if self._keep and not key.startswith(self.BULKY):
            self.kept[key] = value
        if len(self._new) >= self.BATCH:
            self._flush()

    def flush(self) -> None:
        """Stores the new entries now, forgetting nothing."""
        self._flush()

    def _flush(self) -> None:
        if not self._new:
            return
        try:
            if self._db is None:
                self._db = self._connect()
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", self._new.items())
        except (sqlite3.Error, OSError):
            self.close()
            self._discard()
            self.path = None  # caching is off for the rest of this build
        self._new.clear()

    def save(self) -> None:
        """After a good build: stores what is left and forgets the entries it did not use."""
        if self.path is None:
            return
        self._flush()
        if self._db is None:
            return
        try:
            stale = [k for (k,) in self._db.execute("SELECT key FROM entries") if k not in self._used]
            if stale:
                with self._db:
                    self._db.executemany("DELETE FROM entries WHERE key = ?", ((k,) for k in stale))
        except sqlite3.Error:
            self.close()
            self._discard()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _discard(self) -> None:
        if self.path is not None:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)


class Bodies:
    """Reads posts' body HTML back from the cache, in whichever process renders a page that
    shows one (each process opens its own connection: one must not cross a fork). An entry
    that is not there (the cache failed, or another build cleaned it) is made again."""

    def __init__(self, cache: Cache, again: Callable[[Path], str]) -> None:
        self.cache = cache
        self.again = again
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    def load(self, key: str, source: Path) -> str:
        try:
            value = self.cache.pending(key)
            if value is None:
                if self._pid != os.getpid():
                    self._db = sqlite3.connect(f"file:{self.cache.path}?mode=ro", uri=True)
                    self._pid = os.getpid()
                row = self._db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()  # type: ignore[union-attr]
                value = row[0] if row else None
            if value is not None:
                return decode(value)
        except Exception:  # damaged, missing or locked: make it again
            pass
        return self.again(source)
