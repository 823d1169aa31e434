"""Slugs of names (column folders, post files, tags): ASCII at once; Chinese from the store,
or spelled in pinyin apart from this process (urls.spell_apart), a batch at a time."""

from __future__ import annotations

from .cache import Cache
from .urls import slugify, spell_apart


class Slugs:
    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.spelled: dict[str, str] = {}  # this build's, by name

    def of(self, text: str) -> str:
        """slugify, remembered by the store for Chinese text: the pinyin dictionaries take a
        while to load, and a rebuild seldom meets a name it has not spelled before."""
        if text.isascii():
            return slugify(text)
        found = self.spelled.get(text)
        if found is None:
            found = self.cache.get(self.cache.key("slug", text))
        if not isinstance(found, str):
            found = slugify(text)  # a name no batch foresaw: spelled here
            self.cache.put(self.cache.key("slug", text), found)
        self.spelled[text] = found
        return found

    def spell(self, names: list[str]) -> None:
        """Spells at once the names that may need a slug and that the store does not know yet."""
        todo = sorted({name for name in names if not name.isascii() and name not in self.spelled})
        for name in todo:
            found = self.cache.get(self.cache.key("slug", name))
            if isinstance(found, str):
                self.spelled[name] = found
        for name, slug in spell_apart([name for name in todo if name not in self.spelled]).items():
            self.spelled[name] = slug
            self.cache.put(self.cache.key("slug", name), slug)
