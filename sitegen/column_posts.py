"""One column's files -> what reading them gave (ColumnRead): the posts this build publishes,
the link targets and copied files they bring, the posts left out and why, and the problems
found. It changes nothing else, so a read can be kept: read again from the same files (by
their statuses), for the same column, options and the same side of "now" for every post, it
would be the same, and a watcher's build takes the last one's (load.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from .config import SiteConfig
from .errors import SiteError
from .model import Column
from .posts import CachedBody, PostReader, PostSource
from .slugs import Slugs
from .sources import MARKDOWN_SUFFIXES
from .urls import MAX_SLUG, join_url, strip_date_prefix, unsafe_slug_reason


@dataclass
class ColumnRead:
    now: datetime  # what it was read against
    sources: list[PostSource] = field(default_factory=list)  # the posts published, in file order
    cached: dict[Path, CachedBody] = field(default_factory=dict)  # bodies from the store, to check once all links are known
    digests: dict[Path, str] = field(default_factory=dict)  # content hash of every post read
    entries: list[str] = field(default_factory=list)  # the store's entries it relies on
    targets: dict[Path, str] = field(default_factory=dict)  # link targets: posts and bundles
    left_out: dict[Path, str] = field(default_factory=dict)  # posts left out, and why
    assets: list[tuple[Path, str]] = field(default_factory=list)  # files copied as they are, and where to
    problems: list[SiteError] = field(default_factory=list)
    due: datetime | None = None  # the earliest post dated after `now`

    def holds_at(self, now: datetime) -> bool:
        """Whether every post is on the same side of `now` as it was read (time moves on)."""
        return self.now <= now and (self.due is None or now < self.due)


class ColumnPosts:
    """Reads columns' files for one build."""

    def __init__(self, config: SiteConfig, posts: PostReader, slugs: Slugs, now: datetime, drafts: bool,
                 future: bool) -> None:
        self.config = config
        self.posts = posts
        self.slugs = slugs
        self.now = now
        self.drafts = drafts
        self.future = future

    def read(self, column: Column, files: list[tuple[Path, Path | None]]) -> ColumnRead:
        """The column's posts this build publishes; its other files are copied as they are, a
        bundle's under its post's address (and only when the post is published)."""
        read = ColumnRead(self.now)
        bundled: dict[Path, list[Path]] = {}
        for path, bundle in files:
            if bundle is not None and path != bundle / "index.md":
                bundled.setdefault(bundle, []).append(path)
            elif path.suffix.lower() not in MARKDOWN_SUFFIXES:
                read.assets.append((path, f"{column.slug}/{path.relative_to(column.source).as_posix()}"))
            elif column.is_page:
                read.problems.append(SiteError.of(path, None, "column.page_with_posts", column=column.slug))
            elif (source := self._post(read, column, path, bundle)) is not None:
                read.sources.append(source)
        for source in read.sources:
            if source.bundle is not None:
                folder = source.url[len(self.config.base_path):].rstrip("/")
                for path in bundled.get(source.bundle, []):
                    read.assets.append((path, f"{folder}/{path.relative_to(source.bundle).as_posix()}"))
        return read

    def _post(self, read: ColumnRead, column: Column, path: Path, bundle: Path | None) -> PostSource | None:
        found = self.posts.get(path)
        if isinstance(found, SiteError):
            read.problems.append(found)
            return None
        read.digests[path] = found.digest
        key = self.posts.key(path, found.digest)
        read.entries.append(key)
        if found.body is not None:
            read.cached[path] = found.body
        read.problems.extend(found.problems)
        meta, doc = found.meta, found.doc
        if meta is None:
            return None
        slug = found.slug  # spelled when the store's entry was made
        if slug is None and meta.slug is not None:
            reason = unsafe_slug_reason(meta.slug)
            if reason:
                read.problems.append(SiteError.of(path, doc.line("slug"), reason, slug=repr(meta.slug)))
                return None
            slug = self.slugs.of(meta.slug)
        elif slug is None:
            slug = self.slugs.of(strip_date_prefix(bundle.name if bundle else path.stem))
        if not found.from_cache:  # BodyRenderer adds the body
            self.posts.remember(path, found, slug)
        problem = _post_slug_problem(path, doc.line("slug") if meta.slug else 1, slug)
        if problem is not None:
            read.problems.append(problem)
            return None
        url = join_url(self.config.base_path, column.slug, slug)
        if meta.date > self.now:  # from then on the same sources give another site (shown, or not scheduled)
            read.due = min(read.due, meta.date) if read.due else meta.date
        if meta.draft and not self.drafts:
            read.left_out[path] = "a draft"
            read.problems.append(SiteError.of(path, doc.line("draft"), "post.draft", "note"))
        elif meta.date > self.now and not self.future:
            read.left_out[path] = f"dated in the future ({meta.date:%Y-%m-%d %H:%M})"
            read.problems.append(_future_note(path, doc.line("date"), meta.date, self.now))
        else:
            read.targets[path] = url
            if bundle is not None:
                read.targets[bundle] = url
            return PostSource(column, path, bundle, doc, meta, slug, url, found.digest, key, tuple(found.problems))
        return None


FAR_AHEAD = timedelta(days=366)


def _future_note(path: Path, line: int, when: datetime, now: datetime) -> SiteError:
    """A post dated in the future is said, with when it will appear; more than a year ahead, it
    is a warning: most likely a mistyped year (2062 for 2026), and the post would never show."""
    written = f"{when:%Y-%m-%d %H:%M}"
    if when - now > FAR_AHEAD:
        return SiteError.of(path, line, "post.far_future", "warning", date=written, year=when.year)
    return SiteError.of(path, line, "post.future", "note", date=written)


def _post_slug_problem(path: Path, line: int, slug: str) -> SiteError | None:
    """What is wrong with a post's web address; `line` is its 'slug:' line, or 1 when it has none."""
    if not slug:
        return SiteError.of(path, line, "post.no_slug")
    if len(slug) > MAX_SLUG:
        return SiteError.of(path, line, "post.long_slug", length=len(slug), limit=MAX_SLUG)
    return None
