"""Every message sitegen says to a person, by key, in each language it speaks.

An entry is (message, hint) per language, with {name} fields filled from the values the
problem was made with. Problems keep key and values (errors.py) and are put into words at the
edge, in the site's language; a message outside a site (no site.toml yet) follows the
system locale. The catalogue is split by subject (messages_*.py); this module joins them."""

from __future__ import annotations

import errno
import locale
import os
import re
import tomllib
from pathlib import Path
from typing import Mapping

from .messages_args import ARGS
from .messages_cli import CLI
from .messages_config import CONFIG
from .messages_content import CONTENT
from .messages_files import FILES
from .messages_front import FRONT
from .messages_output import OUTPUT
from .messages_photos import PHOTOS
from .messages_search import SEARCH
from .messages_templates import TEMPLATES

Entry = dict[str, tuple[str, str | None]]

CATALOGUE: dict[str, Entry] = {**FRONT, **CONTENT, **PHOTOS, **CLI, **CONFIG, **FILES, **OUTPUT, **ARGS, **SEARCH,
                               **TEMPLATES}
SENTENCES = "+"  # between the keys of an `inner` said one after the other
WORD = "word."  # a value naming such an entry (a FIFO, 'Permission denied') is said in the language too


class _Blank(dict):  # type: ignore[type-arg]
    """A missing value shows as its name in braces, never as a crash while reporting a problem."""

    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


def render(key: str, language: str, values: Mapping[str, str]) -> tuple[str, str | None]:
    """(message, hint) of `key` in `language` (English where a language lacks the entry)."""
    entry = CATALOGUE[key]
    message, hint = entry.get(language) or entry["en"]
    fill = _Blank({name: _word(value, language) for name, value in values.items()})
    hint = hint.format_map(fill) if hint else None
    inner = values.get("inner", "").split(SENTENCES)
    if all(part in CATALOGUE for part in inner):  # a message within a message ('cover: ' + a link's problem)
        rest = {k: v for k, v in values.items() if k != "inner"}
        said = [render(part, language, rest) for part in inner]  # (a template's reason: sentence after sentence)
        fill["inner"] = ("" if language == "zh-CN" else " ").join(text for text, _ in said if text)
        hint = hint or next((part_hint for _, part_hint in said if part_hint), None)
    return message.format_map(fill), hint


def _word(value: str, language: str) -> str:
    if not value.startswith(WORD):
        return value
    if value not in CATALOGUE:  # a word the catalogue lacks is shown as it is, without the prefix
        return value[len(WORD):]
    entry = CATALOGUE[value]
    return (entry.get(language) or entry["en"])[0]


def os_reason(error: OSError | str) -> str:
    """Why the system refused (an OSError, or its English strerror): a word of the catalogue
    where there is one ('Permission denied' is 没有权限 on a zh-CN site), else the system's text."""
    if isinstance(error, str):
        code = next((code for code in errno.errorcode if os.strerror(code) == error), None)
        text = error
    else:
        code, text = error.errno, error.strerror or str(error)
    key = f"{WORD}os.{errno.errorcode.get(code or 0, '')}"
    return key if key in CATALOGUE else text


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
    """The language a site's messages are in: site.toml's `language` (found by its line when
    something else in the file is wrong), else the system's. The default, as in config.py, is zh-CN."""
    path = source / "site.toml"
    if not path.is_file():  # a FIFO there would never answer (config.py says what is wrong with it)
        return system_language()
    try:
        with open(path, "rb") as file:
            text = file.read(1 << 20).decode("utf-8-sig")
    except (OSError, ValueError):
        return system_language()
    try:
        language = tomllib.loads(text).get("language", "zh-CN")
    except ValueError:  # a mistake elsewhere in the file: its language line still says how to explain it
        found = re.search(r'^[ \t]*language[ \t]*=[ \t]*"([^"\n]*)"', text, re.MULTILINE)
        language = found.group(1) if found else "zh-CN"
    return language if language in ("en", "zh-CN") else system_language()
