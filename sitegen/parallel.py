"""Runs independent pieces of a build on several processes.

Workers are forked after the build has loaded what they need, so they inherit it instead
of receiving it pickled: only indices go out and results come back. Forking a process
that runs other threads (the preview server, the watcher) can deadlock the child, so with
other threads alive, or for little work, everything runs here in order. Either way the
results come back in input order, so output is identical whatever --jobs is."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import threading
from typing import Callable, TypeVar

T = TypeVar("T")

MIN_ITEMS_PER_WORKER = 64  # below this, starting processes costs more than it saves

_work: Callable[[int], object] | None = None


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _run(index: int) -> object:
    assert _work is not None
    return _work(index)


def map_indexed(work: Callable[[int], T], count: int, jobs: int | None,
                progress: Callable[[int, int], None] | None = None) -> list[T]:
    """[work(0), ..., work(count - 1)], on up to `jobs` processes; progress(done, count)
    is called as results come in."""
    global _work
    jobs = default_jobs() if jobs is None else jobs
    jobs = min(jobs, count // MIN_ITEMS_PER_WORKER)
    results: list[T] = []
    if jobs <= 1 or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        for i in range(count):
            results.append(work(i))
            if progress:
                progress(i + 1, count)
        return results
    _work = work
    gc.freeze()  # keep the collector from touching (and so copying) inherited objects
    _trim_heap()
    try:
        # The build runs without the cycle collector (build.py); a worker turns it back on
        # for the Markdown and templates it runs, which leave cycles. What it inherited is
        # frozen, so the collector only ever looks at the worker's own objects.
        with multiprocessing.get_context("fork").Pool(jobs, initializer=gc.enable) as pool:
            for result in pool.imap(_run, range(count), chunksize=max(1, count // (jobs * 16))):
                results.append(result)  # type: ignore[arg-type]
                if progress:
                    progress(len(results), count)
        return results
    finally:
        _work = None
        gc.unfreeze()


def _trim_heap() -> None:
    """Gives the memory freed so far (the pinyin dictionaries, the sources read) back to the
    system before forking, so no worker starts with a copy of it."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass
