"""Values the reuse store keeps, written as JSON. The store lives in the output folder, which
others may be able to write: reading it back must never run code (pickle, marshal and Jinja's
compiled templates all would), so only plain values are rebuilt, and anything else in an entry
makes it unreadable — a miss, never an error. Records (a post's entry) are laid out as plain
values by their owners (posts.py), and checked as they are rebuilt.

Every JSON object written is a one-key tag, so no user text (a front-matter key, a URL) can
pass for one: {"(": [...]} a tuple, {"{": [[key, value], ...]} a dict, {"b": "hex"} bytes.
An entry that is bytes and nothing else (a picture's version: hundreds of kilobytes) is kept as
they are, after a zero byte that no JSON text starts with."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo


class Unreadable(ValueError):
    """An entry written by another version, damaged, or not written by sitegen at all."""


_RAW = b"\x00"


def encode(value: Any) -> bytes:
    if type(value) is bytes:
        return _RAW + value
    return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":")).encode()


def decode(raw: bytes | str) -> Any:
    if isinstance(raw, bytes) and raw[:1] == _RAW:
        return raw[1:]
    try:
        return json.loads(raw, object_hook=_rebuild)
    except Unreadable:
        raise
    except (ValueError, TypeError, RecursionError) as exc:
        raise Unreadable(str(exc)) from None


def moment_plain(value: datetime) -> tuple[str, str | None]:
    """A datetime as text, with its time zone's name when it has one (an offset alone would
    not say when summer time begins)."""
    return value.isoformat(), value.tzinfo.key if isinstance(value.tzinfo, ZoneInfo) else None


def moment(text: str, zone: str | None) -> datetime:
    found = datetime.fromisoformat(text)
    return found.astimezone(ZoneInfo(zone)) if zone else found


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value
    if kind is tuple:
        return {"(": [_plain(item) for item in value]}
    if kind is list:
        return [_plain(item) for item in value]
    if kind is dict:
        return {"{": [[_plain(k), _plain(v)] for k, v in value.items()]}
    if kind is bytes:
        return {"b": value.hex()}
    if isinstance(value, str):  # Markup: the store keeps the text, whoever reads it knows it is HTML
        return str(value)
    raise TypeError(f"the store does not keep {kind.__name__} values")


def _rebuild(tagged: dict[str, Any]) -> Any:
    if len(tagged) != 1:
        raise Unreadable("an untagged object")
    (tag, value), = tagged.items()
    if tag == "(":
        return tuple(value)
    if tag == "{":
        return {k: v for k, v in value}
    if tag == "b":
        return bytes.fromhex(value)
    raise Unreadable(f"not a value the store keeps: {tag!r}")
