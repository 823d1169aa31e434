"""A post's file as its front matter gives it: from the cache, by the file's content hash, or
read and parsed (its body is read again when it is rendered); and the cache entries that hold
what reading and rendering a post gave."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Sequence

from .cache import Cache
from .codec import moment, moment_plain
from .config import SiteConfig
from .errors import SiteError, problems_from_plain, problems_to_plain
from .links import Dependencies
from .markup import Rendered
from .meta import Document, PostMeta, decode_source, post_meta, split_document
from .model import Column
from .parallel import map_indexed
from .picture_checks import picture_problems
from .sources import read_file, site_path
from .urls import strip_date_prefix

# A body rendered by an earlier build: rendered (its HTML left out), what it asked, the HTML's digest.
CachedBody = tuple[Rendered, Dependencies, str]


@dataclass(frozen=True)
class PostSource:
    """A post this build publishes, as read: what rendering its body and making its Post need."""

    column: Column
    path: Path
    bundle: Path | None  # the bundle folder when the post is one
    doc: Document
    meta: PostMeta
    slug: str
    url: str
    digest: str  # of the file's bytes
    key: str  # of its entry in the store
    problems: tuple[SiteError, ...] = ()  # what reading its front matter found (warnings)


@dataclass(frozen=True)
class PostFile:
    """What a post's file says, from the cache or read."""

    digest: str  # of the file's bytes
    doc: Document  # without its body
    meta: PostMeta | None  # None when the front matter has errors
    problems: Sequence[SiteError]
    from_cache: bool
    slug: str | None = None  # from the cache: spelled when the entry was made
    body: CachedBody | None = None  # from the cache, for the loader to check


def read_post(path: Path, config: SiteConfig) -> PostFile | SiteError:
    """A post's file: its content hash, its front matter parsed and what was wrong with it.
    No side effects: may run on a worker."""
    data = read_file(path, config.max_file_size)
    if isinstance(data, SiteError):
        return data
    try:
        doc = split_document(decode_source(data, path), path)
    except SiteError as exc:
        return exc
    meta, problems = post_meta(doc, config.tz)
    problems += picture_problems(doc.body, path, doc.body_line)  # kept with the front matter's in the store
    return PostFile(hashlib.blake2b(data, digest_size=20).hexdigest(), replace(doc, body="", meta={}), meta, problems,
                    from_cache=False)


def post_key(cache: Cache, shown: str, digest: str) -> str:
    """The entry of what reading (and rendering) the post in `shown` with this content gave."""
    return cache.key("post", shown, digest)


def html_key(cache: Cache, shown: str, digest: str) -> str:
    """The entry of the post's body HTML, apart, so that loading a site does not load every body."""
    return cache.key("html", shown, digest)


def post_entry(doc: Document, meta: PostMeta, problems: Sequence[SiteError], slug: str,
               body: CachedBody | None) -> list[object]:
    """A post's cache entry, under its file's path and content hash, in plain JSON values laid
    out here (so reading thousands back is json's C decoder and one constructor call each, not
    a walk over tagged values). The path itself is left out: making thousands of Paths again
    is a good part of loading them."""
    plain_body = None
    if body is not None:
        rendered, dependencies, digest = body
        plain_body = [[rendered.body_html, rendered.summary_html, rendered.toc_html, rendered.text,
                       rendered.reading_minutes, problems_to_plain(rendered.problems)],
                      [list(asked) for asked in dependencies], digest]
    plain_meta = [meta.title, *moment_plain(meta.date), meta.author, list(meta.tags), meta.summary, meta.draft,
                  meta.pinned, meta.slug, *(moment_plain(meta.updated) if meta.updated else (None, None)), meta.cover]
    return [[[key, line] for key, line in doc.key_lines.items()], doc.body_line, plain_meta, problems_to_plain(problems), slug, plain_body]


