"""columns/ (and static/) -> Site + every problem found. One bad file never stops the others
from being read, so an editor sees all mistakes at once.

In order: the columns and their _index.md; the posts' front matter (posts.py: from the cache
or read); the files copied as they are (assets.py); then, with every link target known
(links.py), the columns' intros and the posts' bodies (bodies.py); then each Post, with its
tags (tags.py). Walking the folders and reading a file within the size limit: sources.py."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Callable

from markupsafe import Markup

from .assets import Assets
from .bodies import BodyRenderer
from .cache import Cache
from .config import SiteConfig
from .errors import SiteError, warning
from .layout import COLUMNS_DIR, STATIC_DIR
from .links import Links
from .markup import LinkProblem, Rendered
from .meta import ColumnMeta, Document, column_meta, decode_source, split_document
from .model import Body, Column, Post, Site
from .posts import CachedBody, PostReader, PostSource
from .sources import (MARKDOWN_SUFFIXES, is_ignored, is_post, not_a_file, place_in_bundles, read_file, refused_symlink,
                      site_path, unreadable_folder, walk)
from .tags import Tags
from .slugs import Slugs
from .urls import MAX_SLUG, join_url, strip_date_prefix, unsafe_slug_reason

RESERVED_SLUGS = {"tags", "archive", "static", "search", "report", "page", "feeds", "pagefind"}

# A column as found: the column, its _index.md, and its files, each with its bundle or None.
_FoundColumn = tuple[Column, Document, list[tuple[Path, "Path | None"]]]


class Loader:
    """Reads a site, for one build: the pages it renders may ask it for a body again (body_again)."""

    def __init__(self, root: Path, config: SiteConfig, drafts: bool, future: bool, now: datetime,
                 jobs: int | None = None, cache: Cache | None = None,
                 progress: Callable[[str, int, int], None] | None = None,
                 known: Callable[[Path], str | None] | None = None) -> None:
        self.root = root
        self.config = config
        self.drafts = drafts
        self.future = future
        self.now = now
        self.cache = cache or Cache(None, "")
        self.problems: list[SiteError] = []
        self.sources: dict[Path, PostSource] = {}  # every published post, by its file
        self.digests: dict[Path, str] = {}  # content hash of every post read
        self.slugs = Slugs(self.cache)
        self.next_due: datetime | None = None  # the earliest post left out for being in the future
        self.links = Links(root, config.base_path)
        self.assets = Assets(self.links, config.base_path)
        self.tags = Tags(root, config.base_path, self.slugs.of)
        self.posts = PostReader(root, config, self.cache, known, jobs)
        self.bodies = BodyRenderer(root, config, self.cache, self.links, self.body_again, jobs, progress)

    def load(self) -> Site | None:
        columns_dir = self.root / COLUMNS_DIR
        if not columns_dir.is_dir():
            self.problems.append(SiteError(columns_dir, None, "there is no columns/ folder",
                                           "create columns/<name>/_index.md for each column"))
            return None
        if not os.access(columns_dir, os.R_OK | os.X_OK):
            self.problems.append(unreadable_folder(columns_dir, "Permission denied"))
            return None
        self.slugs.spell([entry.name for entry in columns_dir.iterdir()])
        found = self.load_columns(columns_dir)
        self.posts.read_ahead([[path for path, bundle in files if is_post(path, bundle)]
                               for column, _, files in found if not column.is_page])
        self.slugs.spell(self.posts.names_read())
        sources: list[PostSource] = []
        cached: dict[Path, CachedBody] = {}  # bodies from the cache, to check once every link target is known
        for column, _, files in found:
            sources.extend(self.load_posts(column, files, cached))
        self.add_static()
        self.problems.extend(_url_collisions(self.root, sources))
        self.slugs.spell([name for source in sources for name in source.meta.tags])
        columns = {column.slug: self.with_intro(column, doc) for column, doc, _ in found}
        self.sources = {source.path: source for source in sources}
        bodies = self.bodies.bodies(sources, cached)
        posts = [self.make_post(source, body, columns[source.column.slug]) for source, body in zip(sources, bodies)]
        if any(p.is_error for p in self.problems):
            return None
        posts.sort(key=lambda p: (p.date, p.url), reverse=True)
        return Site(self.config, self.root, tuple(sorted(columns.values(), key=lambda c: (c.order, c.slug))),
                    tuple(posts), self.assets.all(), next_due=self.next_due, digests=self.digests)

    # ------------------------------------------------------------------ columns

    def load_columns(self, columns_dir: Path) -> list[_FoundColumn]:
        found: list[_FoundColumn] = []
        slugs: dict[str, Path] = {}
        for entry in sorted(columns_dir.iterdir()):
            if is_ignored(entry.name):
                continue
            if (refused := refused_symlink(entry, self.root)) is not None:
                self.problems.append(refused)
                continue
            if not entry.is_dir():
                self.problems.append(not_a_file(entry) or warning(entry, None, "files directly in columns/ are ignored",
                                                                  "put posts inside a column's folder, such as columns/study/"))
                continue
            loaded = self.load_column(entry, slugs)
            if loaded is not None:
                found.append(loaded)
        return found

    def load_column(self, folder: Path, slugs: dict[str, Path]) -> _FoundColumn | None:
        index = folder / "_index.md"
        if not os.access(folder, os.R_OK | os.X_OK):  # not "no _index.md": nothing in it can be seen
            self.problems.append(unreadable_folder(folder, "Permission denied"))
            return None
        if not os.path.lexists(index):  # (one that is not a file: reading it says what it is)
            self.problems.append(SiteError(folder, None, "this column folder has no _index.md",
                                           "create _index.md in it with '---', 'title: ...', 'order: ...', '---'"))
            return None
        slug = self.slugs.of(folder.name)
        problem = _column_slug_problem(self.root, folder, slug, slugs)
        if problem is not None:
            self.problems.append(problem)
            return None
        slugs[slug] = folder
        doc = _read_document(index, self.config.max_file_size)
        meta: ColumnMeta | None = None
        if isinstance(doc, SiteError):
            self.problems.append(doc)
        else:
            meta, problems = column_meta(doc)
            self.problems.extend(problems)
        files, refused = walk(folder, self.root)
        self.problems.extend(refused)
        if meta is None or isinstance(doc, SiteError):
            return None
        column = Column(slug=slug, title=meta.title, description=meta.description, order=meta.order,
                        url=join_url(self.config.base_path, slug), source=folder, is_page=meta.layout == "page")
        self.links.add(index, column.url)
        self.links.add(folder, column.url)
        return column, doc, place_in_bundles(folder, [f for f in files if f != index])

    def with_intro(self, column: Column, doc: Document) -> Column:
        """The column with its _index.md's text rendered."""
        html, problems = self.bodies.intro(doc)
        self.problems.extend(problems)
        return replace(column, intro_html=Markup(html))

    # ------------------------------------------------------------------ posts

    def load_posts(self, column: Column, files: list[tuple[Path, Path | None]],
                   cached: dict[Path, CachedBody]) -> list[PostSource]:
        """The column's posts this build publishes; its other files are copied as they are, a
        bundle's under its post's address (and only when the post is published)."""
        sources: list[PostSource] = []
        bundled: dict[Path, list[Path]] = {}
        for path, bundle in files:
            if bundle is not None and path != bundle / "index.md":
                bundled.setdefault(bundle, []).append(path)
            elif path.suffix.lower() not in MARKDOWN_SUFFIXES:
                self.add_asset(path, f"{column.slug}/{path.relative_to(column.source).as_posix()}")
            elif column.is_page:
                self.problems.append(SiteError(path, None, f"column '{column.slug}' is a single page (layout: page) and cannot hold posts",
                                               "move the post to another column, or remove 'layout: page' from _index.md"))
            elif (source := self.load_post(column, path, bundle, cached)) is not None:
                sources.append(source)
        for source in sources:
            if source.bundle is not None:
                folder = source.url[len(self.config.base_path):].rstrip("/")
                for path in bundled.get(source.bundle, []):
                    self.add_asset(path, f"{folder}/{path.relative_to(source.bundle).as_posix()}")
        return sources

    def load_post(self, column: Column, path: Path, bundle: Path | None,
                  cached: dict[Path, CachedBody]) -> PostSource | None:
        read = self.posts.get(path)
        if isinstance(read, SiteError):
            self.problems.append(read)
            return None
        self.digests[path] = read.digest
        if read.body is not None:
            cached[path] = read.body
        self.problems.extend(read.problems)
        meta, doc = read.meta, read.doc
        if meta is None:
            return None
        slug = read.slug  # spelled when the cache entry was made
        if slug is None and meta.slug is not None:
            reason = unsafe_slug_reason(meta.slug)
            if reason:
                self.problems.append(SiteError(path, doc.line("slug"), f"{reason}: {meta.slug!r}",
                                               "use lowercase letters, digits and '-', such as 'party-lesson'"))
                return None
            slug = self.slugs.of(meta.slug)
        elif slug is None:
            slug = self.slugs.of(strip_date_prefix(bundle.name if bundle else path.stem))
        if not read.from_cache:  # BodyRenderer adds the body
            self.posts.remember(path, read, slug)
        problem = _post_slug_problem(path, doc.line("slug") if meta.slug else 1, slug)
        if problem is not None:
            self.problems.append(problem)
            return None
        url = join_url(self.config.base_path, column.slug, slug)
        if meta.date > self.now:  # from then on the same sources give another site (shown, or not scheduled)
            self.next_due = min(self.next_due, meta.date) if self.next_due else meta.date
        if meta.draft and not self.drafts:
            self.links.leave_out(path, "a draft")
        elif meta.date > self.now and not self.future:
            self.links.leave_out(path, f"dated in the future ({meta.date:%Y-%m-%d %H:%M})")
        else:
            self.links.add(path, url)
            if bundle is not None:
                self.links.add(bundle, url)
            return PostSource(column, path, bundle, doc, meta, slug, url, read.digest, tuple(read.problems))
        return None

    def make_post(self, source: PostSource, body: tuple[Rendered, Body], column: Column) -> Post:
        rendered, kept = body
        meta, doc = source.meta, source.doc
        self.problems.extend(rendered.problems)
        cover_url = None
        if meta.cover:
            cover = self.links.resolve(source.path.parent / meta.cover)
            if isinstance(cover, LinkProblem):
                self.problems.append(SiteError(source.path, doc.line("cover"), f"cover: {cover.message}: '{meta.cover}'", cover.hint))
            else:
                cover_url = cover
        attachments = self.assets.attachments(source.bundle) if source.bundle is not None else ()
        tags, problems = self.tags.of_post(source.path, meta.tags, doc.line("tags"))
        self.problems.extend(problems)
        return Post(
            source=source.path, column=column, slug=source.slug, url=source.url, title=meta.title,
            date=meta.date.astimezone(self.config.tz),
            updated=meta.updated.astimezone(self.config.tz) if meta.updated else None, author=meta.author, tags=tags,
            summary_html=Markup(rendered.summary_html), body=kept,
            toc_html=Markup(rendered.toc_html), reading_minutes=rendered.reading_minutes,
            attachments=attachments, cover_url=cover_url, draft=meta.draft, pinned=meta.pinned,
            scheduled=meta.date > self.now,
        )

    # ------------------------------------------------------------------ a body made again

    def body_again(self, path: Path) -> str:
        """A body whose cache entry went missing after this build stored it, made again from its
        file. If that fails (the file changed since it was read, or is gone), the page showing
        the body must fail with it: an empty body would be published without a word, and a body
        of the file as it is now would not match the post's title, summary and digests. The
        SiteError fails the page, so the build fails and the last good output stays."""
        rendered, _ = self.bodies.render(self.sources[path])
        errors = [problem for problem in rendered.problems if problem.is_error]
        if errors:
            raise errors[0]
        return rendered.body_html

    # ------------------------------------------------------------------ files copied as they are

    def add_asset(self, path: Path, relpath: str) -> None:
        problem = self.assets.add(path, relpath)
        if problem is not None:
            self.problems.append(problem)

    def add_static(self) -> None:
        folder = self.root / STATIC_DIR
        if folder.is_dir():
            files, refused = walk(folder, self.root)
            self.problems.extend(refused)
            for path in files:
                self.add_asset(path, path.relative_to(folder).as_posix())


