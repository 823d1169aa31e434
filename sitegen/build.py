"""The pipeline in one screen: site.toml -> SiteConfig; columns/ -> Site (from the cache
where sources are unchanged); Site -> pages; pages whose inputs changed -> rendered and
staged in sitegen's private folder; then, only if nothing failed, renamed into the output
folder; then the search index follows what was written."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from .cache import Cache, code_key
from .config import CONFIG_NAME, SiteConfig, load_config
from .digest import Digester
from .errors import BuildFailed, SiteError, warning
from .feeds import Feed, feeds_for, render_feed
from .load import load_site
from .model import Site
from .parallel import map_indexed
from .pages import Page, plan
from .render import Renderer, Theme
from .report import report_warnings
from .search import INDEX_DIR, IndexResult, index_site
from .sitemap import SITEMAP_NAME, render_robots, render_sitemap
from .write import OutputFile, Staged, Staging, WriteStats, check_output_folder, copy_digest, find_collisions


@dataclass(frozen=True)
class Options:
    drafts: bool = False
    future: bool = False
    now: datetime | None = None  # "now" for leaving out future posts; tests pin it
    jobs: int | None = None  # processes for Markdown and templates; None: one per CPU
    cache: bool = True  # keep parsed and rendered posts in <output>/.sitegen-cache/
    progress: Callable[[str, int, int], None] | None = None  # (what, done, total), for a progress bar


@dataclass
class BuildResult:
    site: Site
    pages: int
    stats: WriteStats | None
    seconds: float
    warnings: list[SiteError] = field(default_factory=list)
    search: IndexResult | None = None  # when this build updated the search index

    def summary(self) -> str:
        per_column = ", ".join(
            f"{c.title} {len(self.site.posts_in(c))}" for c in self.site.columns if not c.is_page
        )
        text = f"{self.pages} pages, {len(self.site.posts)} posts ({per_column}), {len(self.warnings)} warnings"
        if self.stats is not None:
            text += f", {self.stats.written} written, {self.stats.unchanged} unchanged, {self.stats.removed} removed"
        text += f", {self.seconds:.2f} s"
        if self.search is not None:
            text += f"; search index {self.search.size / 1048576:.1f} MB in {self.search.seconds:.2f} s"
        return text


def build(source: Path, output: Path | None = None, options: Options = Options()) -> BuildResult:
    """Builds the site in `source` into `output` (default source/output). Raises BuildFailed
    with every problem, and then leaves the output folder exactly as it was."""
    source = source.resolve()
    output = (output or source / "output").resolve()
    try:
        check_output_folder(output)
    except SiteError as exc:
        raise BuildFailed([exc]) from None
    result = _run(source, options, output)
    config = result.site.config
    # The search index follows what was just written (a build that changed nothing keeps it).
    stats = result.stats
    if config.search and stats is not None and (stats.written or stats.removed
                                                or not (output / INDEX_DIR / "pagefind.js").is_file()):
        indexed = index_site(output, config.language)
        if isinstance(indexed, SiteError):
            result.warnings.append(indexed)
        else:
            result.search = indexed
    return result


def check(source: Path, options: Options = Options()) -> list[SiteError]:
    """Everything build() checks, with nothing written, plus the work report's warnings
    (columns with no recent post, a study_column naming no column); warnings and errors alike."""
    try:
        result = _run(source.resolve(), options, None)
    except BuildFailed as failed:
        return failed.problems
    now = options.now or datetime.now(result.site.config.tz)
    return _sorted(result.warnings + report_warnings(result.site, now))


def _run(source: Path, options: Options, output: Path | None) -> BuildResult:
    """The pipeline. Without an output folder it checks everything and writes nothing."""
    started = time.perf_counter()
    try:
        config: SiteConfig = load_config(source)
    except SiteError as exc:
        raise BuildFailed([exc]) from None
    environment = hashlib.blake2b(f"{code_key()}{config!r}".encode(), digest_size=16).hexdigest()
    cache = Cache(output if options.cache else None, environment)
    try:
        site, problems = load_site(source, config, drafts=options.drafts, future=options.future, now=options.now,
                                   jobs=options.jobs, cache=cache, progress=options.progress)
        if config.unsafe_html:
            problems.append(warning(source / CONFIG_NAME, None, "unsafe_html = true: raw HTML in posts is not cleaned, "
                                    "so a script in a post runs in every visitor's browser",
                                    "remove the setting unless every editor is trusted with that"))
        if site is None:
            raise BuildFailed(_sorted(problems))
        theme = Theme(source)
        pages = plan(site, now=options.now)
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
        staged, render_problems = _render(site, theme, pages, feeds, options.jobs, staging, options.progress)
        problems += render_problems
        if any(p.is_error for p in problems):
            if staging is not None:
                staging.abort(staged)
            raise BuildFailed(_sorted(problems))
        result = BuildResult(site, len(pages), None, 0.0, _sorted(problems))
        if staging is not None:
            try:
                # Copied files first, then pages in plan order (posts before the lists and home that link to them).
                staged = [staging.stage(file) for file in extras] + staged
                result.stats = staging.commit(staged)
            except SiteError as exc:
                staging.abort(staged)
                raise BuildFailed([exc]) from None
            cache.save()
    finally:
        cache.close()
    result.seconds = time.perf_counter() - started
    return result


@dataclass(frozen=True)
class FeedLink:
    """What a page's <head> says about a feed."""

    title: str
    url: str


def _render(site: Site, theme: Theme, pages: list[Page], feeds: list[Feed], jobs: int | None,
            staging: Staging | None, progress: Callable[[str, int, int], None] | None = None,
            ) -> tuple[list[Staged], list[SiteError]]:
    """Renders every page whose inputs changed and stages it; with no staging (check), the
    bytes are thrown away once they are known to render."""
    renderer = Renderer(site, theme)
    site_feed = FeedLink(feeds[0].title, feeds[0].url)
    column_feeds = {f.page_url: FeedLink(f.title, f.url) for f in feeds[1:]}
    digester = Digester(code_key(), site.config, site.columns, theme.fingerprint())

    def feeds_of(page: Page) -> list[FeedLink]:
        column = page.current_column
        return [site_feed] + ([column_feeds[column.url]] if column is not None and column.url in column_feeds else [])

    digests = [digester.page(page, feeds_of(page)) for page in pages]
    kept = [staging.unchanged(page.output, digest) if staging else None for page, digest in zip(pages, digests)]
    todo = [index for index, found in enumerate(kept) if found is None]

    def render(index: int) -> Staged | SiteError | None:
        page = pages[todo[index]]
        try:
            data = renderer.render(page, feeds=feeds_of(page))
            if staging is None:
                return None
            return staging.stage(OutputFile(page.output, page.template, data=data, digest=digests[todo[index]]))
        except SiteError as exc:
            return exc

    problems: list[SiteError] = []
    report = (lambda done, total: progress("pages written", done, total)) if progress else None
    for index, result in zip(todo, map_indexed(render, len(todo), jobs, report)):
        if isinstance(result, SiteError):
            if not any(p.format() == result.format() for p in problems):  # a broken template: say it once
                problems.append(result)
        else:
            kept[index] = result
    return [item for item in kept if item is not None], problems


def _sorted(problems: list[SiteError]) -> list[SiteError]:
    return sorted(problems, key=lambda p: (not p.is_error, str(p.path), p.line or 0))
