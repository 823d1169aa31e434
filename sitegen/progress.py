"""A progress line for long builds on an interactive terminal; silent everywhere else
(CI, pipes, log files, tests)."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

from .messages import CATALOGUE, say

SHOW_AFTER = 2.0  # seconds: a short build never shows a bar
REDRAW_EVERY = 0.1  # seconds between redraws
WIDTH = 30


class Progress:
    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None, language: str = "en") -> None:
        self.stream = stream or sys.stderr
        self.language = language
        if enabled is None:
            enabled = self.stream.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"
        self.enabled = enabled
        self.started = time.monotonic()
        self.shown = False
        self._last = -REDRAW_EVERY

    def update(self, label: str, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if now - self.started < SHOW_AFTER or (now - self._last < REDRAW_EVERY and done < total):
            return
        self._last = now
        label = say(f"progress.{label}", self.language) if f"progress.{label}" in CATALOGUE else label
        filled = WIDTH * done // total
        bar = "#" * filled + "-" * (WIDTH - filled)
        self.stream.write(f"\r{label:<14} [{bar}] {done}/{total}")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * (WIDTH + 40) + "\r")
            self.stream.flush()
            self.shown = False
