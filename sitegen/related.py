"""Related posts by shared tags, for every post at once.

Each tag's posts are a bitset over the site's posts (newest first), so "shares at least s
of my tags" is a few big-integer operations instead of comparing every pair of posts."""

from __future__ import annotations

import hashlib

from .model import Card, Site

RELATED_LIMIT = 5

Related = dict[str, tuple[Card, ...]]  # a post's URL -> the cards of its related posts


def related_posts(site: Site, limit: int = RELATED_LIMIT, known: tuple[tuple[int, ...], ...] | None = None) -> Related:
    """A post's URL -> up to `limit` other posts sharing the most tags with it, newest first among
    equals (their cards: all a post's page shows of them). `known`: related_indices() of a site
    with the same tags_key(), to use as it is."""
    posts = site.posts
    chosen = known if known is not None and len(known) == len(posts) else related_indices(site, limit)
    cards = [post.card for post in posts]
    return {post.url: tuple([cards[i] for i in indices]) for post, indices in zip(posts, chosen)}


def tags_key(site: Site, limit: int = RELATED_LIMIT) -> str:
    """All that related posts depend on: each post's tags, in the site's order."""
    text = repr((limit, [tuple(tag.slug for tag in post.tags) for post in site.posts]))
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def related_indices(site: Site, limit: int = RELATED_LIMIT) -> tuple[tuple[int, ...], ...]:
    """For each post (by its index in site.posts), the indices of its related posts."""
    posts = site.posts
    masks: dict[str, int] = {}
    for index, post in enumerate(posts):
        for tag in post.tags:
            masks[tag.slug] = masks.get(tag.slug, 0) | (1 << index)
    found: list[tuple[int, ...]] = []
    for index, post in enumerate(posts):
        mine = [masks[t.slug] for t in post.tags]
        # at_least[s]: posts sharing at least s of this post's tags.
        at_least = [-1] + [0] * len(mine)
        for mask in mine:
            for s in range(len(mine), 0, -1):
                at_least[s] |= at_least[s - 1] & mask
        chosen: list[int] = []
        taken = 1 << index  # never the post itself
        for s in range(len(mine), 0, -1):
            candidates = at_least[s] & ~taken
            while candidates and len(chosen) < limit:
                lowest = candidates & -candidates  # lowest bit: the newest remaining post
                chosen.append(lowest.bit_length() - 1)
                taken |= lowest
                candidates ^= lowest
            if len(chosen) == limit:
                break
        found.append(tuple(chosen))
    return tuple(found)
