"""Rebuild on change: watchdog events -> wait until they stop -> build(). Outside the
pipeline: it only calls build() and reports what happened. The search index follows on a
thread of its own, so the pages of a save are online (and reported, and reloaded by the
preview server) without waiting for a whole site to be indexed."""

from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from watchdog.events import (
    EVENT_TYPE_CLOSED_NO_WRITE,
    EVENT_TYPE_CREATED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_OPENED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch
from watchdog.observers.polling import PollingObserver

from .build import BuildResult, Options, build, needs_index
from .config import CONFIG_NAME
from .errors import BuildFailed, SiteError
from .layout import COLUMNS_DIR, STATIC_DIR, TEMPLATES_DIR
from .load import is_ignored
from .lock import WATCH_FILE, OutputLock
from .messages import say, site_language
from .search import IndexResult, SearchSource, index_site
from .write import check_output_folder

QUIET_SECONDS = 0.05  # a burst of events (git pull, save-by-rename) ends when none came for this long
# ... or for this long once every file written in it has been closed (or renamed into place): an
# editor's save is whole then. (Only inotify says when a file is closed; polling never does.)
SETTLED_SECONDS = 0.01
# A watcher's build looks again only at the files it was told changed (Scan.again); every so
# often, when idle, it looks at all of them, in case an event was missed (a full inotify queue).
FULL_CHECK_SECONDS = 30.0
# A build that read a file while it was being saved fails with this, though nothing is wrong: the
# watcher builds again (the save's own event follows) instead of reporting it, this many times in a row.
DUE_RECHECK_SECONDS = 60.0
CHANGED_DURING_BUILD = "the file changed while the site was being built"
RETRIES = 5


@dataclass(frozen=True)
class Outcome:
    """What one build did: a result, or the problems that stopped it."""

    version: int
    result: BuildResult | None
    problems: tuple[SiteError, ...]

    @property
    def ok(self) -> bool:
        return self.result is not None


class _Events(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in (EVENT_TYPE_OPENED, EVENT_TYPE_CLOSED_NO_WRITE):
            return
        if event.is_directory and event.event_type == "modified":
            return  # a folder's mtime changes with every file in it; the file events say more
        paths = [p for p in (os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or "")) if p]
        self.watcher.noted(event, paths)


class _Changes:
    """What the events since the last good build said: the files they named (None: look at
    every file, as after a folder was made or removed), and the files being written, not yet
    closed. Written by watchdog's thread, read by the watcher's."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.paths: set[str] | None = None  # (the first build looks at everything)
        self.writing: set[str] = set()

    def add(self, event: FileSystemEvent, paths: list[str], relevant: list[str]) -> None:
        with self.lock:
            if event.is_directory:
                self.paths = None
            elif self.paths is not None:
                self.paths.update(paths)
            if event.event_type in (EVENT_TYPE_CREATED, EVENT_TYPE_MODIFIED) and not event.is_directory:
                self.writing.update(relevant)
            else:  # closed, moved into place or deleted: nothing more to wait for
                self.writing.difference_update(paths)

    def settled(self) -> bool:
        with self.lock:
            return not self.writing

    def take(self) -> set[str] | None:
        """The paths for a build to look at; they are given back if it fails."""
        with self.lock:
            taken, self.paths, self.writing = self.paths, set(), set()
            return taken

    def give_back(self, taken: set[str] | None) -> None:
        with self.lock:
            self.paths = None if taken is None or self.paths is None else self.paths | taken


class Watcher:
    """Builds once, then again after every burst of changes to the site's sources."""

    def __init__(self, source: Path, output: Path | None = None, options: Options = Options(),
                 on_build: Callable[[Outcome], None] | None = None, poll: bool = False,
                 quiet: float = QUIET_SECONDS,
                 on_index: Callable[[IndexResult | SiteError], None] | None = None,
                 on_live: Callable[[int], None] | None = None) -> None:
        """on_build(outcome): after each build, once its state is recorded; on_live(version): the
        moment a build's new version is live, before that (serve reloads open pages then)."""
        self.source = source.resolve()
        self.output = (output or self.source / "output").resolve()
        self.options = options
        self.on_build = on_build or report
        self.on_index = on_index or report_index
        self.on_live = on_live
        self.quiet = quiet
        self.version = 0
        self.last: Outcome | None = None
        self._dirty = threading.Event()
        self._changes = _Changes()
        self._looked_at_all = time.monotonic()  # when the last good build looked at every source file
        self._previous: BuildResult | None = None  # the last good build's result: what the next may reuse
        self._stop = threading.Event()
        self._observer = PollingObserver(timeout=0.5) if poll else Observer()
        self._thread = threading.Thread(target=self._loop, name="sitegen-watch", daemon=True)
        self._index_wanted = threading.Event()
        self._search: SearchSource | None = None  # what the index holds, from the last build that changed it
        self._indexer = threading.Thread(target=self._index_loop, name="sitegen-index", daemon=True)
        self._retries = 0  # builds in a row that failed only because a file changed while they read it
        self._due: float | None = None  # when the last good build's site changes by time alone
        self._watch_lock: OutputLock | None = None

    def relevant(self, path: str) -> bool:
        """Only what the site is built from; never the output (that would loop)."""
        parts = self._source_parts(path)
        return parts is not None and not any(is_ignored(part) for part in parts)

    def _source_parts(self, path: str) -> tuple[str, ...] | None:
        """The path's parts in the site, when it is in a folder the site is built from (editors'
        droppings too: the scan sees them) or is site.toml; else None."""
        candidate = Path(path)
        if candidate == self.output or self.output in candidate.parents:
            return None
        try:
            parts = candidate.relative_to(self.source).parts
        except ValueError:
            return None
        return parts if parts and (parts[0] in (COLUMNS_DIR, TEMPLATES_DIR, STATIC_DIR) or parts == (CONFIG_NAME,)) \
            else None

    def start(self) -> None:
        self._hold_watch_lock()
        # Watch before the first build, so a save made while it runs is not missed.
        self._handler = _Events(self)
        self._watched: dict[str, ObservedWatch] = {}
        self._partial: set[str] = set()  # watched while a folder in them could not be read
        self._observer.schedule(self._handler, str(self.source), recursive=False)  # site.toml, new folders
        self._watch_folders()
        self._observer.start()
        self._dirty.clear()
        self.rebuild(index_now=True)  # so a started watcher serves a complete site, index and all
        self._thread.start()
        self._indexer.start()

    def _hold_watch_lock(self) -> None:
        """Holds the output folder's watcher lock while it runs, so that the push hook (and anyone)
        can tell that this site's watcher runs. Another watcher of the same folder: both run, taking
        turns for builds; the lock stays with the first."""
        try:
            check_output_folder(self.output)  # (nothing is created in a folder that is not sitegen's)
            self.output.mkdir(parents=True, exist_ok=True)
            lock = OutputLock(self.output, "watch", name=WATCH_FILE, wait=False)
            lock.__enter__()
        except (SiteError, OSError):
            return
        self._watch_lock = lock

    def noted(self, event: FileSystemEvent, paths: list[str]) -> None:
        """An event from watchdog's thread: its paths noted for the next build, which it starts
        if it names a file the site is built from."""
        ours = [path for path in paths if self._source_parts(path) is not None]
        if not ours:
            return
        relevant = [path for path in ours if self.relevant(path)]
        self._changes.add(event, ours, relevant)
        if relevant:
            self._dirty.set()

    def _watch_folders(self) -> None:
        """Watches each source folder on its own: the output folder (often inside the source)
        must not be watched, or every build would report its own writes."""
        for name in (COLUMNS_DIR, TEMPLATES_DIR, STATIC_DIR):
            folder = self.source / name
            if name in self._partial:
                # Folders that could not be read got no watch of their own: watched again, in
                # case they can be now, so that a fixed permission does not leave edits unseen.
                self._partial.discard(name)
                try:
                    self._observer.unschedule(self._watched.pop(name))
                except KeyError:  # its emitter has already gone (the folder was removed)
                    pass
            if name not in self._watched and folder.is_dir():
                self._watched[name] = self._observer.schedule(self._handler, str(folder), recursive=True)
                if _has_unreadable_folder(folder):
                    self._partial.add(name)

    def stop(self) -> None:
        self._stop.set()
        self._dirty.set()
        self._index_wanted.set()
        self._observer.stop()
        self._observer.join(timeout=5)
        self._thread.join(timeout=10)
        if self._indexer.is_alive():  # an index goes live in one step or not at all: it can be abandoned
            self._indexer.join(timeout=10)
        if self._watch_lock is not None:
            self._watch_lock.release()
            self._watch_lock = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            if not self._dirty.wait(self._until_due()):
                if self._due is not None and time.time() >= self._due:
                    self.rebuild()  # a post dated in the future has come due: publish it
                elif self._check_due() == 0.0:  # (None: no check while the last build failed)
                    self.rebuild(check=True)
                continue
            # Wait for the burst to end: every new event restarts the quiet period.
            while not self._stop.is_set():
                self._dirty.clear()
                if not self._dirty.wait(min(SETTLED_SECONDS, self.quiet) if self._changes.settled() else self.quiet):
                    break
            if self._stop.is_set():
                return
            self._watch_folders()  # a folder such as templates/ may have just been created
            self.rebuild()

    def _until_due(self) -> float | None:
        """Seconds to wait for changes before building for a post that comes due, or looking at
        every source file (None: neither). At most a minute at a time, so a clock set forward is
        noticed within one."""
        waits = [] if (check := self._check_due()) is None else [check + 0.05]
        if self._due is not None and self.options.now is None:  # a pinned "now" (tests) never moves on
            waits.append(min(max(self._due - time.time(), 0.0) + 0.05, DUE_RECHECK_SECONDS))
        return min(waits, default=None)

    def _check_due(self) -> float | None:
        """Seconds until the idle watcher looks at every source file, in case an event was
        missed; None while the last build failed (the next save looks again)."""
        if self.last is None or not self.last.ok:
            return None
        return max(self._looked_at_all + FULL_CHECK_SECONDS - time.monotonic(), 0.0)

    def _index_loop(self) -> None:
        """Indexes the site whenever builds asked for it; saves that come meanwhile are built
        at once and make one more indexing afterwards."""
        while True:
            self._index_wanted.wait()
            if self._stop.is_set():
                return
            self._index_wanted.clear()
            try:
                source = self._search
                indexed = index_site(self.output, source) if source is not None else None  # (only changed shards)
            except Exception as exc:  # anything unforeseen: the next save asks again
                indexed = SiteError.of(None, None, "search.crashed", "warning", reason=repr(exc))
            if indexed is None:
                continue
            self.on_index(indexed)

    def rebuild(self, index_now: bool = False, check: bool = False) -> Outcome | None:
        """One build, reported. check: one that looks at every source file, said only if it
        finds a change (None otherwise)."""
        self.version += 1
        changed = self._changes.take()
        if check:
            changed = None
        try:
            went_live = (lambda version=self.version: self.on_live(version)) if self.on_live else None  # type: ignore[misc]
            options = replace(self.options, search_index=index_now, reusable=True, on_live=went_live)
            result = build(self.source, self.output, options, self._previous, None if self._partial else changed)
            self._previous = result
            if changed is None or self._partial:
                self._looked_at_all = time.monotonic()
            if result.damaged:  # a file of the site written over in place: a whole look mends it, at once
                self._changes.give_back(None)
                self._dirty.set()
            if check and (result.stats is None or not (result.stats.written or result.stats.removed)):
                self.version -= 1  # nothing had changed: nothing to say
                return None
            index = result.search is None and needs_index(result, self.output)
            if result.search_source is not None:
                self._search = result.search_source
            outcome = Outcome(self.version, result, ())
        except BuildFailed as failed:
            self._changes.give_back(changed)
            index = False
            outcome = Outcome(self.version, None, tuple(failed.problems))
        except Exception as exc:  # keep watching whatever happened; say what it was
            self._changes.give_back(changed)
            index = False
            outcome = Outcome(self.version, None, (SiteError.of(None, None, "watch.crashed", reason=repr(exc)),))
        if outcome.problems and all(p.message == CHANGED_DURING_BUILD for p in outcome.problems if p.is_error) \
                and self._retries < RETRIES and not self._stop.is_set():
            self._retries += 1
            self._dirty.set()  # not an error: build again once the saves have stopped
            return outcome
        self._retries = 0
        self._due = outcome.result.due if outcome.result is not None else None
        self.last = outcome
        self.on_build(outcome)
        if index:
            self._index_wanted.set()  # the pages are online and reported; the index follows
        return outcome


def _has_unreadable_folder(folder: Path) -> bool:
    """Whether a folder under folder cannot be listed (so a recursive watch leaves it out)."""
    failed: list[OSError] = []
    for _ in os.walk(folder, onerror=failed.append):
        if failed:
            break
    return bool(failed)


def report(outcome: Outcome, root: Path | None = None, stream=None) -> None:  # type: ignore[no-untyped-def]
    """Prints a build's summary, or its problems as file:line: message, in the site's language."""
    stream = stream or sys.stderr
    stamp = time.strftime("%H:%M:%S")
    language = site_language(root) if root is not None else "en"
    if outcome.result is not None:
        for problem in outcome.result.warnings + outcome.result.notes:
            print(problem.format(root, language), file=stream)
        print(say("cli.watch_built", language, stamp=stamp, summary=outcome.result.summary(language)),
              file=stream, flush=True)
    else:
        for problem in outcome.problems:
            print(problem.format(root, language), file=stream)
        print(say("cli.watch_failed", language, stamp=stamp), file=stream, flush=True)


def report_index(indexed: IndexResult | SiteError, root: Path | None = None, stream=None) -> None:  # type: ignore[no-untyped-def]
    stream = stream or sys.stderr
    language = site_language(root) if root is not None else "en"
    if isinstance(indexed, SiteError):
        print(indexed.format(root, language), file=stream, flush=True)
    else:
        print(say("cli.watch_index", language, stamp=time.strftime("%H:%M:%S"), size=f"{indexed.size / 1048576:.1f}",
                  seconds=f"{indexed.seconds:.2f}"), file=stream, flush=True)


def watch(source: Path, output: Path | None, options: Options, poll: bool = False) -> int:
    watcher = Watcher(source, output, options, on_build=lambda o: report(o, source.resolve()), poll=poll,
                      on_index=lambda i: report_index(i, source.resolve()))
    watcher.start()
    print(say("cli.watching", site_language(source), source=watcher.source), file=sys.stderr, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()
    return 0
