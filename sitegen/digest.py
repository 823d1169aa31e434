"""Digests of what a page is made from, so an unchanged page is not rendered again.

A page's digest covers the templates, the settings, the navigation and every field of the
page, which is all its template receives (Page.template_variables). Posts shown on a page
other than their own are cards (model.Card: title, date, summary, tags, ...), and a card is
all such a template can read of them: a change to the body alone re-renders the post's own
page, not every list that mentions it. Anything the walker does not understand makes the
page's digest None, which means "always render" — slower, never stale."""

from __future__ import annotations

import hashlib
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from .model import Card, Post, Site
from .pages import Month, Page, Section, Year

# Records that hold cards: walked field by field, so each card is digested once for all of them.
_HOLDS_CARDS = (Page, Section, Month, Year)


class _Opaque(Exception):
    """A value whose content the walker cannot see."""


class Digester:
    def __init__(self, *globals_: Any) -> None:
        self._memo: dict[int, bytes] = {}
        self._keep: list[Any] = []  # objects behind memo ids stay alive, so ids are not reused
        base = hashlib.blake2b(digest_size=20)  # (sitegen's code is among the inputs: PageMaker)
        self._feed(base, globals_)
        self._base = base.digest()

    @property
    def base(self) -> str:
        """What every page's digest starts from: the settings, templates and navigation."""
        return self._base.hex()

    def page(self, page: Page, *extra: Any) -> str | None:
        h = hashlib.blake2b(self._base, digest_size=20)
        try:
            self._fields(h, page)
            self._feed(h, extra)
        except _Opaque:
            return None
        return h.hexdigest()

    def shape(self, site: Site, *extra: Any) -> str | None:
        """What the plan of pages depends on: the settings, templates and navigation (as for
        every page), each post's place (address, column, date, pinned, tags) in the site's
        order, and `extra`. While it stays the same, the same pages show the same posts, so a
        page changes only when a post it shows changed its card (Card.key) or, for a post's own
        page, its body (Post.own_key)."""
        h = hashlib.blake2b(self._base, digest_size=20)
        try:
            self._feed(h, extra)
        except _Opaque:
            return None
        h.update(repr([(post.url, post.column.slug, post.date, post.pinned, tuple(tag.slug for tag in post.tags))
                       for post in site.posts]).encode())
        return h.hexdigest()

    def _feed(self, h: Any, value: Any) -> None:
        # Remembered records and tuples are kept alive, so no other object can have their id.
        found = self._memo.get(id(value))
        if found is not None:
            h.update(found)
            return
        kind = type(value)
        if kind is str or kind is int or kind is bool or kind is float or value is None:
            h.update(f"{kind.__name__}\x01{value}\x00".encode())
        elif kind is tuple:  # immutable, and often shared (site.posts): worth remembering
            h.update(self._tuple(value))
        elif isinstance(value, (str, int, float)):  # Markup and other subclasses
            h.update(f"{kind.__name__}\x01{value}\x00".encode())
        elif isinstance(value, (datetime, date)):
            h.update(value.isoformat().encode())
        elif isinstance(value, PurePath):
            h.update(str(value).encode())
        elif isinstance(value, list):
            h.update(b"[")
            for item in value:
                self._feed(h, item)
            h.update(b"]")
        elif isinstance(value, dict):
            h.update(b"{")
            for key in sorted(value, key=repr):
                self._feed(h, key)
                self._feed(h, value[key])
            h.update(b"}")
        elif is_dataclass(value) and not isinstance(value, type):
            h.update(self._object(value))
        else:
            raise _Opaque(type(value).__name__)

    def _tuple(self, value: tuple[Any, ...]) -> bytes:
        key = id(value)
        found = self._memo.get(key)
        if found is None:
            sub = hashlib.blake2b(b"(", digest_size=20)
            for item in value:
                self._feed(sub, item)
            found = self._memo[key] = sub.digest()
            self._keep.append(value)
        return found

    def _object(self, value: Any) -> bytes:
        key = id(value)
        found = self._memo.get(key)
        if found is None:
            sub = hashlib.blake2b(type(value).__qualname__.encode(), digest_size=20)
            if isinstance(value, Card):
                sub.update(value.key)
            elif isinstance(value, Post):  # on its own page only: its card and what only that page shows
                sub.update(self._object(value.card))
                sub.update(value.own_key.encode())
            elif isinstance(value, _HOLDS_CARDS):
                self._fields(sub, value)
            else:
                # Small frozen records of strings, numbers, dates and other such records
                # (breadcrumbs, paginators, columns, report figures): their repr shows all of it.
                # One whose repr shows only its identity is never found unchanged: slower, never stale.
                sub.update(repr(value).encode())
            found = self._memo[key] = sub.digest()
            self._keep.append(value)
        return found

    def _fields(self, h: Any, value: Any) -> None:
        h.update(type(value).__qualname__.encode())
        for f in fields(value):
            h.update(f.name.encode())
            self._feed(h, getattr(value, f.name))
