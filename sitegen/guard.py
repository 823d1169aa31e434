"""Limits on one post's Markdown, so that no post can stall or crash a build.

Python-Markdown is quadratic or worse on some inputs (thousands of '[' in a paragraph) and
recursive on others (lists, quotes, emphasis nested hundreds deep end in RecursionError).
Before a body is rendered its shape is checked in one linear pass (nesting, brackets per
paragraph, runs of '*' '_' '`'); while it is rendered, a Deadline stops it after a time limit.
Each is an error naming the post and, where known, the line; the other posts are unaffected."""

from __future__ import annotations

import ctypes
import os
import re
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import SiteError

NESTING_LIMIT = 100  # levels of lists and quotes; Python-Markdown recurses once per level
BRACKETS_LIMIT = 1000  # '[' in one paragraph; each may start a link looked for to the paragraph's end
RUN_LIMIT = 1000  # one run of '*', '_' or '`'; emphasis runs recurse once per character
SECONDS_LIMIT = 10.0  # one post's Markdown; a normal long post takes a few hundredths

_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_PREFIX = re.compile(r"^(?:[ \t]*(?:>|[-*+][ \t]|\d{1,9}[.)][ \t]))+")
_RUN = re.compile(r"\*{%d,}|_{%d,}|`{%d,}" % ((RUN_LIMIT + 1,) * 3))


def shape_problem(body: str, path: Path, body_line: int) -> SiteError | None:
    """The first limit the body goes over, at its line, or None."""
    run = _RUN.search(body)
    if run is not None:
        return SiteError.of(path, body_line + body.count("\n", 0, run.start()), "md.run",
                            count=len(run.group()), char=run.group()[0], limit=RUN_LIMIT)
    fenced = False
    brackets, paragraph_line = 0, body_line
    for number, line in enumerate(body.split("\n"), body_line):
        if _FENCE.match(line):
            fenced = not fenced
        if fenced:
            continue
        if not line.strip():
            brackets, paragraph_line = 0, number + 1
            continue
        depth = _depth(line)
        if depth > NESTING_LIMIT:
            return SiteError.of(path, number, "md.nesting", depth=depth, limit=NESTING_LIMIT)
        brackets += line.count("[")
        if brackets > BRACKETS_LIMIT:
            return SiteError.of(path, paragraph_line, "md.brackets", limit=BRACKETS_LIMIT)
    return None


def _depth(line: str) -> int:
    """How many lists and quotes a line stands in: its '>' and list markers, and its indent
    (four columns a level, as Python-Markdown counts)."""
    prefix = _PREFIX.match(line)
    indent = len(line) - len(line.lstrip(" \t"))
    if prefix is None:
        return indent // 4
    marks = prefix.group()
    return marks.count(">") + len(re.findall(r"[-*+\d][.)]?[ \t]", marks)) + indent // 4


class MarkdownTimeout(Exception):
    """Raised in the thread rendering a post that went over its time limit."""


class Deadline:
    """Stops a piece of work in whichever thread runs it once it has run `seconds`: a watchdog
    thread raises MarkdownTimeout in it (CPython's asynchronous exceptions, which take effect
    between bytecodes; Python-Markdown's slow paths are Python loops). One watchdog per process,
    started on first use: a forked worker starts its own."""

    def __init__(self, seconds: float = SECONDS_LIMIT) -> None:
        self.seconds = seconds
        self._pid = -1
        self._cond = threading.Condition()
        self._target: int | None = None
        self._until: float | None = None
        self._fired = False

    @contextmanager
    def limit(self) -> Iterator[None]:
        if self._pid != os.getpid():  # first use, or a forked child: the parent's watchdog is not here
            self._pid = os.getpid()
            self._cond = threading.Condition()
            threading.Thread(target=self._watch, name="sitegen-markdown-deadline", daemon=True).start()
        target = threading.get_ident()
        with self._cond:
            self._target, self._until, self._fired = target, time.monotonic() + self.seconds, False
            self._cond.notify()
        try:
            yield
        finally:
            with self._cond:
                self._until = None
                if self._fired:  # fired as the work ended: take back what was not raised yet
                    _raise_in(target, None)

    def _watch(self) -> None:
        cond = self._cond
        with cond:
            while True:
                if self._until is None:
                    cond.wait()
                    continue
                left = self._until - time.monotonic()
                if left > 0:
                    cond.wait(left)
                    continue
                assert self._target is not None
                _raise_in(self._target, MarkdownTimeout)
                self._fired, self._until = True, None


def _raise_in(thread: int, exception: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), ctypes.py_object(exception) if exception else None)
