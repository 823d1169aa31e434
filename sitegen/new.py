"""`sitegen new COLUMN TITLE...`: a new draft post in a column, named by its folder (study) or
its title (专题学习); the title may be typed in several words without quotes."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

from .config import load_config
from .errors import SiteError
from .front import decode_source, split_document
from .layout import COLUMNS_DIR
from .messages import say, site_language
from .sources import read_file
from .urls import slugify


def new_post(source: Path, column: str, words: list[str]) -> int:
    language = site_language(source)
    try:
        config = load_config(source)
    except SiteError as exc:
        print(exc.format(source, language), file=sys.stderr)
        return 1
    columns = _columns(source, config.max_file_size)
    folder = _find(column, columns)
    if folder is None:
        listed = ", ".join(f"{name} ({title})" if title and title != name else name
                           for name, (title, _, _) in columns.items()) or say("new.no_columns", language)
        print(say("new.no_column", language, column=column, columns=listed), file=sys.stderr)
        return 1
    _, is_page, unreadable = columns[folder]
    if unreadable is not None:
        print(unreadable.format(source, language), file=sys.stderr)
        return 1
    if is_page:
        index = (source / COLUMNS_DIR / folder / "_index.md").relative_to(source)
        print(say("new.page_column", language, column=folder, index=index), file=sys.stderr)
        return 1
    title = " ".join(words).strip()
    if not title:
        print(say("new.empty_title", language), file=sys.stderr)
        return 1
    now = datetime.now(config.tz)
    path = source / COLUMNS_DIR / folder / f"{now:%Y-%m-%d}-{slugify(title) or 'post'}.md"
    if path.exists():
        print(say("new.exists", language, path=path.relative_to(source)), file=sys.stderr)
        return 1
    quoted = json.dumps(title, ensure_ascii=False)  # a JSON string is a valid YAML one
    path.write_text(f"---\ntitle: {quoted}\ndate: {now:%Y-%m-%d %H:%M}\nauthor: \ntags: []\ndraft: true\n---\n\n"
                    f"{say('new.body', language)}\n", encoding="utf-8")
    print(path.relative_to(source))
    return 0


def _columns(source: Path, limit: int) -> dict[str, tuple[str | None, bool, SiteError | None]]:
    """Each column's folder name -> (its title, whether it is a single page, why its _index.md
    cannot be read). A column whose _index.md is wrong still counts by its folder."""
    found: dict[str, tuple[str | None, bool, SiteError | None]] = {}
    for index in sorted((source / COLUMNS_DIR).glob("*/_index.md")):
        title, is_page = None, False
        data = read_file(index, limit)  # (never waits on a FIFO there)
        if not isinstance(data, SiteError):
            try:
                meta = split_document(decode_source(data, index), index).meta
                title = str(meta["title"]).strip() if meta.get("title") is not None else None
                is_page = meta.get("layout") == "page"
            except SiteError:
                pass
        found[index.parent.name] = (title, is_page, data if isinstance(data, SiteError) else None)
    return found


def _find(typed: str, columns: dict[str, tuple[str | None, bool, SiteError | None]]) -> str | None:
    """The folder of the column typed as its folder name or its title (case and spaces aside)."""
    if typed in columns:
        return typed
    wanted = "".join(typed.split()).lower()
    for folder, (title, _, _) in columns.items():
        if wanted in (folder.lower(), "".join((title or "").split()).lower()):
            return folder
    return None
