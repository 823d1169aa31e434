"""The pipeline in one screen, one build at a time per output folder (lock.py): site.toml ->
SiteConfig; columns/ -> Site (from the store where sources are unchanged); Site -> pages;
pages whose inputs changed -> rendered into a new version of the site (unchanged files linked
from the live one), its search index made and checked there; then, only if nothing failed,
that version put live with one switch (publish.py), and the state recorded for the next build.

"Now" is read once, here, and passed down: which posts are due, the work report's months and
the state's horizon all agree. What may be reused, and on what evidence, is reuse.py's."""

from __future__ import annotations

import gc
import hashlib
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Collection, Iterator

from .cache import CACHE_DIR, Cache, code_key
from .config import CONFIG_NAME, SiteConfig, load_config
from .errors import BuildFailed, SiteError, problems_from_plain, problems_to_plain
from .layout import SOURCE_DIRS, default_theme
from .lock import OutputLock
from .messages import os_reason, say, site_language
from .publish import links_whole, live_folder, recover
from .reuse import Damaged, record_state, sitemap_of, state_key
from .search import INDEX_DIR, IndexResult, SearchSource, index_folder, removed_marker, search_source
from .snapshot import Scan, State, Vouched, load_state
from .write import WriteStats, check_output_folder

if TYPE_CHECKING:
    from .cache import Bodies
    from .feeds import Feed
    from .listing import Listing
    from .model import Site
    from .pages import Page
    from .render import Theme
    from .manifest import Published
    from .photo_set import PhotoSet
    from .write import OutputFile, Staging


@dataclass(frozen=True)
class Options:
    drafts: bool = False
    future: bool = False
    now: datetime | None = None  # "now" for leaving out future posts; tests pin it
    jobs: int | None = None  # processes for Markdown and templates; None: one per CPU
    cache: bool = True  # keep parsed and rendered posts in <output>/.sitegen-cache/
    progress: Callable[[str, int, int], None] | None = None  # (what, done, total), for a progress bar
    search_index: bool = True  # False: leave the search index to the caller (a watcher does it after reporting)
    reusable: bool = False  # keep in the result what the next build of this process may reuse (a watcher)
    on_wait: Callable[[str], None] | None = None  # says that another build holds the output folder (default: stderr)
    on_live: Callable[[], None] | None = None  # called the moment the new version is live (serve reloads pages then)


@dataclass(frozen=True)
class Reuse:
    """What a build leaves in memory for the next build of the same process (a watcher keeps
    its last result): the store's entries it read or wrote, decoded, the objects it made from
    them (Cache.derived), the templates it compiled, and the state it saved. All are found by
    keys that name their content, exactly as on disk (the state by its file's status)."""

    entries: dict[str, Any]
    made: dict[str, dict[str, Any]]
    templates: dict[str, bytes]
    state: tuple[str, State] | None = None  # the state it saved, and the token it saved it under
    listings: tuple[Listing, ...] = ()  # the last two versions' folders, as listed (listing.py)
    scan: Scan | None = None  # the sources as that build found them, for Scan.again
    manifests: dict[str, Any] = field(default_factory=dict)  # the last two versions' manifests, by content hash


@dataclass
class BuildResult:
    site: Site | None  # None when nothing had changed, so nothing was loaded
    pages: int
    stats: WriteStats | None
    seconds: float
    warnings: list[SiteError] = field(default_factory=list)
    search: IndexResult | None = None  # when this build updated the search index
    columns: list[tuple[str, int]] = field(default_factory=list)  # (title, posts) of each post column
    outputs: list[str] = field(default_factory=list)  # every file of the site, relative to the output folder
    reuse: Reuse | None = field(default=None, repr=False)  # for the next build in this process (a watcher's)
    index_wanted: bool = False  # the live search index does not match the live pages (a watcher indexes after)
    search_source: SearchSource | None = field(default=None, repr=False)  # what the index holds (a watcher's indexing)
    notes: list[SiteError] = field(default_factory=list)  # posts left out: drafts, dated in the future
    due: float | None = None  # when time alone changes the site (a post comes due), as a timestamp
    remarks: list[str] = field(default_factory=list)  # said after the figures, in the site's language (photos' locations)
    damaged: bool = False  # a file of the site was written over in place unseen (a watcher looks at everything next)

    def summary(self, language: str = "en") -> str:
        """The one line a build ends with, in `language`."""
        columns = say("sum.column_separator", language).join(
            say("sum.column", language, title=title, count=count) for title, count in self.columns)
        posts = sum(count for _, count in self.columns)
        text = say("sum.main", language, pages=self.pages, posts=posts, per_column=columns, warnings=len(self.warnings))
        if self.notes:
            text += say("sum.notes", language, notes=len(self.notes))
        if self.stats is not None:
            text += say("sum.files", language, written=self.stats.written, unchanged=self.stats.unchanged,
                        removed=self.stats.removed)
        text += say("sum.seconds", language, seconds=f"{self.seconds:.2f}")
        if self.search is not None:
            text += say("sum.search", language, size=f"{self.search.size / 1048576:.1f}", seconds=f"{self.search.seconds:.2f}")
        return say("sum.remark_separator", language).join([text, *self.remarks])

    def as_plain(self) -> dict[str, Any]:
        """What a build that finds nothing changed says again (kept in the state, as JSON)."""
        return {"pages": self.pages, "files": len(self.outputs), "warnings": problems_to_plain(self.warnings),
                "notes": problems_to_plain(self.notes), "columns": [list(column) for column in self.columns],
                "remarks": list(self.remarks)}

    @classmethod
    def repeated(cls, plain: dict[str, Any], seconds: float) -> BuildResult:
        return cls(None, plain["pages"], WriteStats(0, plain["files"], 0), seconds,
                   list(problems_from_plain(plain["warnings"])), columns=[(t, n) for t, n in plain["columns"]],
                   notes=list(problems_from_plain(plain["notes"])), remarks=[str(remark) for remark in plain["remarks"]])


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
    result = _run(source, options, now, output, Vouched(scan, state), reuse, published, settled=changed is not None)
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
            result = _run(source.resolve(), options, now, None)
    except BuildFailed as failed:
        return failed.problems
    assert result.site is not None
    return result.warnings


