"""The pipeline in one screen: site.toml -> SiteConfig; columns/ -> Site (from the store where
sources are unchanged); Site -> pages; pages whose inputs changed -> rendered and staged in
sitegen's private folder; then, only if nothing failed, renamed into the output folder; then
the search index follows what was written, and the state is recorded for the next build.

"Now" is read once, here, and passed down: which posts are due, the work report's months and
the state's horizon all agree. What may be reused, and on what evidence, is reuse.py's."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from markupsafe import Markup

from .cache import CACHE_DIR, Cache, code_key
from .config import CONFIG_NAME, SiteConfig, load_config
from .errors import BuildFailed, SiteError, warning
from .layout import SOURCE_DIRS, default_theme
from .reuse import problems_from_plain, problems_to_plain, record_state, state_key
from .search import INDEX_DIR, IndexResult, index_site
from .snapshot import Scan, load_state
from .write import WriteStats, check_output_folder

if TYPE_CHECKING:
    from .feeds import Feed
    from .load import Loader
    from .model import Site
    from .pages import Page
    from .render_pages import PageMaker


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

    def as_plain(self) -> dict[str, Any]:
        """What a build that finds nothing changed says again (kept in the state, as JSON)."""
        return {"pages": self.pages, "files": len(self.outputs), "warnings": problems_to_plain(self.warnings),
                "columns": [list(column) for column in self.columns]}

    @classmethod
    def repeated(cls, plain: dict[str, Any], seconds: float) -> BuildResult:
        return cls(None, plain["pages"], WriteStats(0, plain["files"], 0), seconds,
                   problems_from_plain(plain["warnings"]), columns=[(t, n) for t, n in plain["columns"]])


def build(source: Path, output: Path | None = None, options: Options = Options()) -> BuildResult:
    """Builds the site in `source` into `output` (default source/output). Raises BuildFailed
    with every problem, and then leaves the output folder exactly as it was."""
    started = time.perf_counter()
    now = options.now or datetime.now().astimezone()  # the one clock read of this build
    source = source.resolve()
    output = (output or source / "output").resolve()
    try:
        check_output_folder(output)
    except SiteError as exc:
        raise BuildFailed([exc]) from None
    store_folder = output / CACHE_DIR
    # Taken before anything is read, so an edit made during this build shows in the next scan.
    scan = Scan.of([source / CONFIG_NAME, *(source / name for name in SOURCE_DIRS), default_theme()])
    key = state_key(source, output, options.drafts, options.future)
    state = load_state(store_folder) if options.cache else None
    if state is not None and not options.keep and state.unchanged(key, scan, output, now.timestamp()):
        try:
            return BuildResult.repeated(state.summary, time.perf_counter() - started)
        except (KeyError, TypeError, ValueError):  # a damaged state: build
            pass
    known = (lambda path: state.digest_of(path, scan)) if state is not None else None
    result = _run(source, options, now, output, known)
    site = result.site
    assert site is not None
    complete = not needs_index(result, output)  # the search index follows what was just written
    if not complete and options.search_index:
        indexed = index_site(output, site.config.language)
        if isinstance(indexed, SiteError):
            result.warnings.append(indexed)
        else:
            result.search, complete = indexed, True
    if options.cache and complete:  # only a site with its index is one a next build may find unchanged
        record_state(store_folder, key, scan, output, site, result.outputs, result.as_plain(), now)
    result.seconds = time.perf_counter() - started
    return result


def needs_index(result: BuildResult, output: Path) -> bool:
    """Whether the search index must follow this build: search is on, and pages were written or
    removed, or there is no index yet."""
    site = result.site or (result.kept.site if result.kept else None)
    if site is None or not site.config.search or result.stats is None:
        return False
    return bool(result.stats.written or result.stats.removed or not (output / INDEX_DIR / "pagefind.js").is_file())


def check(source: Path, options: Options = Options()) -> list[SiteError]:
    """Everything build() checks, with nothing written, plus the work report's warnings
    (columns with no recent post, a study_column naming no column); warnings and errors alike."""
    from .report import report_warnings

    now = options.now or datetime.now().astimezone()
    try:
        result = _run(source.resolve(), options, now, None)
    except BuildFailed as failed:
        return failed.problems
    assert result.site is not None
    return _sorted(result.warnings + report_warnings(result.site, now))


def read_site(source: Path, config: SiteConfig, options: Options, now: datetime) -> tuple[Site, list[SiteError]]:
    """columns/ -> the Site and its warnings, exactly as a build reads them (check and report
    use it). Raises BuildFailed with every problem when there is an error."""
    site, problems, _ = _load(source, config, options, now, Cache(None, ""), None)
    return site, problems


def _load(source: Path, config: SiteConfig, options: Options, now: datetime, cache: Cache,
          known: Callable[[Path], str | None] | None) -> tuple[Site, list[SiteError], Loader]:
    from .load import Loader

    loader = Loader(source, config, options.drafts, options.future, now.astimezone(config.tz), options.jobs, cache,
                    options.progress, known)
    site, problems = loader.load(), loader.problems
    if config.unsafe_html:
        problems.append(warning(source / CONFIG_NAME, None, "unsafe_html = true: raw HTML in posts is not cleaned, "
                                "so a script in a post runs in every visitor's browser",
                                "remove the setting unless every editor is trusted with that"))
    if site is None or any(p.is_error for p in problems):
        raise BuildFailed(_sorted(problems))
    return site, problems, loader


def _run(source: Path, options: Options, now: datetime, output: Path | None,
         known: Callable[[Path], str | None] | None = None) -> BuildResult:
    """The pipeline. Without an output folder it checks everything and writes nothing."""
    from .feeds import feeds_for, render_feed
    from .pages import plan
    from .render import Theme
    from .render_pages import PageMaker, render_stale
    from .reuse import known_pages, related
    from .sitemap import SITEMAP_NAME, render_robots, render_sitemap
    from .write import OutputFile, Staging, copy_digest, find_collisions

    started = time.perf_counter()
    try:
        config = load_config(source)
    except SiteError as exc:
        raise BuildFailed([exc]) from None
    # Every entry of the store is keyed by sitegen's code and the settings, besides its content.
    environment = hashlib.blake2b(f"{code_key()}{config!r}".encode(), digest_size=16).hexdigest()
    cache = Cache(output if options.cache else None, environment)
    try:
        site, problems, loader = _load(source, config, options, now, cache, known)
        theme = Theme(source)
        pages = plan(site, now=now, related=related(site, cache))
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
        maker = PageMaker(site, theme, feeds)
        digester = maker.digester()
        unchanged, record = known_pages(digester, site, pages, staging, cache, now)
        staged, render_problems = render_stale(maker, digester, pages, options.jobs, staging, options.progress, unchanged)
        problems += render_problems
        if any(p.is_error for p in problems):
            if staging is not None:
                staging.abort()
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
                staging.abort()
                raise BuildFailed([exc]) from None
            if record is not None:  # what the site's pages were made from, as of this manifest
                record_key, *made_from = record
                cache.put(record_key, (*made_from, staging.manifest_id))
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
    maker: PageMaker
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


def _sorted(problems: list[SiteError]) -> list[SiteError]:
    return sorted(problems, key=lambda p: (not p.is_error, str(p.path), p.line or 0))
