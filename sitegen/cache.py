"""The build cache: what reading and rendering each source gave last time, so an unchanged
post is neither parsed nor rendered again.

Entries are keyed by the source's content hash and an environment key (sitegen's own code
and the settings). It lives inside the output folder (`.sitegen-cache/`), because a build
writes nowhere else. Losing it only costs time: a missing, corrupt or outdated cache is
rebuilt without a word, and results with and without it are byte-identical."""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from pathlib import Path
from typing import Any

from . import __version__

CACHE_DIR = ".sitegen-cache"
_FILE = "cache.sqlite"


def code_key() -> str:
    """Changes with sitegen's version and with any change to its code."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class Cache:
    """A key -> value store read whole at the start of a build and written at its end."""

    def __init__(self, folder: Path | None, environment: str) -> None:
        self.environment = environment
        self.path = folder / CACHE_DIR / _FILE if folder is not None else None
        self._rows: dict[str, bytes] = {}
        self._used: set[str] = set()
        self._new: dict[str, bytes] = {}
        if self.path is not None:
            self._rows = self._read()

    def key(self, *parts: str) -> str:
        return "\x1f".join((*parts, self.environment))

    def get(self, key: str) -> Any | None:
        blob = self._rows.get(key)
        if blob is None:
            return None
        try:
            value = pickle.loads(blob)
        except Exception:  # an entry from an incompatible version: as if it were not there
            return None
        self._used.add(key)
        return value

    def put(self, key: str, value: Any) -> None:
        self._new[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._used.add(key)

    def save(self) -> None:
        """Stores new entries and forgets the ones this build did not use."""
        if self.path is None:
            return
        stale = set(self._rows) - self._used
        if not self._new and not stale:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with sqlite3.connect(self.path) as db:
                db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
                db.executemany("DELETE FROM entries WHERE key = ?", ((k,) for k in stale))
                db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", self._new.items())
            db.close()
        except (sqlite3.Error, OSError):
            self._discard()

    def _read(self) -> dict[str, bytes]:
        assert self.path is not None
        if not self.path.is_file():
            return {}
        try:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            try:
                return dict(db.execute("SELECT key, value FROM entries"))
            finally:
                db.close()
        except sqlite3.Error:  # corrupt or from another version: start again
            self._discard()
            return {}

    def _discard(self) -> None:
        if self.path is not None:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
