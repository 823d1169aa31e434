"""Shared fixtures: build real sites from {path: text} dicts in temporary folders."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from sitegen.build import BuildResult, Options, build
from sitegen.lock import LOCK_FILE, WATCH_FILE
from sitegen.publish import LIVE, VERSIONS, live_folder, previous_version

REPO = Path(__file__).resolve().parent.parent

SITE_TOML = """\
title = "Test Site"
description = "A site for tests"
base_url = "http://intranet.test/"
language = "en"
timezone = "Asia/Shanghai"
posts_per_page = 10
"""
# Pagefind indexing costs a few tenths of a second a build; only search tests need it.
NO_SEARCH = "search = false\n"
# Builds show the work report's warnings (issue 20): test posts from 2019 built "now" in 2020
# would make every column stale, and they have no study column. The report's tests keep both.
NO_REPORT_WARNINGS = "stale_days = 0\nstudy_column = \"\"\n"

# "Now" for builds in tests, so "future" posts stay in the future whatever the date is.
NOW = datetime(2020, 1, 1, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def column(title: str, order: int = 1, extra: str = "", body: str = "") -> str:
    return f"---\ntitle: {title}\norder: {order}\n{extra}---\n{body}"


def post(title: str, date: str = "2019-03-05", extra: str = "", body: str = "Some text.\n") -> str:
    return f"---\ntitle: {title}\ndate: {date}\n{extra}---\n\n{body}"


class SiteDir:
    """A site in a temporary folder: write files, build, read what came out."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.output = root / "output"

    def write(self, files: dict[str, str | bytes]) -> "SiteDir":
        for name, content in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content) if content.startswith("\n") else content, encoding="utf-8")
        return self

    def build(self, **options: object) -> BuildResult:
        options.setdefault("now", NOW)
        return build(self.root, self.output, Options(**options))  # type: ignore[arg-type]

    def html(self, relpath: str) -> BeautifulSoup:
        return BeautifulSoup((self.output / relpath).read_text("utf-8"), "html.parser")

    def exists(self, relpath: str) -> bool:
        return (self.output / relpath).is_file()

    def files(self) -> set[str]:
        return served_files(self.output)


def served(output: Path, folders: bool = False) -> list[Path]:
    """Every file (and with `folders`, every folder) under output/ as a web server finds it:
    through the symlinks at the top that lead into the live version (sitegen/publish.py),
    without the versions' own folders and the lock files. Sorted paths under output/."""
    found = []
    for here, dirs, names in os.walk(output, followlinks=True):
        if here == str(output):
            dirs[:] = [d for d in dirs if d not in (VERSIONS, LIVE)]
            names = [n for n in names if n not in (LOCK_FILE, WATCH_FILE)]  # (flock files: never the site)
        found += [os.path.join(here, name) for name in names if os.path.isfile(os.path.join(here, name))]
        if folders:
            found += [os.path.join(here, name) for name in dirs]
    return sorted(Path(path) for path in found)


def stray_versions(output: Path) -> list[str]:
    """Version folders in output/ besides the live one and the one live before it (kept to be
    made into the next version, sitegen/recycle.py): what a failed or killed build left."""
    live = live_folder(output)
    keep = {live.name} if live is not None else set()
    previous = previous_version(output, live) if live is not None else None
    if previous is not None:
        keep.add(previous.name)
    try:
        return sorted(set(os.listdir(output / VERSIONS)) - keep)
    except FileNotFoundError:
        return []


def served_files(output: Path) -> set[str]:
    """served() as paths relative to output/."""
    return {path.relative_to(output).as_posix() for path in served(output)}


@pytest.fixture
def site(tmp_path: Path) -> SiteDir:
    """An English site with one column, ready for more files."""
    return SiteDir(tmp_path / "site").write({
        "site.toml": SITE_TOML + NO_SEARCH + NO_REPORT_WARNINGS,
        "columns/news/_index.md": column("News", 1, "description: Branch news\n", "News of the branch.\n"),
    })


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Runs the real `sitegen` command line in a subprocess."""
    return subprocess.run([sys.executable, "-m", "sitegen", *args], cwd=cwd, capture_output=True, text=True, timeout=120)
