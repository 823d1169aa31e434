"""Files in the way of the folders a site needs (or folders where a file must go) in the live
version, found before anything is written, so a blocked build changes nothing; a watcher's
build between whole checks looks only where the live version's listing changed."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import SiteError
from .listing import Listing, unsettled
from .manifest import Manifest


def find_blockers(root: Path, relpaths: list[str], ours: Manifest, sizes: dict[str, int] | None = None) -> list[SiteError]:
    """Files in the way of folders the site needs (or folders where a file must go), found
    before anything is written, so a blocked build changes nothing. (Plain os calls on
    strings: this looks at every output path of a large site on every build.) The size of
    each regular file found goes into `sizes`, so that no one need look at it again."""
    problems = []
    checked: set[str] = set()
    base = f"{root}/"
    for relpath in relpaths:
        target = base + relpath
        found = _lstat(target)
        if sizes is not None and found is not None and stat.S_ISREG(found.st_mode):
            sizes[relpath] = found.st_size
        if found is not None and stat.S_ISDIR(found.st_mode):
            problems.append(SiteError.of(Path(target), None, "out.folder_for_file"))
        elif relpath not in ours and ours and found is not None and (
                stat.S_ISREG(found.st_mode) or (stat.S_ISLNK(found.st_mode) and os.path.isfile(target))):
            # A file of the last build can only be in the way of itself.
            problems.append(SiteError.of(Path(target), None, "out.foreign_file"))
        parts = relpath.split("/")
        for depth in range(len(parts) - 1, 0, -1):  # its folders, deepest first
            parent = "/".join(parts[:depth])
            if parent in checked:
                break  # and so were the folders above it
            checked.add(parent)
            folder = base + parent
            found = _lstat(folder)
            if found is None:
                continue
            if stat.S_ISLNK(found.st_mode) and not _inside(Path(folder).resolve(), root):
                problems.append(SiteError.of(Path(folder), None, "out.symlink_outside"))
                continue
            if parent in ours:
                continue  # our own old file, replaced by a folder when written
            if not stat.S_ISDIR(found.st_mode) and not os.path.isdir(folder):  # (a symlink may lead to one)
                problems.append(SiteError.of(Path(folder), None, "out.file_for_folder"))
    return problems


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except (OSError, ValueError):
        return None


def settled_blockers(root: Path, relpaths: list[str], ours: Manifest, sizes: dict[str, int], listing: Listing,
                     before: Listing) -> list[SiteError]:
    """find_blockers for a watcher's build between whole checks: only the paths in folders read
    anew in `listing` since `before` (the live version as the last build listed it: a name
    added, removed or replaced changes its folder) and the paths new to the site. Elsewhere the
    files are as the last build left them, which it checked, and their sizes its manifest's (a
    file written over in place is seen by the next whole check, as find_blockers sees only a
    change of size)."""
    moved = set(unsettled(relpaths, listing, before))
    look = [relpath for relpath in relpaths if relpath in moved or relpath not in ours]
    sizes.update((relpath, entry.size) for relpath, entry in ours.items() if relpath not in moved)
    return find_blockers(root, look, ours, sizes)


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents
