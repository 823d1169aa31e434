"""Runs independent pieces of a build on several processes.

Workers are forked after the build has loaded what they need, so they inherit it (the work
function, the site, the templates) instead of receiving it pickled: only results come back,
each worker through a pipe of its own, taking chunks of indices from a shared counter. The
results come back in input order, so output is identical whatever --jobs is.

A watcher or the preview server forks while their other threads wait on sockets and file
events. The child runs only the work and its pipe, and CPython resets the import lock and the
GIL after a fork; what the other threads hold is never touched there."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import traceback
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, TypeVar

T = TypeVar("T")

MIN_ITEMS_PER_WORKER = 64  # below this, starting processes costs more than it saves


class WorkerFailed(RuntimeError):
    """A worker raised (its traceback is the message) or died before finishing its share."""


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_indexed(work: Callable[[int], T], count: int, jobs: int | None,
                progress: Callable[[int, int], None] | None = None,
                min_per_worker: int = MIN_ITEMS_PER_WORKER) -> list[T]:
    """[work(0), ..., work(count - 1)], on up to `jobs` processes; progress(done, count)
    is called as results come in. min_per_worker: fewer items than this per process are done
    here (a photo costs a tenth of a second or more, a post's Markdown a millisecond)."""
    jobs = default_jobs() if jobs is None else jobs
    jobs = min(jobs, count // min_per_worker)
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        results: list[T] = []
        for i in range(count):
            results.append(work(i))
            if progress:
                progress(i + 1, count)
        return results
    return _on_workers(work, count, jobs, progress)


def _on_workers(work: Callable[[int], T], count: int, jobs: int,
                progress: Callable[[int, int], None] | None) -> list[T]:
    context = multiprocessing.get_context("fork")
    size = max(1, count // (jobs * 16))  # small chunks: a slow one does not hold up the end
    taken = context.Value("i", 0)  # the next chunk to take
    pipes = [context.Pipe(duplex=False) for _ in range(jobs)]
    parent = os.getpid()
    workers = [context.Process(target=_serve, args=(work, count, size, taken, writer, parent), daemon=True)
               for _, writer in pipes]
    # Keeps the collector from touching (and so copying) inherited objects, in every worker;
    # build() lets them go back to the collector when it ends.
    gc.freeze()
    _trim_heap()
    found: list[Any] = [None] * count
    done = 0
    try:
        for worker in workers:
            worker.start()
        for _, writer in pipes:
            writer.close()  # the workers hold the only writing ends: a pipe ends when its worker does
        readers = [reader for reader, _ in pipes]
        while readers:
            for reader in wait(readers):
                try:
                    start, chunk = reader.recv()  # type: ignore[union-attr]
                except EOFError:
                    readers.remove(reader)  # type: ignore[arg-type]
                    continue
                if start < 0:
                    raise WorkerFailed(chunk)
                found[start : start + len(chunk)] = chunk
                done += len(chunk)
                if progress:
                    progress(done, count)
        if done != count:
            raise WorkerFailed(f"a worker process ended with {count - done} of {count} pieces of work left")
        return found
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()


def _serve(work: Callable[[int], Any], count: int, size: int, taken: Any, writer: Connection, parent: int) -> None:
    """A worker: takes chunks until none are left, sending each chunk's results back."""
    _die_with(parent)
    try:
        while True:
            with taken.get_lock():
                number = taken.value
                taken.value += 1
            start = number * size
            if start >= count:
                return
            writer.send((start, [work(i) for i in range(start, min(start + size, count))]))
    except BaseException:  # noqa: BLE001 - whatever it was, the build must hear of it
        writer.send((-1, traceback.format_exc()))
    finally:
        writer.close()


def _die_with(parent: int) -> None:
    """A worker ends when the build does, however it ends (kill -9 included): left alone, it
    would wait forever on a full pipe that its sibling workers still hold open, and keep the
    output folder's lock (sitegen/lock.py), which it inherited, from the next build."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux
        return
    if os.getppid() != parent:  # the parent died before that
        os._exit(1)


def _trim_heap() -> None:
    """Gives the memory freed so far (the pinyin dictionaries, the sources read) back to the
    system before forking, so no worker starts with a copy of it."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass
