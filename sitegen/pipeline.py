"""The pipeline, top to bottom in run(): site.toml -> SiteConfig; columns/ -> Site (from the
store where the sources are unchanged); Site -> pages and the other files; the pages whose
inputs changed rendered into a new version of the site (unchanged files linked from the live
one), its search index made and checked there; then, only if nothing failed, that version put
live with one switch (publish.py) and the store saved. build.py runs it under the output
folder's lock, after asking the state whether anything changed at all; `sitegen check` runs it
with no output folder, so that it checks everything and writes nothing."""

from __future__ import annotations

import gc
import hashlib
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import CACHE_DIR, Cache, code_key
from .config import CONFIG_NAME, SiteConfig, load_config
from .errors import BuildFailed, SiteError
from .outcome import BuildResult, Options, Reuse
from .reuse import sitemap_of
from .search import INDEX_DIR, IndexResult, index_folder, removed_marker, search_source
from .snapshot import Vouched

if TYPE_CHECKING:
    from .cache import Bodies
    from .feeds import Feed
    from .manifest import Published
    from .model import Site
    from .pages import Page
    from .photo_set import PhotoSet
    from .render import Theme
    from .write import OutputFile, Staging


def run(source: Path, options: Options, now: datetime, output: Path | None,
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
        site, problems, bodies, photos = load_site(source, config, options, now, store, vouched)
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


def load_site(source: Path, config: SiteConfig, options: Options, now: datetime, cache: Cache,
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
