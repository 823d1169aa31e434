"""columns/ (and static/) -> Site + every problem found. One bad file never stops the others
from being read, so an editor sees all mistakes at once."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Callable, Sequence

from markupsafe import Markup

from .cache import Bodies, Cache
from .config import SiteConfig, did_you_mean
from .errors import SiteError, warning
from .layout import COLUMNS_DIR, STATIC_DIR
from .markup import LinkProblem, MarkdownRenderer, Rendered
from .meta import ColumnMeta, Document, PostMeta, column_meta, decode_source, post_meta, split_body, split_document
from .model import Asset, Attachment, Body, Column, Post, Site, Tag
from .parallel import map_indexed
from .urls import file_url, join_url, release_pinyin, slugify, strip_date_prefix, unsafe_slug_reason

MARKDOWN_SUFFIXES = (".md", ".markdown")
MAX_SLUG = 200  # characters: file systems take at most 255 bytes a name
RESERVED_SLUGS = {"tags", "archive", "static", "search", "report", "page", "feeds", "pagefind"}
ATTACHMENT_SUFFIXES = {
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "wps", "et", "dps",
    "csv", "txt", "zip", "rar", "7z", "mp3", "mp4", "m4a", "wav",
}


def is_ignored(name: str) -> bool:
    """Hidden files and the droppings of editors and operating systems."""
    return (
        name.startswith((".", "~$"))
        or (name.startswith("#") and name.endswith("#"))  # Emacs autosave; '#2 纪要.pdf' is real
        or name.endswith(("~", ".swp", ".swx", ".tmp", ".bak"))
        or name.lower() in ("thumbs.db", "desktop.ini")
    )


@dataclass(frozen=True)
class _PostSource:
    column: Column
    path: Path
    bundle: Path | None  # the bundle folder when the post is one
    doc: Document
    meta: PostMeta
    slug: str
    url: str
    digest: str  # of the file's bytes
    problems: tuple[SiteError, ...] = ()  # what reading its front matter found (warnings)


# What rendering a body asked the site: ("file", path, url or None) and ("root", url, url or None).
Dependencies = tuple[tuple[str, str, "str | None"], ...]


class Loader:
    """Reads a site; kept by a watcher afterwards, to render an edited post's body again."""

    def __init__(self, root: Path, config: SiteConfig, drafts: bool, future: bool, now: datetime,
                 jobs: int | None = None, cache: Cache | None = None,
                 progress: Callable[[str, int, int], None] | None = None,
                 known: Callable[[Path], str | None] | None = None) -> None:
        self.root = root
        self.known = known or (lambda path: None)  # a source's content hash, when its file status vouches for it
        self.digests: dict[Path, str] = {}  # content hash of every post read
        self.next_due: datetime | None = None  # the earliest post left out for being in the future
        self.jobs = jobs
        self.progress = progress
        self.cache = cache or Cache(None, "")
        self.config = config
        self.drafts = drafts
        self.future = future
        self.now = now
        self.problems: list[SiteError] = []
        self.sources: dict[Path, _PostSource] = {}  # every published post, by its file
        self.cached_bodies: dict[Path, tuple[Rendered, Dependencies, str]] = {}  # from the cache, to check
        self.posts_read: dict[Path, tuple[str, Document, PostMeta | None, list[SiteError]] | SiteError] = {}  # read_posts
        self.known_keys: dict[Path, tuple[str, str]] = {}  # (content hash, cache key) of posts known unchanged
        self.targets: dict[Path, str] = {}  # source path -> URL, for links written as paths
        self.left_out: dict[Path, str] = {}  # source path of a post this build leaves out -> why
        self.assets: list[Asset] = []
        self.asset_sizes: dict[Path, int] = {}
        self.renderer = MarkdownRenderer(unsafe_html=config.unsafe_html)
        self.bodies = Bodies(self.cache, self.body_again)
        self.tag_owners: dict[str, tuple[str, Path]] = {}  # tag slug -> first spelling and where
        self.tag_slugs: dict[str, str] = {}
        self.tag_objects: dict[str, Tag] = {}  # one per slug, shared by its posts
        self._known_urls: set[str] | None = None  # filled once every target is known
        self._target_texts: dict[str, str] | None = None  # targets by path as a string, likewise

    # ------------------------------------------------------------------ discovery

    def walk(self, folder: Path) -> list[Path]:
        """Every file under folder, sorted (a folder's files, then its subfolders'); symlinks
        that leave the site are refused. (os.scandir: a large column is walked on every build,
        and its entries say what they are without a call per file.)"""
        found: list[Path] = []
        seen: set[str] = set()

        def visit(here: str) -> None:
            real = os.path.realpath(here)
            if real in seen:  # a symlink loop
                return
            seen.add(real)
            try:
                with os.scandir(here) as listing:
                    entries = sorted(listing, key=lambda entry: entry.name)
            except OSError:
                return
            folders = []
            for entry in entries:
                if is_ignored(entry.name) or (entry.is_symlink() and not self.inside_site(Path(entry.path))):
                    continue
                try:
                    is_folder = entry.is_dir()  # (through a symlink: a stat that may fail)
                except OSError:
                    is_folder = False
                if is_folder:
                    folders.append(entry.path)
                else:
                    found.append(Path(entry.path))
            for path in folders:
                visit(path)

        visit(str(folder))
        return found

    def show(self, path: Path) -> str:
        """A path as messages show it: relative to the site, like the location they start with."""
        text, root = str(path), str(self.root)
        if text.startswith(root + os.sep):
            return text[len(root) + 1 :].replace(os.sep, "/")
        return text

    def inside_site(self, path: Path) -> bool:
        if not path.is_symlink():
            return True
        target = path.resolve()
        if target == self.root or self.root in target.parents:
            return True
        self.problems.append(SiteError(path, None, f"symlink points outside the site (to {target}); refused",
                                       "copy the file into the site instead of linking to it"))
        return False

    def read_bytes(self, path: Path) -> bytes | None:
        data = _read_file(path, self.config.max_file_size)
        if isinstance(data, SiteError):
            self.problems.append(data)
            return None
        return data

    def read(self, path: Path, data: bytes | None = None) -> Document | None:
        data = self.read_bytes(path) if data is None else data
        if data is None:
            return None
        try:
            return split_document(decode_source(data, path), path)
        except SiteError as exc:
            self.problems.append(exc)
        return None

    def slug(self, text: str) -> str:
        """slugify, remembered by the cache for Chinese text: the pinyin dictionaries take a
        while to load, and a rebuild seldom meets a name it has not spelled before."""
        if text.isascii():
            return slugify(text)
        key = self.cache.key("slug", text)
        found = self.cache.get(key)
        if not isinstance(found, str):
            found = slugify(text)
            self.cache.put(key, found)
        return found

    # ------------------------------------------------------------------ columns

    def load(self) -> Site | None:
        columns_dir = self.root / COLUMNS_DIR
        if not columns_dir.is_dir():
            self.problems.append(SiteError(columns_dir, None, "there is no columns/ folder",
                                           "create columns/<name>/_index.md for each column"))
            return None
        columns: list[Column] = []
        sources: list[_PostSource] = []
        intros: dict[str, Document] = {}
        slugs: dict[str, Path] = {}
        found: list[tuple[Column, Document, list[Path]]] = []
        for entry in sorted(columns_dir.iterdir()):
            if is_ignored(entry.name) or not self.inside_site(entry):
                continue
            if not entry.is_dir():
                self.problems.append(warning(entry, None, "files directly in columns/ are ignored",
                                             "put posts inside a column's folder, such as columns/study/"))
                continue
            loaded = self.load_column(entry, slugs)
            if loaded is not None:
                found.append(loaded)
        self.read_posts([(column, files) for column, _, files in found])
        for column, doc, files in found:
            columns.append(column)
            intros[column.slug] = doc
            sources.extend(self.load_posts(column, files))
        self.add_static()
        self.check_url_collisions(sources)
        for name in {name for source in sources for name in source.meta.tags}:
            self.slug(name)  # remembered, so that the dictionaries can go before posts are rendered
        release_pinyin()
        columns = [self.with_intro(column, intros[column.slug]) for column in columns]
        by_slug = {c.slug: c for c in columns}
        self.sources = {source.path: source for source in sources}
        bodies = self.render_bodies(sources)
        posts = [self.make_post(source, body, by_slug[source.column.slug]) for source, body in zip(sources, bodies)]
        if any(p.is_error for p in self.problems):
            return None
        columns.sort(key=lambda c: (c.order, c.slug))
        posts.sort(key=lambda p: (p.date, p.url), reverse=True)  # type: ignore[union-attr]
        return Site(self.config, self.root, tuple(columns), tuple(posts), tuple(self.assets),  # type: ignore[arg-type]
                    next_due=self.next_due, digests=self.digests)

    def load_column(self, folder: Path, slugs: dict[str, Path]) -> tuple[Column, Document, list[Path]] | None:
        index = folder / "_index.md"
        if not index.is_file():
            self.problems.append(SiteError(folder, None, "this column folder has no _index.md",
                                           "create _index.md in it with '---', 'title: ...', 'order: ...', '---'"))
            return None
        slug = self.slug(folder.name)
        if not slug:
            self.problems.append(SiteError(folder, None, "the folder name gives no usable web address",
                                           "rename the folder with letters, digits or Chinese characters"))
            return None
        if len(slug) > MAX_SLUG:
            self.problems.append(SiteError(folder, None, f"the folder name is too long for a web address ({len(slug)} characters, over {MAX_SLUG})",
                                           "give the folder a shorter name"))
            return None
        if slug in RESERVED_SLUGS:
            self.problems.append(SiteError(folder, None, f"the column name '{slug}' is used by the site itself",
                                           f"rename the folder; these names are reserved: {', '.join(sorted(RESERVED_SLUGS))}"))
            return None
        if slug in slugs:
            self.problems.append(SiteError(folder, None, f"this column has the same web address '{slug}' as {self.show(slugs[slug])}",
                                           "rename one of the folders"))
            return None
        slugs[slug] = folder
        doc = self.read(index)
        meta: ColumnMeta | None = None
        if doc is not None:
            meta, problems = column_meta(doc)
            self.problems.extend(problems)
        files = [f for f in self.walk(folder) if f != index]
        if meta is None or doc is None:
            return None
        column = Column(slug=slug, title=meta.title, description=meta.description, order=meta.order,
                        url=join_url(self.config.base_path, slug), source=folder, is_page=meta.layout == "page")
        self.targets[index] = column.url
        self.targets[folder] = column.url
        return column, doc, files

    def with_intro(self, column: Column, doc: Document) -> Column:
        """The column with its _index.md's text rendered (from the cache while that text and
        every link in it are as they were: a rebuild may then render no Markdown at all)."""
        key = self.cache.key("intro", self.show(doc.path), str(doc.body_line),
                             hashlib.blake2b(doc.body.encode(), digest_size=20).hexdigest())
        cached = self.cache.get(key)
        if isinstance(cached, tuple) and self.still_valid(cached[1]):
            html = cached[0]
        else:
            resolve, rebase, asked = self._recording()
            rendered = self.renderer.render_fragment(doc.body, doc.path, doc.body_line, resolve, rebase)
            self.problems.extend(rendered.problems)
            html = rendered.body_html
            if not rendered.problems:
                self.cache.put(key, (html, tuple(asked)))
        return Column(**{**column.__dict__, "intro_html": Markup(html)})

    # ------------------------------------------------------------------ posts

    def read_posts(self, columns: list[tuple[Column, list[Path]]]) -> None:
        """Reads every post the cache cannot give (its file is new or changed), with its front
        matter parsed, on worker processes when there are many (a first build has thousands),
        for load_post to take; the cache's entries for the others are read ahead."""
        todo: list[Path] = []
        for column, files in columns:
            if column.is_page:
                continue
            bundles = _bundles(column, files)
            posts = [path for path in files if path.suffix.lower() in MARKDOWN_SUFFIXES
                     and ((bundle := _bundle_of(path, column, bundles)) is None or path == bundle / "index.md")]
            keys = {path: (digest, self.cache.key("post", self.show(path), digest)) for path in posts
                    if (digest := self.known(path))}
            self.cache.prefetch([key for _, key in keys.values()])
            self.known_keys.update(keys)
            todo += [path for path in posts if path not in keys or not self.cache.has(keys[path][1])]
        self.posts_read = dict(zip(todo, map_indexed(lambda i: self.read_post(todo[i]), len(todo), self.jobs)))

    def read_post(self, path: Path) -> tuple[str, Document, PostMeta | None, list[SiteError]] | SiteError:
        """A post's file: its content hash, its front matter parsed (the body is read again when
        it is rendered) and what was wrong with it. No side effects: may run on a worker."""
        data = _read_file(path, self.config.max_file_size)
        if isinstance(data, SiteError):
            return data
        try:
            doc = split_document(decode_source(data, path), path)
        except SiteError as exc:
            return exc
        meta, problems = post_meta(doc, self.config.tz)
        return hashlib.blake2b(data, digest_size=20).hexdigest(), replace(doc, body="", meta={}), meta, problems

    def load_posts(self, column: Column, files: list[Path]) -> list[_PostSource]:
        bundles = _bundles(column, files)
        sources: list[_PostSource] = []
        bundle_files: dict[Path, list[Path]] = {}
        for path in files:
            bundle = _bundle_of(path, column, bundles)
            if bundle is not None and path != bundle / "index.md":
                bundle_files.setdefault(bundle, []).append(path)
                continue
            if path.suffix.lower() not in MARKDOWN_SUFFIXES:
                relpath = f"{column.slug}/{path.relative_to(column.source).as_posix()}"
                self.add_asset(path, relpath)
                continue
            if column.is_page:
                self.problems.append(SiteError(path, None, f"column '{column.slug}' is a single page (layout: page) and cannot hold posts",
                                               "move the post to another column, or remove 'layout: page' from _index.md"))
                continue
            source = self.load_post(column, path, bundle)
            if source is not None:
                sources.append(source)
        for source in sources:
            if source.bundle is not None and source.path in self.targets:
                folder = source.url[len(self.config.base_path):].rstrip("/")
                for path in bundle_files.get(source.bundle, []):
                    self.add_asset(path, f"{folder}/{path.relative_to(source.bundle).as_posix()}")
        return sources

    def load_post(self, column: Column, path: Path, bundle: Path | None) -> _PostSource | None:
        # An unchanged file (by its status) with a cache entry is not even read.
        shown = self.show(path)
        digest, key = self.known_keys.get(path) or (None, None)
        cached = self.cache.get(key) if key else None
        read = None
        if cached is None:
            read = self.posts_read.pop(path, None) or self.read_post(path)
            if isinstance(read, SiteError):
                self.problems.append(read)
                return None
            digest = read[0]
            cached = self.cache.get(self.cache.key("post", shown, digest))  # the same text as before
        assert digest is not None
        self.digests[path] = digest
        slug: str | None = None
        if cached is not None:
            key_lines, body_line, meta, problems, slug, body = cached
            doc = Document(path, {}, key_lines, "", body_line)
            if body is not None:
                self.cached_bodies[path] = body
        else:
            _, doc, meta, problems = read  # type: ignore[misc]
        self.problems.extend(problems)
        if meta is None:
            return None
        if slug is not None:
            pass  # spelled when the entry was made
        elif meta.slug is not None:
            reason = unsafe_slug_reason(meta.slug)
            if reason:
                self.problems.append(SiteError(path, doc.line("slug"), f"{reason}: {meta.slug!r}",
                                               "use lowercase letters, digits and '-', such as 'party-lesson'"))
                return None
            slug = self.slug(meta.slug)
        else:
            slug = self.slug(strip_date_prefix(bundle.name if bundle else path.stem))
        if cached is None:  # render_bodies adds the body
            self.cache.put(self.cache.key("post", shown, digest), _entry(doc, meta, problems, slug, None))
        if not slug:
            self.problems.append(SiteError(path, doc.line("slug") if meta.slug else 1,
                                           "the post's name gives no usable web address",
                                           "add a line 'slug: my-post' to the front matter"))
            return None
        if len(slug) > MAX_SLUG:
            self.problems.append(SiteError(path, doc.line("slug") if meta.slug else 1,
                                           f"the post's web address would be {len(slug)} characters long, over the limit of {MAX_SLUG}",
                                           "add a shorter 'slug: ...' line to the front matter"))
            return None
        url = join_url(self.config.base_path, column.slug, slug)
        if meta.draft and not self.drafts:
            self.left_out[path] = "a draft"
        elif meta.date > self.now and not self.future:
            self.left_out[path] = f"dated in the future ({meta.date:%Y-%m-%d %H:%M})"
            self.next_due = min(self.next_due, meta.date) if self.next_due else meta.date
        else:
            self.targets[path] = url
            if bundle is not None:
                self.targets[bundle] = url
            return _PostSource(column, path, bundle, doc, meta, slug, url, digest, tuple(problems))
        return None

    def check_url_collisions(self, sources: list[_PostSource]) -> None:
        first: dict[str, _PostSource] = {}
        for source in sources:
            # Windows and macOS file systems ignore case, so 'Party' and 'party' would collide.
            key = source.url.lower()
            if key in first:
                other = first[key]
                self.problems.append(SiteError(source.path, source.doc.line("slug") if source.meta.slug else 1,
                                               f"this post gets the same web address {source.url} as {self.show(other.path)}",
                                               "give one of them a different 'slug:' or file name"))
            else:
                first[key] = source

    def render_bodies(self, sources: list[_PostSource]) -> list[tuple[Rendered, Body]]:
        """Every post's Markdown, from the cache when the source and every link it resolved
        are as they were, else rendered (on worker processes when there are many). With a
        cache, a body's HTML stays there and is read when a page shows it (Body)."""
        found: list[tuple[Rendered, Body] | None] = []
        for source in sources:
            cached = self.cached_bodies.pop(source.path, None)
            if cached is not None and self.still_valid(cached[1]):
                found.append(self.keep_body(source, cached[0], cached[2], stored=True))
            else:
                found.append(None)
        todo = [i for i, rendered in enumerate(found) if rendered is None]
        report = (lambda done, total: self.progress("posts parsed", done, total)) if self.progress else None
        fresh = map_indexed(lambda i: self.render_body(sources[todo[i]]), len(todo), self.jobs, report)
        for index, (rendered, dependencies) in zip(todo, fresh):
            source = sources[index]
            digest = hashlib.blake2b(rendered.body_html.encode(), digest_size=20).hexdigest()
            if not rendered.problems:
                self.store_post(source, rendered, dependencies, digest)
            found[index] = self.keep_body(source, rendered, digest, stored=not rendered.problems)
        return found  # type: ignore[return-value]

    def store_post(self, source: _PostSource, rendered: Rendered, dependencies: Dependencies, digest: str,
                   cache: Cache | None = None) -> None:
        """What reading and rendering a post gave, under its content hash; the body's HTML apart,
        so that loading the site does not load every body."""
        cache, shown = cache or self.cache, self.show(source.path)
        cache.put(cache.key("post", shown, source.digest), _entry(source.doc, source.meta, source.problems, source.slug,
                                                                  (replace(rendered, body_html=""), dependencies, digest)))
        cache.put(cache.key("html", shown, source.digest), rendered.body_html)

    def keep_body(self, source: _PostSource, rendered: Rendered, digest: str, stored: bool) -> tuple[Rendered, Body]:
        if stored and self.cache.path is not None:
            key = self.cache.key("html", self.show(source.path), source.digest)
            self.cache.touch(key)
            return replace(rendered, body_html="") if rendered.body_html else rendered, Body(digest, None, key, self.bodies)
        return rendered, Body(digest, Markup(rendered.body_html))

    def body_again(self, path: Path) -> str:
        """A body whose cache entry went missing after this build stored it."""
        return self.render_body(self.sources[path])[0].body_html

    def still_valid(self, dependencies: Dependencies) -> bool:
        if self._target_texts is None:  # every target is known by now
            self._target_texts = {str(path): url for path, url in self.targets.items()}
        for kind, asked, answer in dependencies:
            if kind == "file":
                # Most links name a post or file of the site: a string lookup, no Path made.
                result = self._target_texts.get(os.path.normpath(asked)) or self.resolve(Path(asked))
            else:
                result = self.rebase(asked)
            if (result if isinstance(result, str) else None) != answer:
                return False
        return True

    def render_body(self, source: _PostSource) -> tuple[Rendered, Dependencies]:
        """The slow, independent part of a post (may run in a worker process: no side effects)."""
        resolve, rebase, asked = self._recording()
        try:
            data = source.path.read_bytes()
            if hashlib.blake2b(data, digest_size=20).hexdigest() != source.digest:
                raise SiteError(source.path, None, "the file changed while the site was being built", "build again")
            body, body_line = split_body(decode_source(data, source.path), source.path)
        except OSError as exc:
            return _failed(SiteError(source.path, None, f"cannot read the file: {exc.strerror}")), ()
        except SiteError as exc:
            return _failed(exc), ()
        rendered = self.renderer.render(body, source.path, body_line, resolve, summary=source.meta.summary, rebase=rebase)
        return replace(rendered, text=""), tuple(asked)  # the plain text is not needed after this

    def _recording(self) -> tuple[Callable[[Path], str | LinkProblem], Callable[[str], str | None],
                                  list[tuple[str, str, str | None]]]:
        """resolve and rebase, each writing down what it was asked and answered (Dependencies)."""
        asked: list[tuple[str, str, str | None]] = []

        def resolve(target: Path) -> str | LinkProblem:
            result = self.resolve(target)
            asked.append(("file", str(target), result if isinstance(result, str) else None))
            return result

        def rebase(url: str) -> str | None:
            result = self.rebase(url)
            asked.append(("root", url, result))
            return result

        return resolve, rebase, asked

    def make_post(self, source: _PostSource, body: tuple[Rendered, Body], column: Column) -> Post:
        rendered, kept = body
        meta, doc = source.meta, source.doc
        self.problems.extend(rendered.problems)
        cover_url = None
        if meta.cover:
            cover = self.resolve(source.path.parent / meta.cover)
            if isinstance(cover, LinkProblem):
                self.problems.append(SiteError(source.path, doc.line("cover"), f"cover: {cover.message}: '{meta.cover}'", cover.hint))
            else:
                cover_url = cover
        attachments: list[Attachment] = []
        if source.bundle is not None:
            for path, size in sorted(self.asset_sizes.items()):
                if path.parent == source.bundle and path.suffix.lower().lstrip(".") in ATTACHMENT_SUFFIXES:
                    attachments.append(Attachment(path.name, self.targets[path], size))
        return Post(
            source=source.path, column=column, slug=source.slug, url=source.url, title=meta.title,
            date=meta.date.astimezone(self.config.tz),
            updated=meta.updated.astimezone(self.config.tz) if meta.updated else None, author=meta.author, tags=self.tags(source),
            summary_html=Markup(rendered.summary_html), body=kept,
            toc_html=Markup(rendered.toc_html), reading_minutes=rendered.reading_minutes,
            attachments=tuple(attachments), cover_url=cover_url, draft=meta.draft, pinned=meta.pinned,
        )

    def tags(self, source: _PostSource) -> tuple[Tag, ...]:
        tags: dict[str, Tag] = {}  # one per slug: 'Reading' and 'reading' are one tag
        for name in source.meta.tags:
            slug = self.tag_slugs.get(name)
            if slug is None:  # a site has few tags, used by many posts: spell each out once
                slug = self.tag_slugs[name] = self.slug(name)
            line = source.doc.line("tags")
            if slug in tags:
                continue
            if not slug:
                self.problems.append(SiteError(source.path, line, f"the tag {name!r} gives no usable web address",
                                               "use words, digits or Chinese characters in tags"))
                continue
            if len(slug) > MAX_SLUG:
                self.problems.append(SiteError(source.path, line, f"the tag {name[:40]!r}... is too long for a web address "
                                               f"({len(slug)} characters, over {MAX_SLUG})", "use a shorter tag"))
                continue
            owner = self.tag_owners.setdefault(slug, (name, source.path))
            if owner[0] != name and owner[0].lower() != name.lower():
                self.problems.append(SiteError(source.path, line, f"the tag {name!r} gets the same web address as the tag {owner[0]!r} in {self.show(owner[1])}",
                                               "use the same spelling for both, or rename one"))
                continue
            if slug not in self.tag_objects:
                self.tag_objects[slug] = Tag(owner[0], slug, join_url(self.config.base_path, "tags", slug))
            tags[slug] = self.tag_objects[slug]
        return tuple(tags.values())

    # ------------------------------------------------------------------ files and links

    def add_asset(self, path: Path, relpath: str) -> None:
        try:
            self.asset_sizes[path] = path.stat().st_size
        except OSError as exc:
            self.problems.append(SiteError(path, None, f"cannot read the file: {exc.strerror}"))
            return
        self.assets.append(Asset(path, relpath))
        self.targets[path] = file_url(self.config.base_path, relpath)

    def add_static(self) -> None:
        folder = self.root / STATIC_DIR
        if folder.is_dir():
            for path in self.walk(folder):
                self.add_asset(path, path.relative_to(folder).as_posix())

    def rebase(self, url: str) -> str | None:
        """'/news/' written for a site that lives under '/party/' -> '/party/news/', when that
        names one of the site's pages or files; other root paths are left to the intranet."""
        base = self.config.base_path
        if base == "/" or url.startswith(base):
            return None
        path, hash_, fragment = url.partition("#")
        candidate = base + path.lstrip("/")
        if self._known_urls is None:
            self._known_urls = set(self.targets.values()) | {base}
        return candidate + hash_ + fragment if candidate in self._known_urls else None

    def resolve(self, target: Path) -> str | LinkProblem:
        path = Path(os.path.normpath(target))
        if path != self.root and self.root not in path.parents:
            return LinkProblem("the link leaves the site", "link only to posts and files inside the site's folder")
        if path in self.targets:
            return self.targets[path]
        if path in self.left_out:
            return LinkProblem(f"links to a post that this build leaves out, because it is {self.left_out[path]}",
                               "publish that post first, or remove the link")
        try:
            if path.exists():
                return LinkProblem("links to a file that is not part of the site",
                                   "link to posts and to files inside columns/ or static/")
            siblings = [p.name for p in path.parent.iterdir()] if path.parent.is_dir() else []
        except OSError:  # a name too long for the file system, say: it cannot exist
            siblings = []
        return LinkProblem("links to a file that does not exist", did_you_mean(path.name, siblings))


