"""One build at a time per output folder, and a way to know that a site's watcher runs.

Both are flock(2) locks on files in the output folder: the kernel drops a lock when its process
ends, however it ends (kill -9 included), so a lock is never left behind by a dead build and
there is nothing stale to detect or take over. A build, the watcher's builds and its search
indexing, and the push hook's build all take LOCK_FILE; a second one waits, saying so.
A running `sitegen watch` also holds WATCH_FILE for its whole life (the hook asks it whether
this site's watcher runs).

Also here: SIGTERM (systemctl stop, a service restart) ends a build the way Ctrl+C does, by
raising KeyboardInterrupt in the main thread: the build is abandoned at that point, and
whatever it had not yet put live is never seen (publish.py)."""

from __future__ import annotations

import fcntl
import os
import signal
import sys
from pathlib import Path
from types import TracebackType
from typing import Callable, TextIO

from .messages import say as words
from .messages import system_language

LOCK_FILE = ".sitegen-lock"
WATCH_FILE = ".sitegen-watch.lock"


class OutputLock:
    """`with OutputLock(output, "build"):` holds the output folder's lock, waiting for another
    holder with a message (to stderr, or `say`). Re-entrant per object only; each build opens its
    own, so two threads of one process (a watcher's build and its indexing) also take turns."""

    def __init__(self, output: Path, what: str, say: Callable[[str], None] | None = None,
                 name: str = LOCK_FILE, wait: bool = True, language: str | None = None) -> None:
        """what: "build", "watch" or "search indexing"; language: the site's, for the waiting line
        (the system's when not given)."""
        self.path = output / name
        self.what = what
        self.language = language or system_language()
        self.say = say or _to_stderr
        self.wait = wait
        self.handle: TextIO | None = None

    def __enter__(self) -> "OutputLock":
        while True:
            handle = open(self.path, "a+", encoding="utf-8")
            try:
                if not _try_lock(handle):
                    if not self.wait:
                        raise BlockingIOError(f"{self.path} is held by {holder(self.path) or 'another process'}")
                    self.say(words("lock.waiting", self.language, holder=holder(self.path) or "word.another_sitegen",
                                   folder=self.path.parent, what=f"word.{self.what}"))
                    fcntl.flock(handle, fcntl.LOCK_EX)
                if _same_file(handle, self.path):  # not removed meanwhile by a failed first build
                    break
            except BaseException:
                handle.close()
                raise
            handle.close()
        self.handle = handle  # (nothing is written into it: a build that fails changes nothing)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.release()

    def release(self, remove: bool = False) -> None:
        """Lets the lock go; `remove`: the file too (a failed first build leaves no output folder)."""
        if self.handle is None:
            return
        if remove:
            try:
                self.path.unlink(missing_ok=True)
            except OSError:
                pass
        self.handle.close()  # closing drops the flock
        self.handle = None


def holder(path: Path) -> str | None:
    """Who holds a lock file, from the kernel's list of locks: "sitegen build (pid 123)"."""
    try:
        inode = os.stat(path).st_ino
        with open("/proc/locks", encoding="ascii") as locks:
            pids = [int(fields[4]) for fields in (line.split() for line in locks)
                    if len(fields) > 5 and fields[1] == "FLOCK" and fields[5].rsplit(":", 1)[-1] == str(inode)]
        pid = pids[0]
        words = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except (OSError, ValueError, IndexError):
        return None
    verb = next((word for word in words if word in ("build", "watch", "serve")), "")
    return f"sitegen {verb} (pid {pid})".replace("  ", " ")


def watcher_running(output: Path) -> str | None:
    """Who holds this output folder's watcher lock: a running `sitegen watch` or `serve`."""
    path = output / WATCH_FILE
    try:
        with open(path, encoding="utf-8") as handle:
            if _try_lock(handle):
                return None  # (closing the file lets go again)
    except OSError:
        return None
    return holder(path) or "a sitegen watcher"


def _try_lock(handle: TextIO, shared: bool = False) -> bool:
    try:
        fcntl.flock(handle, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _same_file(handle: TextIO, path: Path) -> bool:
    try:
        return os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino
    except OSError:
        return False


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _interrupt(number: int, frame: object) -> None:
    raise KeyboardInterrupt(signal.Signals(number).name)


def stop_on_sigterm() -> None:
    """From now on SIGTERM stops this process as Ctrl+C does (main thread only)."""
    signal.signal(signal.SIGTERM, _interrupt)
