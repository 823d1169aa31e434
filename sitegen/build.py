"""The pipeline in one screen: site.toml -> SiteConfig; columns/ -> Site (from the cache
where sources are unchanged); Site -> pages; pages whose inputs changed -> rendered and
staged in sitegen's private folder; then, only if nothing failed, renamed into the output
folder; then the search index follows what was written.

Two shortcuts around it: a build that finds every source and output file as the last good
build left them (snapshot.py) stops before loading anything, and a watcher that kept its
last site in memory rewrites just the pages of posts whose bodies alone changed
(rebuild_bodies)."""

from __future__ import annotations

import gc
import hashlib
import sys
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from markupsafe import Markup

from .cache import CACHE_DIR, Cache, code_key
from .config import CONFIG_NAME, SiteConfig, load_config
from .errors import BuildFailed, SiteError, warning
from .layout import SOURCE_DIRS, default_theme
from .search import INDEX_DIR, IndexResult, index_site
from .snapshot import Scan, State, load_state, output_status, save_state
from .write import MANIFEST, WriteStats, check_output_folder

if TYPE_CHECKING:
    from .digest import Digester
    from .feeds import Feed
    from .load import Loader
    from .model import Site
    from .pages import Page
    from .related import Related
    from .render import Theme
    from .write import Staged, Staging


@dataclass(frozen=True)
class Options:
    drafts: bool = False
    future: bool = False
    now: datetime | None = None  # "now" for leaving out future posts; tests pin it
    jobs: int | None = None  # processes for Markdown and templates; None: one per CPU
    cache: bool = True  # keep parsed and rendered posts in <output>/.sitegen-cache/
    progress: Callable[[str, int, int], None] | None = None  # (what, done, total), for a progress bar
    keep: bool = False  # a watcher: keep the loaded site for rebuild_bodies (and always load it)
    search_index: bool = True  # False: leave the search index to the caller (a watcher does it after reporting)


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
    kept: Kept | None = None  # with Options(keep=True): for rebuild_bodies

    def summary(self) -> str:
        per_column = ", ".join(f"{title} {count}" for title, count in self.columns)
        posts = sum(count for _, count in self.columns)
        text = f"{self.pages} pages, {posts} posts ({per_column}), {len(self.warnings)} warnings"
        if self.stats is not None:
            text += f", {self.stats.written} written, {self.stats.unchanged} unchanged, {self.stats.removed} removed"
        text += f", {self.seconds:.2f} s"
        if self.search is not None:
            text += f"; search index {self.search.size / 1048576:.1f} MB in {self.search.seconds:.2f} s"
        return text


def build(source: Path, output: Path | None = None, options: Options = Options()) -> BuildResult:
    """Builds the site in `source` into `output` (default source/output). Raises BuildFailed
    with every problem, and then leaves the output folder exactly as it was."""
    started = time.perf_counter()
    source = source.resolve()
    output = (output or source / "output").resolve()
    try:
        check_output_folder(output)
    except SiteError as exc:
        raise BuildFailed([exc]) from None
    cache_folder = output / CACHE_DIR
    # Taken before anything is read, so an edit made during this build shows in the next scan.
    scan = Scan.of([source / CONFIG_NAME, *(source / name for name in SOURCE_DIRS), default_theme()])
    key = _state_key(source, output, options)
    state = load_state(cache_folder) if options.cache else None
    now = options.now or datetime.now().astimezone()
    if state is not None and not options.keep and state.unchanged(key, scan, output, now.timestamp()):
        result = state.summary
        result.seconds = time.perf_counter() - started
        return result
    # A build makes many objects and few cycles: the collector's passes over every loaded
    # post cost more than the little garbage they would find (up to the state's save).
    collecting = gc.isenabled()
    gc.disable()
    try:
        result = _run(source, options, output, state, scan)
        config = result.site.config  # type: ignore[union-attr]
        # The search index follows what was just written (a build that changed nothing keeps it).
        complete = not needs_index(result, output)
        if not complete and options.search_index:
            indexed = index_site(output, config.language)
            if isinstance(indexed, SiteError):
                result.warnings.append(indexed)
            else:
                result.search = indexed
                complete = True
        if options.cache and complete:  # only a site with its index is one a next build may find unchanged
            _save_state(cache_folder, key, scan, output, result, now)
    finally:
        if collecting:
            gc.enable()
    result.seconds = time.perf_counter() - started
    return result