def read_site(source: Path, config: SiteConfig, options: Options, now: datetime) -> tuple[Site, list[SiteError]]:
    """columns/ -> the Site and its warnings, exactly as a build reads them (check and report
    use it). Raises BuildFailed with every problem when there is an error."""
    site, problems, _, _ = _load(source, config, options, now, Cache(None, ""), None)
    return site, [p for p in problems if not p.is_note]


def _load(source: Path, config: SiteConfig, options: Options, now: datetime, cache: Cache,
          vouched: Vouched | None) -> tuple[Site, list[SiteError], Bodies, PhotoSet]:
    """The Site, its warnings, where the pages read posts' bodies back from, and its photos'
    versions."""
    from .load import Loader

    loader = Loader(source, config, options.drafts, options.future, now.astimezone(config.tz), options.jobs, cache,
                    options.progress, vouched.digest_of if vouched else None, vouched.folder_key if vouched else None)
    site, problems = loader.load(), loader.problems
    if config.unsafe_html:
        problems.append(SiteError.of(source / CONFIG_NAME, None, "config.unsafe_html", "warning"))
    if site is None or any(p.is_error for p in problems):
        raise BuildFailed(_sorted([p for p in problems if not p.is_note]))
    return site, problems, loader.bodies.store, loader.photos