def _read_file(path: Path, limit: int) -> bytes | SiteError:
    try:
        size = path.stat().st_size
        if size > limit:
            return SiteError(path, None, f"the file is {_size(size)}, over the {_size(limit)} limit",
                             "split it, move large media into attachments, or raise max_file_size_mb in site.toml")
        return path.read_bytes()
    except OSError as exc:
        return SiteError(path, None, f"cannot read the file: {exc.strerror}")


def _bundles(column: Column, files: list[Path]) -> set[str]:
    """The column's bundles: folders inside it with an index.md (the post) beside its files."""
    return {str(f.parent) for f in files if f.name == "index.md" and f.parent != column.source}


def _bundle_of(path: Path, column: Column, bundles: set[str]) -> Path | None:
    """The bundle a file belongs to: the nearest folder above it, inside the column, that is
    one (a file directly in the column belongs to none). On strings: asked of every file."""
    if not bundles:
        return None
    top, folder = str(column.source), os.path.dirname(str(path))
    while len(folder) > len(top):
        if folder in bundles:
            return Path(folder)
        folder = os.path.dirname(folder)
    return None


def _entry(doc: Document, meta: PostMeta, problems: Sequence[SiteError], slug: str,
           body: tuple[Rendered, Dependencies, str] | None) -> tuple[object, ...]:
    """A post's cache entry, under its file's path and content hash: the path itself is left out
    (making thousands of Paths again is a good part of loading them)."""
    return (doc.key_lines, doc.body_line, meta, tuple(problems), slug, body)


def _failed(problem: SiteError) -> Rendered:
    return Rendered("", "", "", "", 1, (problem,))


def _size(size: int) -> str:
    return f"{size / 1048576:.1f} MB" if size >= 1048576 else f"{size / 1024:.1f} KB"


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
