"""The search index made while the pages render.

Pagefind's work is most of a build with search (bench/RESULTS.md), and one Pagefind process
uses one core for a shard: made after the pages, as before, the index left the other core idle
for seconds. What an index is made of (the records: the posts' bodies, titles, columns, dates
and tags) is known once the site is loaded, and only the record written last names the pages
it goes with. So a build whose records differ from the live index's forks a process that makes
the shards while the pages render (start), and the version takes the index once its pages are
written (take): their key is computed meanwhile, the record written, the index moved in.

A process, not a thread: the build forks its workers for the pages after this starts, and a
fork must not happen while another thread of the parent is in the middle of something."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import time
from multiprocessing.connection import Connection
from pathlib import Path

from .errors import SiteError
from .parallel import die_with
from .search import (IndexResult, SearchSource, make_shards_in, pages_key, place_index, read_record,
                     recorded, records_key, workspace)
from .search_records import format_key


def wanted(source: SearchSource, live_index: Path) -> bool:
    """Whether a build of `source` is to make its index ahead: the live one (`live_index`) was
    not made from exactly these records by this sitegen (a cold build; a post edited, added or
    removed). Otherwise the build keeps or links the live one, which costs next to nothing."""
    if "fork" not in multiprocessing.get_all_start_methods():  # (Windows: the index is made after the pages)
        return False
    record = read_record(live_index)
    return record is None or record.get("records") != records_key(source) or record.get("format") != format_key()


class IndexAhead:
    """The index of `source` being made by a process of its own, in a work folder under
    `private`, linking the shards of `previous` (the live index) whose records are the same.
    Either take() or cancel() ends it."""

    def __init__(self, source: SearchSource, private: Path, previous: Path) -> None:
        self.source = source
        self.started = time.perf_counter()
        self._work = workspace(private)
        self._process: multiprocessing.process.BaseProcess | None = None
        self._reader: Connection | None = None
        self._ended = isinstance(self._work, SiteError)
        if isinstance(self._work, SiteError):
            return
        context = multiprocessing.get_context("fork")
        self._reader, writer = context.Pipe(duplex=False)
        self._process = context.Process(target=_make, args=(self._work, source, previous, writer, os.getpid()),
                                        daemon=True, name="sitegen-index")
        self._process.start()
        writer.close()  # (the child holds the only writing end: its death reads as the pipe's end)

    def take(self, folder: Path) -> IndexResult | SiteError:
        """The index, recorded as belonging with the pages of `folder` (a version not yet live)
        and moved into folder/pagefind/; or the warning saying why there is none."""
        if isinstance(self._work, SiteError):
            return self._work
        self._ended = True
        try:
            key = pages_key(folder)  # (while the shards are made)
        except OSError as exc:
            self._end(stop=True)
            return SiteError.of(None, None, "search.not_updated", "warning", reason=exc.strerror or str(exc))
        try:
            made = self._reader.recv()  # type: ignore[union-attr]
        except (EOFError, OSError):
            made = SiteError.of(None, None, "search.ended_early", "warning")
        if isinstance(made, SiteError):
            self._end(stop=True)
            return made
        self._end(stop=False)
        shards, files = made
        return place_index(folder, recorded(self._work, self.source, shards, files, key), self.started)

    def cancel(self) -> None:
        """Stops the indexing and removes what it made, unless take() ended it."""
        if not self._ended:
            self._ended = True
            self._end(stop=True)

    def _end(self, stop: bool) -> None:
        """Waits for the process (killed first if `stop`; its Pagefind processes end when their
        input closes with it); with `stop`, the work folder is removed too."""
        assert self._process is not None and self._reader is not None
        if stop and self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._reader.close()
        if stop:
            shutil.rmtree(self._work, ignore_errors=True)  # type: ignore[arg-type]


def _make(work: Path, source: SearchSource, previous: Path, writer: Connection, parent: int) -> None:
    """The indexing process: the shards made in work/index/, then (keys, files) or the warning
    sent back."""
    die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # (Ctrl-C is the build's to handle: it stops this process)
    try:
        made: object = make_shards_in(work, source, previous)
    except Exception as exc:  # noqa: BLE001 - anything unforeseen is a warning: the site itself is fine
        made = SiteError.of(None, None, "search.crashed", "warning", reason=repr(exc))
    writer.send(made)
    writer.close()

