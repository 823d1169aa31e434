"""A build, one at a time per output folder (lock.py): the sources scanned (only those a
watcher was told of, between its whole looks), the state asked whether anything changed at
all, and if so the pipeline (pipeline.py) run into a new version of the site; then the state
recorded for the next build. `check` runs the same pipeline with no output folder, and
`read_site` its loading alone (`sitegen report`).

"Now" is read once, here, and passed down: which posts are due, the work report's months and
the state's horizon all agree. What may be reused, and on what evidence, is reuse.py's."""

from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Collection, Iterator

from .cache import CACHE_DIR, Cache
from .config import CONFIG_NAME, SiteConfig
from .errors import BuildFailed, SiteError
from .layout import SOURCE_DIRS, default_theme
from .lock import OutputLock
from .messages import os_reason, site_language
from .outcome import BuildResult, Options, Reuse
from .pipeline import load_site, run
from .publish import links_whole, live_folder, recover
from .reuse import Damaged, record_state, state_key
from .snapshot import Scan, Vouched, load_state
from .write import check_output_folder

if TYPE_CHECKING:
    from .model import Site

__all__ = ["BuildResult", "Options", "Reuse", "build", "check", "needs_index", "read_site"]


def build(source: Path, output: Path | None = None, options: Options = Options(),
          previous: BuildResult | None = None, changed: Collection[str] | None = None) -> BuildResult:
    """Builds the site in `source` into `output` (default source/output). Raises BuildFailed
    with every problem, and then leaves the output folder exactly as it was. `previous`: the
    last result of this process (a watcher's), whose Reuse saves reading the store again;
    `changed`: the source files a watcher was told changed since `previous` began (None: any
    may have), so that only they are looked at again (Scan.again)."""
    started = time.perf_counter()
    now = options.now or datetime.now().astimezone()  # the one clock read of this build
    source = source.resolve()
    output = (output or source / "output").resolve()
    try:
        check_output_folder(output, read=False)  # refused before anything is created in it
        created = not output.exists()
        output.mkdir(parents=True, exist_ok=True)
    except SiteError as exc:
        raise BuildFailed([exc]) from None
    except OSError as exc:
        raise BuildFailed([SiteError.of(output, None, "out.cannot_create", reason=os_reason(exc))]) from None
    lock = OutputLock(output, "build", options.on_wait, language=site_language(source))
    with lock:  # one build at a time per output folder; a killed holder's lock goes with it
        try:
            # From the start: what a watcher keeps of its last build is large, and reading the
            # manifest and state makes many objects.
            with _spared_by_the_collector():
                result = _locked(source, output, options, previous, changed, now, started)
        except BaseException:  # an error, Ctrl+C or SIGTERM: what was not put live goes
            recover(output)
            if created:  # a first build that failed leaves no output folder
                lock.release(remove=True)
                recover(output, remove_empty=True)
            raise
    result.seconds = time.perf_counter() - started
    return result


def _locked(source: Path, output: Path, options: Options, previous: BuildResult | None,
            changed: Collection[str] | None, now: datetime, started: float) -> BuildResult:
    """build() once it holds the output folder's lock: what a killed build left is cleared
    first, and the output folder read again (the last holder may have changed it)."""
    recover(output)
    store_folder = output / CACHE_DIR
    # Taken before anything is read, so an edit made during this build shows in the next scan.
    roots = [source / CONFIG_NAME, *(source / name for name in SOURCE_DIRS), default_theme()]
    reuse = previous.reuse if previous is not None else None
    known = reuse.scan if reuse is not None else None
    scan = Scan.again(known, roots, changed) if known is not None and changed is not None else Scan.of(roots)
    key = state_key(source, output, options.drafts, options.future)
    state = load_state(store_folder, reuse.state if reuse else None) if options.cache else None
    # The files as a web server finds them, stat'ed in the live version itself (not through
    # the symlinks at the top, which are checked on their own): a large site has many.
    live = live_folder(output)
    served = live if live is not None and links_whole(output, live) else output
    if state is not None and state.unchanged(key, scan, served, now.timestamp()):
        try:
            repeated = BuildResult.repeated(state.summary, time.perf_counter() - started)
            repeated.reuse = replace(reuse, scan=scan) if reuse is not None else None
            repeated.due = state.horizon
            return repeated
        except (KeyError, TypeError, ValueError):  # a damaged state: build
            pass
    try:
        # What the last holder of the lock left (a manifest this process wrote is not parsed again).
        published = check_output_folder(output, known=reuse.manifests if reuse else None)
    except SiteError as exc:
        raise BuildFailed([exc]) from None
    result = run(source, options, now, output, Vouched(scan, state), reuse, published, settled=changed is not None)
    site = result.site
    assert site is not None
    # Only a site whose search index matches its pages is one a next build may find unchanged.
    saved = None
    if options.cache and not result.index_wanted:
        # A watcher's build between whole checks took some files' sizes from the manifest.
        intended = next(reversed(result.reuse.manifests.values()), None) if changed is not None and result.reuse else None
        try:
            saved = record_state(store_folder, key, scan, output, site, result.outputs, result.as_plain(), now, intended)
        except Damaged:
            result.damaged = True
        if saved is not None:  # the work report's day counts too: its pages change at midnight
            result.due = saved[1].horizon
    if result.reuse is not None:
        result.reuse = replace(result.reuse, state=saved, scan=scan)
    return result


def needs_index(result: BuildResult, output: Path) -> bool:
    """Whether the search index must follow this build (a watcher's, which leaves it for later):
    the live index is missing, incomplete, or made from other pages than the live ones."""
    return result.index_wanted


def check(source: Path, options: Options = Options()) -> list[SiteError]:
    """Everything build() checks, with nothing written: warnings and errors alike (build shows
    the same warnings, the work report's among them)."""
    now = options.now or datetime.now().astimezone()
    try:
        with _spared_by_the_collector():
            result = run(source.resolve(), options, now, None)
    except BuildFailed as failed:
        return failed.problems
    assert result.site is not None
    return result.warnings


def read_site(source: Path, config: SiteConfig, options: Options, now: datetime) -> tuple[Site, list[SiteError]]:
    """columns/ -> the Site and its warnings, exactly as a build reads them (check and report
    use it). Raises BuildFailed with every problem when there is an error."""
    site, problems, _, _ = load_site(source, config, options, now, Cache(None, ""), None)
    return site, [p for p in problems if not p.is_note]


@contextmanager
def _spared_by_the_collector() -> Iterator[None]:
    """What is alive when a build starts (a watcher's last result, the modules) and, once loaded,
    the site live through the whole build: the collector need not go over them again and again
    as the build makes its many short-lived objects (a third of a rebuild's time at 4,000 posts
    went there). They are frozen (gc.freeze) until the build ends; the collector still runs, for
    the build's own garbage and other threads'."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
