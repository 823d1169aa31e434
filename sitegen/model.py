"""The content model: frozen dataclasses, built once by load.py, read by everything after it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from .config import SiteConfig

if TYPE_CHECKING:
    from .photo_set import Photo


def _digest(record: object) -> bytes:
    """Of a small record whose repr shows all of its content."""
    return hashlib.blake2b(repr(record).encode(), digest_size=20).digest()


@dataclass(frozen=True)
class Column:
    slug: str
    title: str
    description: str
    order: int
    url: str
    source: Path  # the column's folder
    intro_html: Markup = Markup("")
    is_page: bool = False  # a single page with no posts, such as the secretary mailbox

    @cached_property
    def key(self) -> bytes:
        """A digest of every field (Card.key)."""
        return _digest(self)


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str
    url: str

    @cached_property
    def key(self) -> bytes:
        """A digest of every field (Card.key)."""
        return _digest(self)


@dataclass(frozen=True)
class Attachment:
    name: str
    url: str
    size: int

    @property
    def ext(self) -> str:
        return self.name.rsplit(".", 1)[-1].lower() if "." in self.name else ""

    @property
    def size_text(self) -> str:
        size = float(self.size)
        for unit in ("B", "KB", "MB", "GB"):
            if size < 1024 or unit == "GB":
                return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
            size /= 1024
        raise AssertionError("unreachable")


@dataclass(frozen=True)
class Asset:
    """A file copied as it is: a bundle's image or attachment, or a file of the site's static/."""

    source: Path
    relpath: str  # POSIX path under the output folder


@dataclass(frozen=True)
class Body:
    """A post's body HTML: held here, or, in a build with a store, only named here (a large
    site's bodies are not all in memory at once); the pipeline reads it back for the page or
    feed that shows it (bodies.with_body). The model itself reads nothing."""

    digest: str  # of the HTML: what a page made from it depends on
    html: Markup | None = None
    key: str | None = None  # the store's entry holding it, when html is None


@dataclass(frozen=True)
class Card:
    """What every page other than a post's own shows of it: a list, home, tags, archive, the
    work report, the neighbours and related posts on a post's page. A page's digest covers
    the cards it shows, so a template reading anything else from a card (the body, the
    contents) would go stale when only that changed: Jinja finds no such attribute, and the
    build fails naming the template (render.py)."""

    title: str
    url: str
    date: datetime
    updated: datetime | None
    author: str | None
    tags: tuple[Tag, ...]
    summary_html: Markup
    column: Column
    cover_url: str | None
    pinned: bool
    draft: bool
    scheduled: bool
    reading_minutes: int
    attachments: tuple[Attachment, ...]
    slug: str

    @property
    def lastmod(self) -> datetime:
        return self.updated or self.date

    @cached_property
    def key(self) -> bytes:
        """A digest of every field (their reprs show all of their content; the column and tags,
        shared by many cards, by their own keys): what pages showing the card are compared by
        (digest.py). Made once per card, and a post's card once per post: a watcher's next
        build takes the unchanged posts, cards and keys as they are."""
        h = hashlib.blake2b(repr(tuple(getattr(self, name) for name in _CARD_PLAIN)).encode(), digest_size=20)
        h.update(self.column.key)
        for tag in self.tags:
            h.update(tag.key)
        return h.digest()


CARD_FIELDS = tuple(f.name for f in fields(Card))
_CARD_PLAIN = tuple(name for name in CARD_FIELDS if name not in ("column", "tags"))


@dataclass(frozen=True)
class Post:
    source: Path
    column: Column
    slug: str
    url: str
    title: str
    date: datetime
    updated: datetime | None
    author: str | None
    tags: tuple[Tag, ...]
    summary_html: Markup
    body: Body
    toc_html: Markup
    reading_minutes: int
    attachments: tuple[Attachment, ...] = ()
    cover_url: str | None = None
    draft: bool = False
    pinned: bool = False
    # Dated after the build's "now": published only in a --future preview, never indexed by search.
    scheduled: bool = False

    @property
    def lastmod(self) -> datetime:
        return self.updated or self.date

    @property
    def body_html(self) -> Markup:
        if self.body.html is None:  # a page or feed was given the post without its body read back
            raise LookupError(f"the body of {self.source} was not read back from the store (bodies.with_body)")
        return self.body.html

    @cached_property
    def own_key(self) -> str:
        """What the post's own page may show beyond its card: the body, the contents and the
        source file's path (every field of a post is on its card or here)."""
        rest = f"{self.toc_html}\x00{self.source}".encode()
        return self.body.digest + hashlib.blake2b(rest, digest_size=8).hexdigest()

    @cached_property
    def card(self) -> Card:
        """Made once per post, so every page showing the post holds the same card: a fragment()
        keyed by it, or a digest of it, is made once a build."""
        return Card(**{name: getattr(self, name) for name in CARD_FIELDS})


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    root: Path
    columns: tuple[Column, ...]
    posts: tuple[Post, ...]  # newest first; only those this build publishes
    assets: tuple[Asset, ...] = ()
    photos: tuple["Photo", ...] = ()  # pictures published as versions (photo_set.py), not copied
    next_due: datetime | None = None  # the earliest post left out for being dated in the future
    digests: dict[Path, str] = field(default_factory=dict, compare=False, repr=False)  # content hash of each post's file
    _by_column: dict[str, tuple[Post, ...]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        groups: dict[str, list[Post]] = {c.slug: [] for c in self.columns}
        for post in self.posts:
            groups[post.column.slug].append(post)
        self._by_column.update({slug: tuple(posts) for slug, posts in groups.items()})

    def posts_in(self, column: Column) -> tuple[Post, ...]:
        """A column's posts, newest first."""
        return self._by_column.get(column.slug, ())

    @property
    def tags(self) -> dict[str, tuple[Tag, tuple[Post, ...]]]:
        """Tag slug -> (tag, its posts newest first)."""
        found: dict[str, tuple[Tag, list[Post]]] = {}
        for post in self.posts:
            for tag in post.tags:
                found.setdefault(tag.slug, (tag, []))[1].append(post)
        return {slug: (tag, tuple(posts)) for slug, (tag, posts) in sorted(found.items())}
