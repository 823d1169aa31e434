"""Posts' bodies and columns' intros as HTML: from the cache while the text and every link it
resolved are as they were (a rebuild may then render no Markdown at all), else rendered, on
worker processes when there are many. With a cache, a body's HTML stays there and is read
when a page shows it (model.Body), so a large site's bodies are not all in memory."""

from __future__ import annotations

import hashlib
import sys
from dataclasses import replace
from pathlib import Path
from typing import Callable

from markupsafe import Markup

from .cache import Bodies, Cache
from .config import SiteConfig
from .errors import SiteError
from .guard import Deadline, MarkdownTimeout, shape_problem
from .links import Dependencies, Links
from .markup import MarkdownRenderer, Rendered
from .meta import Document, decode_source, split_body
from .model import Body, Post
from .parallel import map_indexed
from .picture_html import Pictures
from .posts import CachedBody, PostSource, html_key, post_entry
from .sources import read_file, site_path, unreadable_file


class BodyRenderer:
    def __init__(self, root: Path, config: SiteConfig, cache: Cache, links: Links, again: Callable[[Path], str],
                 jobs: int | None, progress: Callable[[str, int, int], None] | None,
                 pictures: Pictures | None = None) -> None:
        self.root = root
        self.cache = cache
        self.links = links
        self.jobs = jobs
        self.progress = progress
        self.unsafe_html = config.unsafe_html
        self.markdown = MarkdownRenderer(unsafe_html=config.unsafe_html, pictures=pictures)
        self.deadline = Deadline()
        self.store = Bodies(cache, again)  # `again` makes a body whose entry went missing

    def intro(self, doc: Document) -> tuple[str, list[SiteError]]:
        """A column's _index.md text as HTML, and the problems rendering it found."""
        key = self.cache.key("intro", site_path(self.root, doc.path), str(doc.body_line),
                             hashlib.blake2b(doc.body.encode(), digest_size=20).hexdigest())
        cached = self.cache.get(key)
        if isinstance(cached, tuple) and self.links.still_valid(cached[1]):
            return cached[0], []
        resolve, rebase, asked = self.links.recording()
        rendered = self._guarded(doc.body, doc.path, doc.body_line,
                                 lambda: self.markdown.render_fragment(doc.body, doc.path, doc.body_line, resolve, rebase))
        if not rendered.problems:
            self.cache.put(key, (rendered.body_html, tuple(asked)))
        return rendered.body_html, list(rendered.problems)

    def bodies(self, sources: list[PostSource], cached: dict[Path, CachedBody]) -> list[tuple[Rendered, Body]]:
        """Every post's body: the cached one (taken from `cached`) while it holds, else rendered."""
        found: list[tuple[Rendered, Body] | None] = []
        for source in sources:
            body = cached.pop(source.path, None)
            if body is not None and self.links.still_valid(body[1]):
                found.append(self._keep(source, body[0], body[2], stored=True))
            else:
                found.append(None)
        todo = [i for i, rendered in enumerate(found) if rendered is None]
        progress = self.progress
        report = (lambda done, total: progress("posts parsed", done, total)) if progress else None
        fresh = map_indexed(lambda i: self.render(sources[todo[i]]), len(todo), self.jobs, report)
        for index, (rendered, dependencies) in zip(todo, fresh):
            source = sources[index]
            digest = hashlib.blake2b(rendered.body_html.encode(), digest_size=20).hexdigest()
            if not rendered.problems:
                self.save(source, rendered, dependencies, digest)
            found[index] = self._keep(source, rendered, digest, stored=not rendered.problems)
        return found  # type: ignore[return-value]

    def render(self, source: PostSource) -> tuple[Rendered, Dependencies]:
        """The slow, independent part of a post (may run in a worker process: no side effects).
        Its file is read again, and must be the one the post was read from."""
        resolve, rebase, asked = self.links.recording()
        try:
            data = read_file(source.path, sys.maxsize)  # (never a FIFO put in its place meanwhile: it would wait)
            if isinstance(data, SiteError):
                return _failed(data), ()
            if hashlib.blake2b(data, digest_size=20).hexdigest() != source.digest:
                raise SiteError.of(source.path, None, "post.changed")
            body, body_line = split_body(decode_source(data, source.path), source.path)
        except OSError as exc:
            return _failed(unreadable_file(source.path, exc)), ()
        except SiteError as exc:
            return _failed(exc), ()
        rendered = self._guarded(body, source.path, body_line, lambda: self.markdown.render(
            body, source.path, body_line, resolve, summary=source.meta.summary, rebase=rebase))
        return replace(rendered, text=""), tuple(asked)  # the plain text is not needed after this

    def _guarded(self, body: str, path: Path, body_line: int, render: Callable[[], Rendered]) -> Rendered:
        """render() within the limits of guard.py; going over one is the post's error."""
        problem = shape_problem(body, path, body_line)
        if problem is not None:
            return _failed(problem)
        try:
            with self.deadline.limit():
                return render()
        except (MarkdownTimeout, RecursionError) as exc:
            # Stopped half-way, the Markdown instance may hold that post's state: a new one.
            self.markdown = MarkdownRenderer(unsafe_html=self.unsafe_html)
            if isinstance(exc, RecursionError):
                return _failed(SiteError.of(path, body_line, "md.recursion"))
            return _failed(SiteError.of(path, body_line, "md.timeout", seconds=f"{self.deadline.seconds:g}"))

    def save(self, source: PostSource, rendered: Rendered, dependencies: Dependencies, digest: str) -> None:
        """What reading and rendering a post gave, under its content hash; the body's HTML apart."""
        cache, shown = self.cache, site_path(self.root, source.path)
        cache.put(source.key,
                  post_entry(source.doc, source.meta, source.problems, source.slug,
                             (replace(rendered, body_html=""), dependencies, digest)))
        cache.put(html_key(cache, shown, source.digest), rendered.body_html)

    def _keep(self, source: PostSource, rendered: Rendered, digest: str, stored: bool) -> tuple[Rendered, Body]:
        """The post's Body: named by its cache entry when the cache holds it, else held."""
        if stored and self.cache.path is not None:
            key = html_key(self.cache, site_path(self.root, source.path), source.digest)
            self.cache.touch(key)
            return replace(rendered, body_html="") if rendered.body_html else rendered, Body(digest, None, key)
        return rendered, Body(digest, Markup(rendered.body_html))


def _failed(problem: SiteError) -> Rendered:
    return Rendered("", "", "", "", 1, (problem,))


def with_body(post: Post, store: Bodies) -> Post:
    """The post with its body's HTML read back from the store, for the page or feed showing it
    (in whichever process renders that: each opens its own connection)."""
    if post.body.html is not None:
        return post
    assert post.body.key is not None
    return replace(post, body=replace(post.body, html=Markup(store.load(post.body.key, post.source))))
