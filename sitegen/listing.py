"""A version's files, listed again cheaply by a watcher. Each build lists the live version to
find the files others put into it (they are carried into the next version): at 4,000 posts
that is some 5,000 folders opened and read, on the path between a save and its page going
live. A watcher keeps the listings of the two versions it alternates between (the live one and
the one before, which the next build makes into the next live one), each folder's status noted;
a later listing of the same version reads anew only the folders whose status changed. A folder's
mtime changes whenever an entry is added to, removed from or renamed in it, which is all a list
of names can miss. A folder changed shortly before it was listed is always read again: its next
change could fall within the same tick of the file system's clock ("racy", as git calls it)."""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from .manifest import MANIFEST, OTHERS
from .publish import UNPUBLISHED
from .search import INDEX_DIR
from .snapshot import COARSE_RACY_NS, RACY_NS
_SKIPPED_AT_TOP = frozenset((MANIFEST, OTHERS, UNPUBLISHED, INDEX_DIR))
_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


@dataclass(frozen=True)
class Folder:
    """One folder as it was listed: its inode and mtime (-1: read it again next time), and the
    names in it."""

    inode: int
    mtime: int
    files: tuple[str, ...]
    folders: tuple[str, ...]


@dataclass(frozen=True)
class Listing:
    """A version folder as it was listed, folder by folder ("" is the version's own, "a/b/" a
    folder in it). Known by the version folder's inode: the version before last is renamed when
    it is made into the next one."""

    inode: int
    folders: dict[str, Folder]


def files_of(version: Path, known: tuple[Listing, ...] = ()) -> tuple[list[str], Listing]:
    """Every file and symlink of a version, by path relative to it, but its search index and
    sitegen's marks; and the version's listing as of now. Folders unchanged since a listing
    among `known` of the same version are not read again."""
    found: list[str] = []
    folders: dict[str, Folder] = {}
    now = time.time_ns()
    fd = os.open(version, _FOLDER)
    try:
        inode = os.fstat(fd).st_ino
    finally:
        os.close(fd)
    before = next((listing for listing in known if listing.inode == inode), None)
    if before is not None:
        _again(f"{version}/", "", before.folders, folders, found, now)
    else:
        _walk(version, folders, found, now)
    return found, Listing(inode, folders)


def _again(base: str, prefix: str, known: dict[str, Folder], folders: dict[str, Folder], found: list[str],
           now: int) -> None:
    try:
        info = os.lstat(base + prefix)
    except FileNotFoundError:
        return  # gone since: nothing of others' to carry there
    if not stat.S_ISDIR(info.st_mode):  # (a file now, where its folder's listing said a folder)
        return
    folder = known.get(prefix)
    if folder is None or folder.inode != info.st_ino or folder.mtime != info.st_mtime_ns:
        fd = os.open(base + prefix, _FOLDER)  # (its folders on the way were just seen unchanged)
        try:
            folder = _read(fd, prefix, now)
        finally:
            os.close(fd)
    folders[prefix] = folder
    found.extend(prefix + name for name in folder.files)
    for name in folder.folders:
        _again(base, f"{prefix}{name}/", known, folders, found, now)


def _walk(version: Path, folders: dict[str, Folder], found: list[str], now: int) -> None:
    """Lists a version folder by descriptor, each folder opened from the one holding it (never
    through a symlink someone put in: it may lead out), noting each folder's status in `folders`."""
    def visit(fd: int, prefix: str) -> None:
        try:
            folder = _read(fd, prefix, now)
            folders[prefix] = folder
            found.extend(prefix + name for name in folder.files)
            for name in folder.folders:
                visit(os.open(name, _FOLDER, dir_fd=fd), f"{prefix}{name}/")
        finally:
            os.close(fd)

    visit(os.open(version, _FOLDER), "")


def _read(fd: int, prefix: str, now: int) -> Folder:
    """One folder's entries, by its descriptor."""
    info = os.fstat(fd)
    with os.scandir(fd) as listing:
        entries = [(entry.name, entry.is_dir(follow_symlinks=False)) for entry in listing]
    skipped = _SKIPPED_AT_TOP if not prefix else frozenset()
    # As snapshot.Scan trusts a file's status: a time with no fraction of a second may come
    # from a file system that keeps whole seconds.
    window = COARSE_RACY_NS if info.st_mtime_ns % 1_000_000_000 == 0 else RACY_NS
    return Folder(info.st_ino, info.st_mtime_ns if info.st_mtime_ns < now - window else -1,
                  tuple(name for name, is_dir in entries if not is_dir and name not in skipped),
                  tuple(name for name, is_dir in entries if is_dir and name not in skipped))


def unsettled(relpaths: list[str], listing: Listing, before: Listing) -> list[str]:
    """The paths among `relpaths` whose folder was read anew in `listing` since `before`, a
    listing of the same version, or is not in it: only there can a name have been added,
    removed or replaced since `before` was listed. (A folder on the way replaced by another
    folder, a file or a symlink is not the same folder either: read anew, or not listed.)"""
    moved: dict[str, bool] = {}  # by folder prefix

    def read_anew(prefix: str) -> bool:
        verdict = moved.get(prefix)
        if verdict is None:
            folder = listing.folders.get(prefix)
            verdict = moved[prefix] = folder is None or folder is not before.folders.get(prefix)
        return verdict

    return [relpath for relpath in relpaths if read_anew(relpath[:relpath.rfind("/") + 1])]
