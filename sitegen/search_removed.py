"""Posts that leave the site leave its search at once: REMOVED_FILE, in the index folder of every
version of the site, names the pages of that version's index whose records the version no longer
has (a post deleted, renamed, made a draft or moved into the future), and the search page leaves
them out of its results (templates/static/search_index.js).

Why: under `sitegen watch` the pages go live first and the index follows (its shard is made
again, seconds later at 10,000 posts): for those seconds the live index, linked from the last
version, still holds the post. The list goes live in the same switch as the pages without the
post, so no visitor sees a result for a page that is gone; once the shard is made again, the
index no longer has the page and the list is empty again (a new index starts with an empty one,
carrying over only what a build made meanwhile removed: carry_removed).

The file: {"pages": {shard prefix: {url: page id}}}; a page's id is the name Pagefind gives its
fragment, which its script gives each result (search_shards.PAGES_FILE maps them)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .search_shards import read_pages

if TYPE_CHECKING:
    from .search import SearchSource

REMOVED_FILE = "removed.json"
Removed = dict[str, dict[str, str]]


def mark_removed(index: Path, source: SearchSource) -> None:
    """Writes the REMOVED_FILE of the index in `index` (a version's pagefind/ folder, linked from
    the live one) for a version whose records are `source`'s: the index's pages not among them."""
    if not index.is_dir():
        return
    wanted = {entry.url for entry in source.entries}
    gone = {prefix: {url: page for url, page in urls.items() if url not in wanted}
            for prefix, urls in read_pages(index).items() if isinstance(urls, dict)}
    write_removed(index, {prefix: urls for prefix, urls in gone.items() if urls})


def carry_removed(fresh: Path, live: Path) -> None:
    """The REMOVED_FILE of a fresh index (`fresh`) about to replace the live one (`live`, the
    index folder of the live version): the pages of the fresh index that the live version says
    are removed, since a build may have removed a post while the fresh index was made."""
    said = read_removed(live)
    urls = {url for pages in said.values() for url in pages}
    pages = read_pages(fresh)
    kept = {prefix: {url: page for url, page in mine.items() if url in urls} for prefix, mine in pages.items()}
    write_removed(fresh, {prefix: mine for prefix, mine in kept.items() if mine})


def read_removed(index: Path) -> Removed:
    try:
        said = json.loads((index / REMOVED_FILE).read_text("utf-8"))["pages"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return said if isinstance(said, dict) else {}


def write_removed(index: Path, removed: Removed) -> None:
    """Written beside and then renamed over the old one: the file may be a link to the live
    version's (a kept index is linked file by file), which must not change."""
    temporary = index / f".{REMOVED_FILE}.{os.getpid()}"
    temporary.write_text(json.dumps({"pages": removed}, ensure_ascii=False), "utf-8")
    os.replace(temporary, index / REMOVED_FILE)