def _run(source: Path, options: Options, now: datetime, output: Path | None,
         vouched: Vouched | None = None, reuse: Reuse | None = None,
         published: Published | None = None, settled: bool = False) -> BuildResult:
    """The pipeline. Without an output folder it checks everything and writes nothing.
    settled: a watcher's build between whole checks (Staging looks where folders changed)."""
    from .feeds import feeds_for
    from .photo_set import photo_outputs, stage_photos  # (Pillow: not for a build that finds nothing changed)
    from .render import Theme
    from .render_pages import PageMaker, render_stale
    from .report import report_warnings
    from .reuse import known_pages, plan
    from .write import OutputFile, find_collisions

    started = time.perf_counter()
    try:
        config = load_config(source)
    except SiteError as exc:
        raise BuildFailed([exc]) from None
    # Every entry of the store is keyed by sitegen's code and the settings, besides its content.
    environment = hashlib.blake2b(f"{code_key()}{config!r}".encode(), digest_size=16).hexdigest()
    store = Cache(output if options.cache else None, environment, reuse.entries if reuse else None,
                  keep=options.reusable, made=reuse.made if reuse else None)
    try:
        site, problems, bodies, photos = _load(source, config, options, now, store, vouched)
        gc.freeze()  # the loaded site too (see _spared_by_the_collector)
        notes = [p for p in problems if p.is_note]
        problems = [p for p in problems if not p.is_note] + report_warnings(site, now)
        theme = Theme(source)
        problems += theme.problems  # template files that cannot be read, FIFOs skipped
        pages, shown = plan(site, now, store)
        feeds = feeds_for(site)
        try:
            files = _other_files(site, pages, feeds, theme, bodies, sitemap_of(site, pages, shown, store))
        except SiteError as exc:  # a feed's body that cannot be read back (its file changed meanwhile)
            raise BuildFailed([exc]) from None
        versions = photo_outputs(photos)
        problems += find_collisions([OutputFile(page.output, page.template) for page in pages] + files + versions)
        _stop_on_errors(problems)
        outputs = [page.output for page in pages] + [f.relpath for f in files] + [v.relpath for v in versions]
        staging = _staging(output, outputs, published, site.config.language, reuse, settled)
        maker = PageMaker(site, theme, feeds, bodies, reuse.templates if reuse else None)
        digester = maker.digester()
        unchanged, record = known_pages(digester, site, pages, staging, store, now, shown)
        staged, failed = render_stale(maker, digester, pages, options.jobs, staging, options.progress, unchanged)
        problems += failed
        _stop_on_errors(problems, staging)
        columns = [(c.title, len(site.posts_in(c))) for c in site.columns if not c.is_page]
        result = BuildResult(site, len(pages), None, 0.0, _sorted(problems), columns=columns, notes=_sorted(notes),
                             due=site.next_due.timestamp() if site.next_due else None,
                             remarks=[note] if (note := photos.note()) else [])
        if staging is not None:
            try:
                # Copied files first, then pages in plan order (posts before the lists and home that link to them).
                staged = [staging.stage(file) for file in files] + stage_photos(staging, photos, versions) + staged
                source_of_index = search_source(site, bodies) if site.config.search else None
                indexer = (lambda folder: index_folder(folder, source_of_index, output / CACHE_DIR, output / INDEX_DIR)) \
                    if options.search_index and source_of_index else None  # (a watcher indexes after putting the pages online)
                pruner = removed_marker(source_of_index) if source_of_index else None
                result.stats = staging.commit(staged, site.config.search, indexer, options.on_live, pruner)
                result.outputs = [item.relpath for item in staged]
            except SiteError as exc:
                staging.abort()
                raise BuildFailed([exc]) from None
            result.index_wanted, result.search_source = staging.index_wanted, source_of_index
            if isinstance(staging.indexed, IndexResult):
                result.search = staging.indexed
            elif isinstance(staging.indexed, SiteError):  # the previous index stays
                result.warnings.append(staging.indexed)
            if record is not None:  # what the site's pages were made from, as of this manifest
                store.put(record[0], (*record[1:], staging.manifest_id))
            photos.touch()
            store.save()
            if options.reusable:
                result.reuse = Reuse(store.kept, store.made, maker.renderer.compiled, listings=staging.listings,
                                     manifests=staging.manifests)
    finally:
        store.close()
    result.seconds = time.perf_counter() - started
    return result


def _staging(output: Path | None, outputs: list[str], published: Published | None, language: str,
             reuse: Reuse | None, settled: bool) -> Staging | None:
    """Where the build writes its new version (nowhere without an output folder), with what the
    last build of this process listed and read of the output (a watcher's)."""
    from .write import Staging

    if output is None:
        return None
    try:
        return Staging(output, outputs, published, language, reuse.listings if reuse else (), settled,
                       reuse.manifests if reuse else None)
    except SiteError as exc:
        raise BuildFailed([exc]) from None


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


def _other_files(site: Site, pages: list[Page], feeds: list[Feed], theme: Theme, bodies: Bodies,
                 sitemap: bytes) -> list[OutputFile]:
    """Every file of the site besides its pages: feeds, sitemap, robots.txt, and the files
    copied as they are (posts' pictures and attachments, static/, the theme's CSS and JS)."""
    from .bodies import with_body
    from .feeds import render_feed
    from .sitemap import SITEMAP_NAME, render_robots
    from .write import OutputFile, copy_digest

    if site.config.feed_full_content:  # the feeds carry the newest posts' bodies
        feeds = [replace(feed, posts=tuple(with_body(post, bodies) for post in feed.posts)) for feed in feeds]
    files = [OutputFile(feed.relpath, "feeds", data=render_feed(feed, site)) for feed in feeds]
    files.append(OutputFile(SITEMAP_NAME, "sitemap", data=sitemap))
    files.append(OutputFile("robots.txt", "robots.txt", data=render_robots(site)))
    copies = [(a.relpath, a.source) for a in site.assets] + [(f.relpath, f.source) for f in theme.files.values()]
    return files + [OutputFile(relpath, str(path), source=path, digest=copy_digest(path)) for relpath, path in copies]


def _stop_on_errors(problems: list[SiteError], staging: Staging | None = None) -> None:
    """Fails the build with every problem found so far if any is an error, leaving the output
    folder as it was."""
    if any(p.is_error for p in problems):
        if staging is not None:
            staging.abort()
        raise BuildFailed(_sorted(problems))


def _sorted(problems: list[SiteError]) -> list[SiteError]:
    return sorted(problems, key=lambda p: (not p.is_error, str(p.path), p.line or 0))
