"""Takes over an output folder laid out by a sitegen before versions (the site's files at the
top of the folder): the first build of this sitegen puts a version live (publish.py), then
turns each top name of the old site into the symlink through the live version."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable

from .publish import UNPUBLISHED, VERSIONS, top_link


def migrate(output: Path, names: Iterable[str], ours: set[str]) -> None:
    """After the first switch of a folder laid out by an older sitegen: each name at the top
    that is still a real file or folder of ours becomes the symlink of the live site's name, or
    goes when the site no longer has it. A file is replaced in one rename; a folder is moved
    aside first, so it is missing for a moment (what others had put into it is in the live
    version already)."""
    aside = output / VERSIONS / "0"
    names = set(names)
    for name in sorted(ours):
        path = output / name
        if os.path.islink(path) or not os.path.lexists(path):
            continue
        temp = output / f".{name}.sitegen-link"
        if name in names:
            temp.unlink(missing_ok=True)
            os.symlink(top_link(name), temp)
        if path.is_dir() or name not in names:
            aside.mkdir(parents=True, exist_ok=True)
            (aside / UNPUBLISHED).touch()
            os.rename(path, aside / name)
        if name in names:
            os.replace(temp, path)


MIGRATING = ".sitegen-migrating.json"  # the names migrate() has to turn, until it has


def start_migration(output: Path, ours: set[str]) -> None:
    """Before the first switch of an old-layout folder: which names at the top are sitegen's,
    so that a build killed before migrate() ends can finish it (finish_migration)."""
    (output / MIGRATING).write_text(json.dumps(sorted(ours)), "utf-8")


def finish_migration(output: Path, live: Path) -> None:
    """migrate(), if a switch from the old layout has not finished it yet."""
    try:
        ours = set(json.loads((output / MIGRATING).read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return
    migrate(output, set(os.listdir(live)) - {UNPUBLISHED}, ours)
    (output / MIGRATING).unlink()