def _from_entry(path: Path, digest: str, entry: list[Any]) -> PostFile | None:
    """The PostFile an entry gives back; None when it is not one sitegen wrote (then the file is read)."""
    try:
        key_lines, body_line, plain_meta, problems, slug, plain_body = entry
        (title, date, date_zone, author, tags, summary, draft, pinned, meta_slug, updated, updated_zone,
         cover) = plain_meta
        meta = PostMeta(title, moment(date, date_zone), author, tuple(tags), summary, draft, pinned, meta_slug,
                        moment(updated, updated_zone) if updated else None, cover)
        body = None
        if plain_body is not None:
            (html, summary_html, toc_html, text, minutes, rendered_problems), dependencies, body_digest = plain_body
            body = (Rendered(html, summary_html, toc_html, text, minutes, problems_from_plain(rendered_problems)),
                    tuple((kind, asked, answer) for kind, asked, answer in dependencies), body_digest)
        return PostFile(digest, Document(path, {}, dict(key_lines), "", body_line), meta, problems_from_plain(problems),
                        from_cache=True, slug=slug, body=body)
    except (TypeError, ValueError, KeyError):
        return None


class PostReader:
    """Gives each post's file from the cache where it can: an unchanged file (by its status,
    `known`) with an entry is not even read. The others are read ahead, on worker processes
    when there are many (a first build has thousands)."""

    def __init__(self, root: Path, config: SiteConfig, cache: Cache, known: Callable[[Path], str | None] | None,
                 jobs: int | None) -> None:
        self.root = root
        self.config = config
        self.cache = cache
        self.known = known or (lambda path: None)  # a file's content hash, when its status vouches for it
        self.jobs = jobs
        self._known_keys: dict[Path, tuple[str, str]] = {}  # (content hash, cache key) of files known unchanged
        self._read: dict[Path, PostFile | SiteError] = {}  # read ahead, for get() to take

    def read_ahead(self, columns: list[list[Path]]) -> None:
        """Reads every post (of each column, a list) the cache cannot give: its file is new or
        changed. The cache's entries for the others are read ahead, a column at a time."""
        todo: list[Path] = []
        for posts in columns:
            keys = {path: (digest, post_key(self.cache, site_path(self.root, path), digest)) for path in posts
                    if (digest := self.known(path))}
            self.cache.prefetch([key for _, key in keys.values()])
            self._known_keys.update(keys)
            todo += [path for path in posts if path not in keys or not self.cache.has(keys[path][1])]
        self._read = dict(zip(todo, map_indexed(lambda i: read_post(todo[i], self.config), len(todo), self.jobs)))

    def names_read(self) -> list[str]:
        """What the posts read ahead may take their slugs and tags' slugs from: their file and
        folder names (a bundle is named by its folder), their slug: and tags: lines."""
        names: list[str] = []
        for path, read in self._read.items():
            names += [strip_date_prefix(path.stem), strip_date_prefix(path.parent.name)]
            if not isinstance(read, SiteError) and read.meta is not None:
                names += [*read.meta.tags, *([read.meta.slug] if read.meta.slug else [])]
        return names

    def get(self, path: Path) -> PostFile | SiteError:
        digest, key = self._known_keys.get(path) or (None, None)
        found = self._from_cache(path, digest, key) if key and digest else None
        if found is None:
            read = self._read.pop(path, None) or read_post(path, self.config)
            if isinstance(read, SiteError):
                return read
            found = self._from_cache(path, read.digest, post_key(self.cache, site_path(self.root, path), read.digest))  # the same text as before
            if found is None:
                return read
        return found

    def _from_cache(self, path: Path, digest: str, key: str) -> PostFile | None:
        entry = self.cache.get(key)
        if entry is None:
            return None
        return self.cache.derived(key, f"file\x1f{path}", lambda: _from_entry(path, digest, entry))

    def key(self, path: Path, digest: str) -> str:
        """The store's entry of the post in `path` with this content."""
        known = self._known_keys.get(path)
        return known[1] if known is not None and known[0] == digest else post_key(self.cache, site_path(self.root, path), digest)

    def remember(self, path: Path, read: PostFile, slug: str) -> None:
        """Stores what reading a post gave, before it is rendered (BodyRenderer.save adds the body)."""
        assert read.meta is not None
        self.cache.put(self.key(path, read.digest), post_entry(read.doc, read.meta, read.problems, slug, None))
