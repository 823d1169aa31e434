"""columns/ (and static/) -> Site + every problem found. One bad file never stops the others
from being read, so an editor sees all mistakes at once.

In order: the columns and their _index.md; the posts' front matter (posts.py: from the cache
or read); the files copied as they are (assets.py); then, with every link target known
(links.py), the columns' intros and the posts' bodies (bodies.py); then each Post, with its
tags (tags.py). Walking the folders and reading a file within the size limit: sources.py."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Callable

from markupsafe import Markup

from .assets import Assets
from .bodies import BodyRenderer
from .cache import Cache
from .column_posts import ColumnPosts, ColumnRead
from .config import SiteConfig
from .errors import SiteError
from .layout import COLUMNS_DIR, STATIC_DIR
from .links import Links
from .markup import LinkProblem, Rendered
from .meta import ColumnMeta, Document, column_meta, decode_source, split_document
from .model import Body, Column, Post, Site
from .photo_set import PhotoSet
from .posts import CachedBody, PostReader, PostSource
from .sources import (is_ignored, is_post, not_a_file, place_in_bundles, read_file, refused_symlink, site_path,
                      unreadable_folder, walk)
from .tags import Tags
from .slugs import Slugs
from .urls import MAX_SLUG, join_url

RESERVED_SLUGS = {"tags", "archive", "static", "search", "report", "page", "feeds", "pagefind"}

@dataclass(frozen=True)
class _Found:
    """A column as found: the column and its _index.md; its files, each with its bundle or
    None, and the symlinks among them refused; or what reading them gave last time (kept)."""

    column: Column
    doc: Document
    files: list[tuple[Path, Path | None]]
    kept: ColumnRead | None
    memo: tuple[str, str] | None  # where what reading them gives is kept, for the next build
    refused: list[SiteError]


class Loader:
    """Reads a site, for one build: the pages it renders may ask it for a body again (body_again)."""

    def __init__(self, root: Path, config: SiteConfig, drafts: bool, future: bool, now: datetime,
                 jobs: int | None = None, cache: Cache | None = None,
                 progress: Callable[[str, int, int], None] | None = None,
                 known: Callable[[Path], str | None] | None = None,
                 folder_key: Callable[[Path], str | None] | None = None) -> None:
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
        self.column_posts = ColumnPosts(config, self.posts, self.slugs, now, drafts, future)
        self.folder_key = folder_key or (lambda folder: None)  # (snapshot.Scan.folder_key)
        self.photos = PhotoSet(root, config, self.cache, self.links, jobs, progress, known)
        self.bodies = BodyRenderer(root, config, self.cache, self.links, self.body_again, jobs, progress, self.photos.html)

    def load(self) -> Site | None:
        columns_dir = self.root / COLUMNS_DIR
        if not columns_dir.is_dir():
            self.problems.append(SiteError.of(columns_dir, None, "site.no_columns"))
            return None
        if not os.access(columns_dir, os.R_OK | os.X_OK):
            self.problems.append(unreadable_folder(columns_dir, "Permission denied"))
            return None
        self.slugs.spell([entry.name for entry in columns_dir.iterdir()])
        found = self.load_columns(columns_dir)
        self.posts.read_ahead([[path for path, bundle in c.files if is_post(path, bundle)]
                               for c in found if c.kept is None and not c.column.is_page])
        self.slugs.spell(self.posts.names_read())
        sources: list[PostSource] = []
        cached: dict[Path, CachedBody] = {}  # bodies from the cache, to check once every link target is known
        for c in found:
            read = c.kept
            if read is None:
                read = self.column_posts.read(c.column, c.files)
                read.problems += c.refused
                if c.memo is not None:
                    self.cache.keep_made(*c.memo, read)
            self.take(read)
            sources += read.sources
            cached.update(read.cached)
        self.add_static()
        self.photos.prepare(self.assets.all(), self.digests)  # before any body: links lead to the versions
        self.problems.extend(_url_collisions(self.root, sources))
        self.slugs.spell([name for source in sources for name in source.meta.tags])
        columns = {c.column.slug: self.with_intro(c.column, c.doc) for c in found}
        self.sources = {source.path: source for source in sources}
        posts = self.make_posts(sources, cached, columns)
        self.problems.extend(self.photos.unshown(self.problems))  # bad pictures no page shows
        if any(p.is_error for p in self.problems):
            return None
        posts.sort(key=lambda p: (p.date, p.url), reverse=True)
        return Site(self.config, self.root, tuple(sorted(columns.values(), key=lambda c: (c.order, c.slug))),
                    tuple(posts), *self.photos.published(self.assets.all()), next_due=self.next_due, digests=self.digests)

    # ------------------------------------------------------------------ columns

    def load_columns(self, columns_dir: Path) -> list[_Found]:
        found: list[_Found] = []
        slugs: dict[str, Path] = {}
        for entry in sorted(columns_dir.iterdir()):
            if is_ignored(entry.name):
                continue
            if (refused := refused_symlink(entry, self.root)) is not None:
                self.problems.append(refused)
                continue
            if not entry.is_dir():
                self.problems.append(not_a_file(entry) or SiteError.of(entry, None, "site.loose_file", "warning"))
                continue
            loaded = self.load_column(entry, slugs)
            if loaded is not None:
                found.append(loaded)
        return found

    def load_column(self, folder: Path, slugs: dict[str, Path]) -> _Found | None:
        index = folder / "_index.md"
        if not os.access(folder, os.R_OK | os.X_OK):  # not "no _index.md": nothing in it can be seen
            self.problems.append(unreadable_folder(folder, "Permission denied"))
            return None
        if not os.path.lexists(index):  # (one that is not a file: reading it says what it is)
            self.problems.append(SiteError.of(folder, None, "column.no_index"))
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
        if meta is None or isinstance(doc, SiteError):
            self.problems.extend(walk(folder, self.root)[1])  # its symlinks refused, all the same
            return None
        column = Column(slug=slug, title=meta.title, description=meta.description, order=meta.order,
                        url=join_url(self.config.base_path, slug), source=folder, is_page=meta.layout == "page")
        self.links.add(index, column.url)
        self.links.add(folder, column.url)
        # What reading its files gave last time holds while they, the column, the options and
        # every post's side of "now" are as they were (a watcher's build; see column_posts.py).
        files_key = self.folder_key(folder)
        memo = (self.cache.key("column", str(folder)),
                f"{files_key}\x1f{column.key.hex()}\x1f{self.drafts}\x1f{self.future}") if files_key else None
        kept = self.cache.made_before(*memo) if memo is not None else None
        if isinstance(kept, ColumnRead) and kept.holds_at(self.now):
            return _Found(column, doc, [], kept, memo, [])
        files, refused = walk(folder, self.root)
        return _Found(column, doc, place_in_bundles(folder, [f for f in files if f != index]), None, memo, refused)

    def with_intro(self, column: Column, doc: Document) -> Column:
        """The column with its _index.md's text rendered."""
        html, problems = self.bodies.intro(doc)
        self.problems.extend(problems)
        return replace(column, intro_html=Markup(html))

    # ------------------------------------------------------------------ posts

    def make_posts(self, sources: list[PostSource], cached: dict[Path, CachedBody],
                   columns: dict[str, Column]) -> list[Post]:
        """Each source's Post, in order. A watcher's build takes the last build's Post of a source
        whose entry, column, bundle and scheduling are as they were, while every link target
        and every post's tags in the site are too: nothing a Post is made from can differ then
        (its body's links, its cover, its tags). The others are made, their bodies from the
        cache or rendered."""
        context = self._context(sources)
        column_keys = {slug: column.key.hex() for slug, column in columns.items()}
        inputs, found = [], []
        for source in sources:
            bundle = _digest(repr(self.assets.attachments(source.bundle))) if source.bundle is not None else ""
            inputs.append(f"post\x1f{context}\x1f{column_keys[source.column.slug]}\x1f{source.path}"
                          f"\x1f{source.meta.date > self.now}\x1f{bundle}")
            found.append(self.cache.made_before(source.key, inputs[-1]))
            if found[-1] is not None and found[-1].body.key is not None:
                self.cache.touch(found[-1].body.key)  # the store keeps its body's entry
        todo = [i for i, post in enumerate(found) if post is None]
        bodies = dict(zip(todo, self.bodies.bodies([sources[i] for i in todo], cached)))
        # A post made now names its tags as first met in the site's order: every post before it
        # is met first, taken or not. While every post's tags are as they were (context), the
        # last build's table of first names says the same at once.
        table_key = self.cache.key("tags")
        table = self.cache.made_before(table_key, context)
        if table is not None and todo:
            self.tags.seed(table)
        for i, source in enumerate(sources):
            if found[i] is not None:
                if table is None and todo:
                    self.tags.of_post(source.path, source.meta.tags, 1)
                continue
            known = len(self.problems)
            post = found[i] = self.make_post(source, bodies[i], columns[source.column.slug])
            if len(self.problems) == known and not bodies[i][0].problems:  # a post with a problem says it again next time
                self.cache.keep_made(source.key, inputs[i], post)
        if todo and table is None and not any(p.is_error for p in self.problems):
            self.cache.keep_made(table_key, context, self.tags.table())
        return [post for post in found]

    def _context(self, sources: list[PostSource]) -> str:
        """What every post's Post depends on beside its own sources: the site's link targets
        (and posts left out), and every post's tags in order (a tag is named as first met)."""
        links = self.links
        text = "\n".join([*(f"{path}\t{url}" for path, url in links.targets.items()), "",
                          *(f"{path}\t{why}" for path, why in links.left_out.items()), "",
                          *(f"{source.path}\t{source.meta.tags!r}" for source in sources)])
        return _digest(text)

    def make_post(self, source: PostSource, body: tuple[Rendered, Body], column: Column) -> Post:
        rendered, kept = body
        meta, doc = source.meta, source.doc
        self.problems.extend(rendered.problems)
        cover_url = None
        if meta.cover:
            cover = self.links.resolve(source.path.parent / meta.cover)
            if isinstance(cover, LinkProblem):
                self.problems.append(_cover_problem(source.path, doc.line("cover"), meta.cover, cover))
            else:
                cover_url = self.photos.small(cover)
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

    def take(self, read: ColumnRead) -> None:
        """What reading a column gave, into the site being loaded."""
        self.problems += read.problems
        self.digests.update(read.digests)
        for key in read.entries:
            self.cache.touch(key)
        for path, url in read.targets.items():
            self.links.add(path, url)
        for path, why in read.left_out.items():
            self.links.leave_out(path, why)
        for path, relpath in read.assets:
            self.add_asset(path, relpath)
        if read.due is not None:
            self.next_due = min(self.next_due, read.due) if self.next_due else read.due

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


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


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
        return SiteError.of(folder, None, "column.no_slug")
    if len(slug) > MAX_SLUG:
        return SiteError.of(folder, None, "column.long_slug", length=len(slug), limit=MAX_SLUG)
    if slug in RESERVED_SLUGS:
        return SiteError.of(folder, None, "column.reserved", slug=slug, reserved=", ".join(sorted(RESERVED_SLUGS)))
    if slug in slugs:
        return SiteError.of(folder, None, "column.same_url", slug=slug, other=site_path(root, slugs[slug]))
    return None


def _url_collisions(root: Path, sources: list[PostSource]) -> list[SiteError]:
    problems: list[SiteError] = []
    first: dict[str, PostSource] = {}
    for source in sources:
        # Windows and macOS file systems ignore case, so 'Party' and 'party' would collide.
        key = source.url.lower()
        if key in first:
            problems.append(SiteError.of(source.path, source.doc.line("slug") if source.meta.slug else 1, "post.same_url",
                                         url=source.url, other=site_path(root, first[key].path)))
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


def _cover_problem(path: Path, line: int | None, cover: str, problem: LinkProblem) -> SiteError:
    return SiteError.of(path, line, "cover.problem", target=cover, inner=problem.key, **dict(problem.values))
