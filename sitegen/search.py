"""Full-text search: Pagefind indexes the pages a build has just written.

Pagefind's extended build segments Chinese text into words, and the whole site goes into
one index (force_language), so one search box finds Chinese and English posts alike; by
default Pagefind would split the index by each page's lang and search only one part. The
index is written beside the site first and swapped into output/pagefind/ when complete,
so visitors never see a half-written index."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .cache import CACHE_DIR
from .errors import SiteError, warning

INDEX_DIR = "pagefind"
_LANGUAGE = {"zh-CN": "zh", "en": "en"}


@dataclass(frozen=True)
class IndexResult:
    seconds: float
    size: int  # bytes of the index on disk


def pagefind_command() -> list[str]:
    return [sys.executable, "-m", "pagefind"]


def index_site(output: Path, language: str) -> IndexResult | SiteError:
    """Indexes output/ into output/pagefind/; a problem is a warning, the site itself is fine."""
    import time

    started = time.perf_counter()
    fresh = output / CACHE_DIR / "pagefind-new"
    old = output / CACHE_DIR / "pagefind-old"
    for folder in (fresh, old):
        shutil.rmtree(folder, ignore_errors=True)
    command = pagefind_command() + [
        "--site", str(output), "--output-path", str(fresh),
        "--force-language", _LANGUAGE.get(language, "en"), "--silent",
        # Index only pages, not our staging or cache folders.
        "--glob", "**/*.html",
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return warning(None, None, f"search index not updated: cannot run Pagefind ({exc})",
                       "install it with: pip install 'pagefind[extended]'")
    if done.returncode != 0 or not (fresh / "pagefind.js").is_file():
        message = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no index written"]
        return warning(None, None, f"search index not updated: Pagefind failed: {message[0]}",
                       "install it with: pip install 'pagefind[extended]'")
    target = output / INDEX_DIR
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    return IndexResult(time.perf_counter() - started, size)