def needs_index(result: BuildResult, output: Path) -> bool:
    """Whether the search index must follow this build: search is on, and pages were written or
    removed, or there is no index yet."""
    site = result.site or (result.kept.site if result.kept else None)
    if site is None or not site.config.search or result.stats is None:
        return False
    return bool(result.stats.written or result.stats.removed or not (output / INDEX_DIR / "pagefind.js").is_file())


def _state_key(source: Path, output: Path, options: Options) -> str:
    parts = (code_key(), sys.version, str(source), str(output), str(options.drafts), str(options.future))
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


def _save_state(folder: Path, key: str, scan: Scan, output: Path, result: BuildResult, now: datetime) -> None:
    site = result.site
    assert site is not None and result.stats is not None
    written = output_status(output, [*result.outputs, MANIFEST]
                            + ([f"{INDEX_DIR}/pagefind.js"] if site.config.search else []))
    if written is None:  # something removed a file meanwhile: let the next build look
        return
    horizon = site.next_due
    if site.config.report:  # the work report's pages say which months have ended: they change daily
        midnight = (now.astimezone(site.config.tz) + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        horizon = min(horizon, midnight) if horizon else midnight
    summary = BuildResult(None, result.pages, WriteStats(0, len(result.outputs), 0), 0.0, result.warnings,
                          columns=result.columns)
    digests = {str(path): digest for path, digest in site.digests.items() if scan.entries.get(str(path))}
    save_state(folder, State(key, scan.entries, digests, written, now.timestamp(),
                             horizon.timestamp() if horizon else None, summary))


def check(source: Path, options: Options = Options()) -> list[SiteError]:
    """Everything build() checks, with nothing written, plus the work report's warnings
    (columns with no recent post, a study_column naming no column); warnings and errors alike."""
    from .report import report_warnings

    try:
        result = _run(source.resolve(), options, None)
    except BuildFailed as failed:
        return failed.problems
    site = result.site
    assert site is not None
    now = options.now or datetime.now(site.config.tz)
    return _sorted(result.warnings + report_warnings(site, now))


def _run(source: Path, options: Options, output: Path | None, state: State | None = None,
         scan: Scan | None = None) -> BuildResult:
    """The pipeline. Without an output folder it checks everything and writes nothing."""
    # Imported here, not above: a build that finds nothing changed never needs them.
    from .feeds import feeds_for, render_feed
    from .load import Loader
    from .pages import plan
    from .render import Theme
    from .sitemap import SITEMAP_NAME, render_robots, render_sitemap
    from .write import OutputFile, Staging, copy_digest, find_collisions

    started = time.perf_counter()
    try:
        config: SiteConfig = load_config(source)
    except SiteError as exc:
        raise BuildFailed([exc]) from None
    environment = hashlib.blake2b(f"{code_key()}{config!r}".encode(), digest_size=16).hexdigest()
    cache = Cache(output if options.cache else None, environment)
    known = (lambda path: state.digest_of(path, scan)) if state is not None and scan is not None else None
    try:
        loader = Loader(source, config, options.drafts, options.future, options.now or datetime.now(config.tz),
                        options.jobs, cache, options.progress, known)
        site, problems = loader.load(), loader.problems
        if config.unsafe_html:
            problems.append(warning(source / CONFIG_NAME, None, "unsafe_html = true: raw HTML in posts is not cleaned, "
                                    "so a script in a post runs in every visitor's browser",
                                    "remove the setting unless every editor is trusted with that"))
        if site is None:
            raise BuildFailed(_sorted(problems))
        theme = Theme(source)
        pages = plan(site, now=options.now, related=_related(site, cache))
        feeds = feeds_for(site)
        extras = [OutputFile(feed.relpath, "feeds", data=render_feed(feed, site)) for feed in feeds]
        extras.append(OutputFile(SITEMAP_NAME, "sitemap", data=render_sitemap(site, pages)))
        extras.append(OutputFile("robots.txt", "robots.txt", data=render_robots(site)))
        copies = [(a.relpath, a.source) for a in site.assets] + [(f.relpath, f.source) for f in theme.files.values()]
        extras += [OutputFile(relpath, str(path), source=path, digest=copy_digest(path)) for relpath, path in copies]
        problems += find_collisions([OutputFile(page.output, page.template) for page in pages] + extras)
        if any(p.is_error for p in problems):
            raise BuildFailed(_sorted(problems))
        try:
            staging = Staging(output, [page.output for page in pages] + [f.relpath for f in extras]) if output else None
        except SiteError as exc:
            raise BuildFailed([exc]) from None
        maker = _PageMaker(site, theme, feeds, output / CACHE_DIR / "templates" if output and options.cache else None)
        digester = maker.digester()
        known, record = _known_pages(digester, site, pages, staging, cache, options.now)
        staged, render_problems = _render(maker, digester, pages, options.jobs, staging, options.progress, known)
        problems += render_problems
        if any(p.is_error for p in problems):
            if staging is not None:
                staging.abort(staged)
            raise BuildFailed(_sorted(problems))
        columns = [(c.title, len(site.posts_in(c))) for c in site.columns if not c.is_page]
        result = BuildResult(site, len(pages), None, 0.0, _sorted(problems), columns=columns)
        if staging is not None:
            try:
                # Copied files first, then pages in plan order (posts before the lists and home that link to them).
                staged = [staging.stage(file) for file in extras] + staged
                result.stats = staging.commit(staged)
                result.outputs = [item.relpath for item in staged]
            except SiteError as exc:
                staging.abort(staged)
                raise BuildFailed([exc]) from None
            if record is not None:  # what the site's pages were made from, as of this manifest
                key, *made_from = record
                cache.put(key, (*made_from, staging.manifest_id))
            cache.save()
            if options.keep:
                result.kept = Kept(output, environment, loader, site, pages, feeds, maker)
    finally:
        cache.close()
    result.seconds = time.perf_counter() - started
    return result


@dataclass
class Kept:
    """What a watcher keeps of its last full build, so that an edit to posts' bodies alone
    renders just those posts' pages (rebuild_bodies)."""

    output: Path
    environment: str  # the cache's key for sitegen and the settings
    loader: Loader
    site: Site
    pages: list[Page]
    feeds: list[Feed]
    maker: _PageMaker
    page_of: dict[Path, int] = field(default_factory=dict)  # a post's file -> its page

    def __post_init__(self) -> None:
        self.page_of = {page.context["post"].source: i for i, page in enumerate(self.pages) if page.kind == "post"}


def rebuild_bodies(kept: Kept, paths: set[Path]) -> BuildResult | None:
    """After edits that changed nothing but the bodies of published posts, renders and writes
    each one's own page, and nothing else: its card on lists, feeds, neighbours and related
    posts is as it was. None when the edits did more (a new, moved or removed file; a changed
    title, date, tag, summary or reading time; a problem to report): then a full build runs."""
    from .feeds import render_feed
    from .markup import Rendered
    from .meta import decode_source, post_meta, split_document
    from .model import Body
    from .write import OutputFile, write_files

    started = time.perf_counter()
    loader, config = kept.loader, kept.site.config
    if not paths:
        return None
    edits: list[tuple[Path, Any, Rendered, Any, Page]] = []
    for path in sorted(paths):
        old, index = loader.sources.get(path), kept.page_of.get(path)
        if old is None or index is None:
            return None
        try:
            data = path.read_bytes()
            if len(data) > config.max_file_size:
                return None
            doc = split_document(decode_source(data, path), path)
        except (OSError, SiteError):
            return None
        meta, problems = post_meta(doc, config.tz)
        if problems or meta != old.meta:
            return None
        source = replace(old, doc=doc, digest=hashlib.blake2b(data, digest_size=20).hexdigest())
        rendered, dependencies = loader.render_body(source)
        page = kept.pages[index]
        post = page.context["post"]
        if rendered.problems or rendered.summary_html != post.summary_html or rendered.reading_minutes != post.reading_minutes:
            return None
        body = Body(hashlib.blake2b(rendered.body_html.encode(), digest_size=20).hexdigest(), Markup(rendered.body_html))
        new_post = replace(post, body=body, toc_html=Markup(rendered.toc_html))
        new_page = replace(page, posts=tuple(new_post if p is post else p for p in page.posts),
                           context={**page.context, "post": new_post})
        edits.append((path, source, rendered, dependencies, new_page))
    digester = kept.maker.digester()
    try:
        files = [OutputFile(page.output, page.template, data=kept.maker.render(page),
                            digest=digester.page(page, kept.maker.feeds_of(page))) for _, _, _, _, page in edits]
        if config.feed_full_content:  # feeds carry the newest posts' bodies
            edited = {id(kept.pages[kept.page_of[path]].context["post"]): page.context["post"] for path, *_, page in edits}
            for index, feed in enumerate(kept.feeds):
                if any(id(post) in edited for post in feed.posts):
                    kept.feeds[index] = replace(feed, posts=tuple(edited.get(id(post), post) for post in feed.posts))
                    files.append(OutputFile(feed.relpath, "feeds", data=render_feed(kept.feeds[index], kept.site)))
        stats = write_files(kept.output, files)
    except SiteError:
        return None
    cache = Cache(kept.output, kept.environment)
    try:
        for path, source, rendered, dependencies, page in edits:
            loader.store_post(source, rendered, dependencies, page.context["post"].body.digest, cache)
            loader.sources[path] = source
            kept.pages[kept.page_of[path]] = page
        cache.flush()
    finally:
        cache.close()
    result = BuildResult(kept.site, len(kept.pages), stats, time.perf_counter() - started,
                         columns=[(c.title, len(kept.site.posts_in(c))) for c in kept.site.columns if not c.is_page])
    result.kept = kept
    result.seconds = time.perf_counter() - started
    return result  # the search index is the watcher's to update (needs_index)


@dataclass(frozen=True)
class FeedLink:
    """What a page's <head> says about a feed."""

    title: str
    url: str


class _PageMaker:
    """Renders pages with their feed links, and digests what each is made from."""

    def __init__(self, site: Site, theme: Theme, feeds: list[Feed], compiled: Path | None = None) -> None:
        from .render import Renderer

        self.renderer = Renderer(site, theme, compiled)
        self.site_feed = FeedLink(feeds[0].title, feeds[0].url)
        self.column_feeds = {f.page_url: FeedLink(f.title, f.url) for f in feeds[1:]}
        self.inputs = (code_key(), site.config, site.columns, theme.fingerprint())  # what every page is made with

    def feeds_of(self, page: Page) -> list[FeedLink]:
        column = page.current_column
        feed = self.column_feeds.get(column.url) if column is not None else None
        return [self.site_feed] + ([feed] if feed else [])

    def digester(self) -> Digester:
        from .digest import Digester

        return Digester(*self.inputs)

    def render(self, page: Page) -> bytes:
        return self.renderer.render(page, feeds=self.feeds_of(page))


def _related(site: Site, cache: Cache) -> Related:
    """Related posts, from the cache while no post's tags (or place in the site's order) changed."""
    from .related import related_indices, related_posts, tags_key

    key = cache.key("related", tags_key(site))
    known = cache.get(key)
    if not isinstance(known, tuple):
        known = related_indices(site)
        cache.put(key, known)
    return related_posts(site, known=known)


def _known_pages(digester: Digester, site: Site, pages: list[Page], staging: Staging | None, cache: Cache,
                 now: datetime | None) -> tuple[set[int], tuple[Any, ...] | None]:
    """Pages known unchanged without a digest of their own. When the plan of pages has the
    same shape as the last build's (Digester.shape), a page changed only if a post it shows
    changed its card, or, for a post's own page, its body: an edit to one post costs the few
    pages that show it, not a digest of every page of the site. The record says so only of the
    manifest that build wrote: anything that wrote the site since (a build without the cache, a
    watcher's edit) wrote another. Also this build's record, for the cache once it has succeeded."""
    from .digest import body_key
    from .report import local_now

    if staging is None or cache.path is None:
        return set(), None
    shape = digester.shape(site, local_now(site, now).date() if site.config.report else None)
    if shape is None:
        return set(), None
    cards = digester.cards(site)
    bodies = {post.url: body_key(post) for post in site.posts}
    key = cache.key("pages")
    last = cache.get(key)
    known: set[int] = set()
    if isinstance(last, tuple) and len(last) == 4 and last[0] == shape and last[3] and last[3] == staging.manifest_id:
        _, last_cards, last_bodies, _ = last
        changed = {url for url, card in cards.items() if last_cards.get(url) != card}
        for index, page in enumerate(pages):
            shown = page.posts
            if page.kind == "post":
                if last_bodies.get(page.url) != bodies[page.url]:
                    continue
                shown += page.context.get("related", ())
            if changed and any(post.url in changed for post in shown):
                continue
            if staging.intact(page.output):
                known.add(index)
    return known, (key, shape, cards, bodies)


def _render(maker: _PageMaker, digester: Digester, pages: list[Page], jobs: int | None, staging: Staging | None,
            progress: Callable[[str, int, int], None] | None, known: set[int]) -> tuple[list[Staged], list[SiteError]]:
    """Renders every page whose inputs changed and stages it; with no staging (check), the
    bytes are thrown away once they are known to render. Pages `known` unchanged (by index)
    are kept as they are."""
    from .parallel import map_indexed
    from .write import OutputFile

    todo = [i for i in range(len(pages)) if i not in known]

    def render(number: int) -> Staged | SiteError | str | None:
        """A page as the last build left it if it is made from the same inputs, else rendered
        (digests too are worked out on the worker processes: a large site has many pages)."""
        page = pages[todo[number]]
        try:
            digest = digester.page(page, maker.feeds_of(page))
            if staging is not None and staging.unchanged(page.output, digest) is not None:
                return _UNCHANGED  # (a word, not the whole record, goes back to the main process)
            data = maker.render(page)
            if staging is None:
                return None
            return staging.stage(OutputFile(page.output, page.template, data=data, digest=digest))
        except SiteError as exc:
            return exc

    problems: list[SiteError] = []
    staged: list[Staged] = []
    report = (lambda done, total: progress("pages written", done, total)) if progress else None
    results: list[Staged | SiteError | str | None] = [_UNCHANGED] * len(pages)
    for index, result in zip(todo, map_indexed(render, len(todo), jobs, report)):
        results[index] = result
    for page, result in zip(pages, results):
        if isinstance(result, SiteError):
            if not any(p.format() == result.format() for p in problems):  # a broken template: say it once
                problems.append(result)
        elif result == _UNCHANGED:
            staged.append(staging.unchanged_entry(page.output))  # type: ignore[union-attr]
        elif result is not None:
            staged.append(result)  # type: ignore[arg-type]
    return staged, problems


_UNCHANGED = "unchanged"


def _sorted(problems: list[SiteError]) -> list[SiteError]:
    return sorted(problems, key=lambda p: (not p.is_error, str(p.path), p.line or 0))
