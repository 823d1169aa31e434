"""Related posts by shared tags, for every post at once.

Each tag's posts are a bitset over the site's posts (newest first), so "shares at least s
of my tags" is a few big-integer operations instead of comparing every pair of posts."""

from __future__ import annotations

from .model import Post, Site

RELATED_LIMIT = 5


def related_posts(site: Site, limit: int = RELATED_LIMIT) -> dict[int, tuple[Post, ...]]:
    """id(post) -> up to `limit` other posts sharing the most tags with it, newest first among equals."""
    posts = site.posts
    masks: dict[str, int] = {}
    for index, post in enumerate(posts):
        for tag in post.tags:
            masks[tag.slug] = masks.get(tag.slug, 0) | (1 << index)
    found: dict[int, tuple[Post, ...]] = {}
    for index, post in enumerate(posts):
        mine = [masks[t.slug] for t in post.tags]
        # at_least[s]: posts sharing at least s of this post's tags.
        at_least = [-1] + [0] * len(mine)
        for mask in mine:
            for s in range(len(mine), 0, -1):
                at_least[s] |= at_least[s - 1] & mask
        chosen: list[Post] = []
        taken = 1 << index  # never the post itself
        for s in range(len(mine), 0, -1):
            candidates = at_least[s] & ~taken
            while candidates and len(chosen) < limit:
                lowest = candidates & -candidates  # lowest bit: the newest remaining post
                chosen.append(posts[lowest.bit_length() - 1])
                taken |= lowest
                candidates ^= lowest
            if len(chosen) == limit:
                break
        found[id(post)] = tuple(chosen)
    return found
