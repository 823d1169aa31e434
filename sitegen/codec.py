"""Values the reuse store keeps, written as JSON. The store lives in the output folder, which
others may be able to write: reading it back must never run code (pickle, marshal and Jinja's
compiled templates all would), so only plain values and the few records named here are
rebuilt, and anything else in an entry makes it unreadable — a miss, never an error.

Every JSON object written is a one-key tag, so no user text (a front-matter key, a URL) can
pass for one: {"(": [...]} a tuple, {"{": [[key, value], ...]} a dict, {"t": [iso, zone]} a
datetime, {"p": "..."} a path, {"b": "hex"} bytes, {"PostMeta": [fields...]} a record."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo


class Unreadable(ValueError):
    """An entry written by another version, damaged, or not written by sitegen at all."""


@cache
def _records() -> dict[str, tuple[type, tuple[str, ...]]]:
    # Imported on first use: the no-change path reads the store without Markdown or YAML.
    from .errors import SiteError
    from .markup import Rendered
    from .meta import PostMeta

    return {cls.__name__: (cls, tuple(f.name for f in fields(cls))) for cls in (PostMeta, Rendered, SiteError)}


def encode(value: Any) -> bytes:
    return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":")).encode()


def decode(raw: bytes | str) -> Any:
    try:
        return json.loads(raw, object_hook=_rebuild)
    except Unreadable:
        raise
    except (ValueError, TypeError, KeyError, RecursionError) as exc:
        raise Unreadable(str(exc)) from None


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
    if isinstance(value, str):  # Markup: the store keeps the text, whoever reads it knows it is HTML
        return str(value)
    if isinstance(value, datetime):
        return {"t": [value.isoformat(), value.tzinfo.key if isinstance(value.tzinfo, ZoneInfo) else None]}
    if isinstance(value, Path):
        return {"p": str(value)}
    if isinstance(value, bytes):
        return {"b": value.hex()}
    record = _records().get(kind.__name__)
    if record is None or record[0] is not kind:
        raise TypeError(f"the store does not keep {kind.__name__} values")
    return {kind.__name__: [_plain(getattr(value, name)) for name in record[1]]}


def _rebuild(tagged: dict[str, Any]) -> Any:
    if len(tagged) != 1:
        raise Unreadable("an untagged object")
    (tag, value), = tagged.items()
    if tag == "(":
        return tuple(value)
    if tag == "{":
        return {k: v for k, v in value}
    if tag == "t":
        moment = datetime.fromisoformat(value[0])
        return moment.astimezone(ZoneInfo(value[1])) if value[1] else moment
    if tag == "p":
        return Path(value)
    if tag == "b":
        return bytes.fromhex(value)
    record = _records().get(tag)
    if record is None or not isinstance(value, list) or len(value) != len(record[1]):
        raise Unreadable(f"not a record the store keeps: {tag!r}")
    return record[0](*value)