def _read_document(path: Path, limit: int) -> Document | SiteError:
    data = read_file(path, limit)
    if isinstance(data, SiteError):
        return data
    try:
        return split_document(decode_source(data, path), path)
    except SiteError as exc:
        return exc


def _column_slug_problem(root: Path, folder: Path, slug: str, slugs: dict[str, Path]) -> SiteError | None:
    """What is wrong with a column's web address, given those of the columns before it."""
    if not slug:
        return SiteError(folder, None, "the folder name gives no usable web address",
                         "rename the folder with letters, digits or Chinese characters")
    if len(slug) > MAX_SLUG:
        return SiteError(folder, None, f"the folder name is too long for a web address ({len(slug)} characters, over {MAX_SLUG})",
                         "give the folder a shorter name")
    if slug in RESERVED_SLUGS:
        return SiteError(folder, None, f"the column name '{slug}' is used by the site itself",
                         f"rename the folder; these names are reserved: {', '.join(sorted(RESERVED_SLUGS))}")
    if slug in slugs:
        return SiteError(folder, None, f"this column has the same web address '{slug}' as {site_path(root, slugs[slug])}",
                         "rename one of the folders")
    return None


def _post_slug_problem(path: Path, line: int, slug: str) -> SiteError | None:
    """What is wrong with a post's web address; `line` is its 'slug:' line, or 1 when it has none."""
    if not slug:
        return SiteError(path, line, "the post's name gives no usable web address",
                         "add a line 'slug: my-post' to the front matter")
    if len(slug) > MAX_SLUG:
        return SiteError(path, line, f"the post's web address would be {len(slug)} characters long, over the limit of {MAX_SLUG}",
                         "add a shorter 'slug: ...' line to the front matter")
    return None


def _url_collisions(root: Path, sources: list[PostSource]) -> list[SiteError]:
    problems: list[SiteError] = []
    first: dict[str, PostSource] = {}
    for source in sources:
        # Windows and macOS file systems ignore case, so 'Party' and 'party' would collide.
        key = source.url.lower()
        if key in first:
            problems.append(SiteError(source.path, source.doc.line("slug") if source.meta.slug else 1,
                                      f"this post gets the same web address {source.url} as {site_path(root, first[key].path)}",
                                      "give one of them a different 'slug:' or file name"))
        else:
            first[key] = source
    return problems


def load_site(root: Path, config: SiteConfig, *, drafts: bool = False, future: bool = False,
              now: datetime | None = None, jobs: int | None = None,
              cache: Cache | None = None,
              progress: Callable[[str, int, int], None] | None = None,
              known: Callable[[Path], str | None] | None = None) -> tuple[Site | None, list[SiteError]]:
    """Reads every column and post under root; the Site is None when any error was found.
    `known` may give a post's content hash without reading it (see snapshot.py)."""
    loader = Loader(root.resolve(), config, drafts, future, now or datetime.now(config.tz), jobs, cache, progress,
                    known)
    site = loader.load()
    return site, loader.problems
