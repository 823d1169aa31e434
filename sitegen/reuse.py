"""What a build may take from the last one instead of working it out again, and what it
records for the next. Every answer rests on a key computed from content, settings, templates
and sitegen's code; anything unreadable is a miss, never trusted.

- the state (snapshot.py): the file statuses a no-change build compares, and its summary;
- related posts, while no post's tags (or place in the site's order) changed;
- pages known unchanged from the shape of the plan and each post's card (known_pages)."""

from __future__ import annotations

import hashlib
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import Cache, code_key
from .search import INDEX_DIR, INDEX_RECORD
from .snapshot import Scan, State, output_status, save_state
from .manifest import MANIFEST, Manifest

if TYPE_CHECKING:
    from .digest import Digester
    from .model import Site
    from .pages import Page
    from .related import Related
    from .write import Staging


def state_key(source: Path, output: Path, drafts: bool, future: bool) -> str:
    """What a no-change build must share with the last one beside its files: sitegen, Python,
    the folders and the options."""
    parts = (code_key(), sys.version, str(source), str(output), str(drafts), str(future))
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


class Damaged(Exception):
    """A file of the site is not the size its manifest says: written over in place before a
    watcher's build that did not look at it (blockers.settled_blockers). No state is saved."""


def record_state(folder: Path, key: str, scan: Scan, output: Path, site: Site, outputs: list[str],
                 summary: dict[str, Any], now: datetime, intended: Manifest | None = None) -> tuple[str, State] | None:
    """After a good build: the statuses of its sources and outputs, and until when the same
    sources give the same site (a post coming due, or the work report's day ending). Returns
    the state saved and the token it was saved under (snapshot.load_state's `known`).
    intended: the manifest of a build that took the sizes of some files from it (a watcher's
    between whole checks); a file of another size raises Damaged."""
    index = [f"{INDEX_DIR}/{name}" for name in ("pagefind.js", "pagefind-entry.json", INDEX_RECORD)]  # (a damaged index: a real build)
    written = output_status(output, [*outputs, MANIFEST] + (index if site.config.search else []))
    if written is None:  # something removed a file meanwhile: let the next build look
        return None
    if intended is not None and any(entry.digest is not None and written.get(relpath, (0, entry.size))[1] != entry.size
                                    for relpath, entry in intended.items()):
        raise Damaged
    horizon = site.next_due
    if site.config.report:  # the work report's pages say which months have ended: they change daily
        midnight = (now.astimezone(site.config.tz) + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        horizon = min(horizon, midnight) if horizon else midnight
    digests = {str(path): digest for path, digest in site.digests.items() if scan.entries.get(str(path))}
    state = State(key, scan.entries, digests, written, now.timestamp(), horizon.timestamp() if horizon else None,
                  summary)
    token = save_state(folder, state)
    return (token, state) if token is not None else None


def plan(site: Site, now: datetime, cache: Cache) -> tuple[list[Page], str]:
    """Every page of the site (pages.plan), and the key of what all pages but the posts' own are
    made of: the columns, each post's card in the site's order and the work report's day
    (with the settings and code, which every key of the store holds). While that key is the
    same, the last build of this process's lists are taken as they are (a watcher's save of a
    post's text) and so is its sitemap (sitemap_of)."""
    from .pages import list_pages, plan as plan_pages

    day = now.astimezone(site.config.tz).date() if site.config.report else None
    h = hashlib.blake2b(repr(day).encode(), digest_size=20)
    for column in site.columns:
        h.update(column.key)
    for post in site.posts:
        h.update(post.card.key)
    shown = h.hexdigest()
    lists = cache.derived(cache.key("lists"), shown, lambda: list_pages(site, now))
    return plan_pages(site, now, related(site, cache), lists), shown


def sitemap_of(site: Site, pages: list[Page], shown: str, cache: Cache) -> bytes:
    """sitemap.xml: made of the pages' addresses and the cards' dates, so of what `shown` (from
    plan) names."""
    from .sitemap import render_sitemap

    return cache.derived(cache.key("sitemap"), shown, lambda: render_sitemap(site, pages))


def related(site: Site, cache: Cache) -> Related:
    """Related posts, from the store while no post's tags (or place in the site's order) changed."""
    from .related import related_indices, related_posts, tags_key

    key = cache.key("related", tags_key(site))
    count = len(site.posts)

    def checked() -> tuple[tuple[int, ...], ...] | None:  # (once per entry: a watcher keeps it checked)
        known = cache.get(key)
        if isinstance(known, tuple) and len(known) == count and all(
                isinstance(i, int) and 0 <= i < count for row in known for i in row):
            return known
        return None

    known = cache.derived(key, "checked", checked)
    if known is None:
        known = related_indices(site)
        cache.put(key, known)
    else:
        cache.touch(key)
    return related_posts(site, known=known)


def known_pages(digester: Digester, site: Site, pages: list[Page], staging: Staging | None, cache: Cache,
                now: datetime, shown: str) -> tuple[set[int], tuple[Any, ...] | None]:
    """Pages known unchanged without a digest of their own. When the plan of pages has the
    same shape as the last build's (Digester.shape), a page changed only if a post it shows
    changed its card, or, for a post's own page, its body: an edit to one post costs the few
    pages that show it, not a digest of every page of the site. The record says so only of the
    manifest that build wrote: anything that wrote the site since (a build without the store, a
    watcher's edit) wrote another. Also this build's record, to store once it has succeeded.
    `shown`: from plan()."""
    from .pages import PostPage

    if staging is None or cache.path is None:
        return set(), None
    day = now.astimezone(site.config.tz).date() if site.config.report else None
    # (shown, from plan, names all the shape is made of, and more)
    shape = cache.derived(cache.key("shape"), f"{digester.base}\x1f{shown}", lambda: digester.shape(site, day))
    if shape is None:
        return set(), None
    cards = {post.url: post.card.key for post in site.posts}
    bodies = {post.url: post.own_key for post in site.posts}
    key = cache.key("pages")
    last = cache.get(key)
    known: set[int] = set()
    if isinstance(last, tuple) and len(last) == 4 and last[0] == shape and last[3] and last[3] == staging.manifest_id:
        _, last_cards, last_bodies, _ = last
        changed = {url for url, card in cards.items() if last_cards.get(url) != card}
        for index, page in enumerate(pages):
            shown = page.posts
            if isinstance(page, PostPage):
                if last_bodies.get(page.url) != bodies[page.url]:
                    continue
                shown += page.related
            if changed and any(post.url in changed for post in shown):
                continue
            if staging.intact(page.output):
                known.add(index)
    return known, (key, shape, cards, bodies)
