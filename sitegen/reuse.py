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
from .write import MANIFEST

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


def record_state(folder: Path, key: str, scan: Scan, output: Path, site: Site, outputs: list[str],
                 summary: dict[str, Any], now: datetime) -> None:
    """After a good build: the statuses of its sources and outputs, and until when the same
    sources give the same site (a post coming due, or the work report's day ending)."""
    index = [f"{INDEX_DIR}/{name}" for name in ("pagefind.js", "pagefind-entry.json", INDEX_RECORD)]  # (a damaged index: a real build)
    written = output_status(output, [*outputs, MANIFEST] + (index if site.config.search else []))
    if written is None:  # something removed a file meanwhile: let the next build look
        return
    horizon = site.next_due
    if site.config.report:  # the work report's pages say which months have ended: they change daily
        midnight = (now.astimezone(site.config.tz) + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        horizon = min(horizon, midnight) if horizon else midnight
    digests = {str(path): digest for path, digest in site.digests.items() if scan.entries.get(str(path))}
    save_state(folder, State(key, scan.entries, digests, written, now.timestamp(),
                             horizon.timestamp() if horizon else None, summary))


def related(site: Site, cache: Cache) -> Related:
    """Related posts, from the store while no post's tags (or place in the site's order) changed."""
    from .related import related_indices, related_posts, tags_key

    key = cache.key("related", tags_key(site))
    known = cache.get(key)
    count = len(site.posts)
    if not (isinstance(known, tuple) and len(known) == count
            and all(isinstance(i, int) and 0 <= i < count for row in known for i in row)):
        known = related_indices(site)
        cache.put(key, known)
    return related_posts(site, known=known)


def known_pages(digester: Digester, site: Site, pages: list[Page], staging: Staging | None, cache: Cache,
                now: datetime) -> tuple[set[int], tuple[Any, ...] | None]:
    """Pages known unchanged without a digest of their own. When the plan of pages has the
    same shape as the last build's (Digester.shape), a page changed only if a post it shows
    changed its card, or, for a post's own page, its body: an edit to one post costs the few
    pages that show it, not a digest of every page of the site. The record says so only of the
    manifest that build wrote: anything that wrote the site since (a build without the store, a
    watcher's edit) wrote another. Also this build's record, to store once it has succeeded."""
    from .digest import body_key
    from .pages import PostPage

    if staging is None or cache.path is None:
        return set(), None
    shape = digester.shape(site, now.astimezone(site.config.tz).date() if site.config.report else None)
    if shape is None:
        return set(), None
    cards = digester.cards(site)
    bodies = {post.url: body_key(post) for post in site.posts}
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
