"""Posts' tags: one Tag per web address (slug), shared by every post that has it. 'Reading'
and 'reading' are one tag, named as it was first met; two names that merely come out as the
same address (政治 and 整治 in pinyin) are two tags with two addresses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from .errors import SiteError
from .model import Tag
from .urls import MAX_SLUG, join_url


@dataclass(frozen=True)
class TagTable:
    slugs: dict[str, str]
    first: dict[str, tuple[str, Path]]
    tags: dict[str, Tag]


class Tags:
    def __init__(self, root: Path, base_path: str, slug: Callable[[str], str]) -> None:
        self.root = root
        self.base_path = base_path
        self.slug = slug
        self._slugs: dict[str, str] = {}  # name -> slug: a site has few tags, used by many posts
        self._first: dict[str, tuple[str, Path]] = {}  # slug -> the first name that gave it, and where
        self._tags: dict[str, Tag] = {}  # slug -> its one Tag

    def table(self) -> TagTable:
        """What the tags met so far decided (each slug's first name and Tag), to start another
        build's from (seed)."""
        return TagTable(dict(self._slugs), dict(self._first), dict(self._tags))

    def seed(self, table: TagTable) -> None:
        """Starts from what a build met with every post's tags as they are now: a post's tags
        then come out as if every post before it had been met (the first name met of each tag
        is the first in the site's order, and that post's name is among those)."""
        self._slugs, self._first, self._tags = dict(table.slugs), dict(table.first), dict(table.tags)

    def of_post(self, path: Path, names: Sequence[str], line: int) -> tuple[tuple[Tag, ...], list[SiteError]]:
        """The Tags of the post in `path` whose front matter names `names` on `line`, each once,
        and what is wrong with the names left out."""
        tags: dict[str, Tag] = {}
        problems: list[SiteError] = []
        for name in names:
            slug = self._slugs.get(name)
            if slug is None:
                slug = self._slugs[name] = self.slug(name)
            if not slug:
                problems.append(SiteError.of(path, line, "tag.no_slug", name=repr(name)))
                continue
            if len(slug) > MAX_SLUG:
                problems.append(SiteError.of(path, line, "tag.long", name=repr(name[:40]), length=len(slug), limit=MAX_SLUG))
                continue
            slug, first = self._claim(slug, name, path)
            if slug in tags:
                continue
            if slug not in self._tags:
                self._tags[slug] = Tag(first[0], slug, join_url(self.base_path, "tags", slug))
            tags[slug] = self._tags[slug]
        return tuple(tags.values()), problems

    def _claim(self, slug: str, name: str, path: Path) -> tuple[str, tuple[str, Path]]:
        """The address of the tag `name`, whose slug is `slug`: 'Reading' and 'reading' share one;
        two names that only come out alike (政治 and 整治, both zheng-zhi) get slug, slug-2, ...
        in the order the site's posts are met, which seed() keeps the same for every build."""
        candidate, number = slug, 1
        while True:
            first = self._first.setdefault(candidate, (name, path))
            if first[0] == name or first[0].lower() == name.lower():
                return candidate, first
            number += 1
            candidate = f"{slug}-{number}"
