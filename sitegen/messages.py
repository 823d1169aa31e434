"""Every message sitegen says to a person, by key, in each language it speaks.

An entry is (message, hint) per language, with {name} fields filled from the values the
problem was made with. Problems keep key and values (errors.py) and are put into words at the
edge, in the site's language; a message outside a site (no site.toml yet) follows the
system locale. The catalogue is split by subject (messages_*.py); this module joins them."""

from __future__ import annotations

import locale
import os
import tomllib
from pathlib import Path
from typing import Mapping

from .messages_cli import CLI
from .messages_content import CONTENT
from .messages_front import FRONT
from .messages_search import SEARCH

Entry = dict[str, tuple[str, str | None]]

CATALOGUE: dict[str, Entry] = {**FRONT, **CONTENT, **CLI, **SEARCH}


class _Blank(dict):  # type: ignore[type-arg]
    """A missing value shows as its name in braces, never as a crash while reporting a problem."""

    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


def render(key: str, language: str, values: Mapping[str, str]) -> tuple[str, str | None]:
    """(message, hint) of `key` in `language` (English where a language lacks the entry)."""
    entry = CATALOGUE[key]
    message, hint = entry.get(language) or entry["en"]
    fill = _Blank(values)
    if values.get("inner") in CATALOGUE:  # a message within a message ('cover: ' + a link's problem)
        inner, inner_hint = render(values["inner"], language, {k: v for k, v in values.items() if k != "inner"})
        fill["inner"], hint = inner, hint or inner_hint
    return message.format_map(fill), (hint.format_map(fill) if hint else None)


def say(key: str, language: str, **values: object) -> str:
    """One line of text (a summary, a progress label, a command's answer) in `language`."""
    return render(key, language, {name: str(value) for name, value in values.items()})[0]


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """zh-CN when the system speaks Chinese (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else en."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(name):
            return "zh-CN" if env[name].lower().startswith("zh") else "en"
    found = locale.getlocale()[0] or ""
    return "zh-CN" if found.lower().startswith("zh") else "en"


def site_language(source: Path) -> str:
    """The language a site's messages are in: site.toml's `language` when it can be read (even
    when something else in it is wrong), else the system's. The default, as in config.py, is zh-CN."""
    path = source / "site.toml"
    if not path.is_file():  # a FIFO there would never answer (config.py says what is wrong with it)
        return system_language()
    try:
        with open(path, "rb") as file:
            values = tomllib.loads(file.read(1 << 20).decode("utf-8-sig"))
    except (OSError, ValueError):
        return system_language()
    language = values.get("language", "zh-CN")
    return language if language in ("en", "zh-CN") else system_language()
