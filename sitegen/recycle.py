"""Makes the version that was live before the live one into the next version, in place.

A new version made from nothing is a hard link per file of the site and, once it is live, the
old version's files are unlinked one by one: at 10,000 posts that is some 13,000 folders made
and removed on every build that changes one page. The version before last differs from the
new site only by what the last two builds changed, so it is kept (publish.remove_old_versions)
and brought up to date: a file is replaced where its manifest entry differs, removed where the
new site lacks it, and the files of others are matched with the live version's.

While it is being changed it carries the unpublished mark and a number above the live one's,
so a build killed meanwhile leaves a version the next build removes (publish.recover), as it
removes any version never put live. Its files are never written through: a file is unlinked
before it is written, because it may be a hard link to the live version's."""

from __future__ import annotations

import errno
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from .listing import files_of
from .manifest import MANIFEST, Entry, Known, Manifest, read_version, write_manifest
from .publish import UNPUBLISHED, copy_entry, fill, previous_version
from .search import INDEX_DIR, INDEX_RECORD


@dataclass(frozen=True)
class Recycled:
    """The version before last, taken to become the next one: its name before, and what it holds
    (sitegen's files and others')."""

    name: Path
    files: Manifest
    others: tuple[str, ...]


def take(output: Path, live: Path, new: Path, known: Known | None = None) -> Recycled | None:
    """Claims the version before last as `new` (marked unpublished, then renamed); None when
    there is none or its manifest does not say all it holds. known: manifests by content hash
    (read_manifest)."""
    folder = previous_version(output, live)
    if folder is None:
        return None
    files, others = read_version(folder, known)
    if files is None or others is None or not _writable(folder, files):
        return None
    (folder / UNPUBLISHED).touch()  # first: killed before the rename, it is removed as unpublished
    os.rename(folder, new)
    return Recycled(folder, files, tuple(others))


def _writable(folder: Path, files: Manifest) -> bool:
    """Whether sitegen may change every folder of a version (someone may have made one read-only
    while it was live: a new version of links is made then, as for a first build)."""
    base = f"{folder}/"
    return all(os.access(base + name, os.W_OK) for name in {"", *(relpath.rpartition("/")[0] for relpath in files)})


def distrust(version: Path, files: Manifest, sizes: dict[str, int], current: Manifest) -> None:
    """The version that was live until now is the one the next build takes, by its manifest
    (`files`): a file someone removed or replaced in it while it was live (find_blockers saw
    another size, `sizes`) is marked there as not to be trusted, so that build links it from
    the live version instead of keeping it."""
    damaged = [relpath for relpath in current if (entry := files.get(relpath)) is not None
               and entry.digest is not None and sizes.get(relpath) != entry.size]
    if not damaged:
        return
    manifest = dict(files)
    for relpath in damaged:
        manifest[relpath] = Entry(None, -1)
    try:
        write_manifest(version, manifest)
    except OSError:  # then it is not taken at all (take() wants a manifest)
        try:
            (version / MANIFEST).unlink()
        except OSError:
            pass


def give_back(recycled: Recycled, new: Path) -> None:
    """A build that changed nothing: the version goes back as it was."""
    os.rename(new, recycled.name)
    (recycled.name / UNPUBLISHED).unlink(missing_ok=True)


def make_room(root: Path, relpath: str) -> None:
    """Before a file is written at relpath in a recycled version: its folders made (a file of
    the old site standing where one must be removed) and whatever stands at relpath removed.
    Safe in parallel workers: a racing worker's removal or folder is taken as done."""
    folder = root
    for part in relpath.split("/")[:-1]:
        folder = folder / part
        try:
            os.mkdir(folder)
            continue
        except FileExistsError:
            pass
        if not os.path.isdir(folder) or os.path.islink(folder):
            try:
                os.unlink(folder)
            except FileNotFoundError:
                pass
            try:
                os.mkdir(folder)
            except FileExistsError:
                pass
    _remove(root / relpath)


def _remove(path: Path, folders: bool = True) -> None:
    """folders=False: a folder standing there is left (files of the new site are in it)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(info.st_mode):
        if folders:
            shutil.rmtree(path)
        return
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def bring_up_to_date(new: Path, live: Path, recycled: Recycled, live_files: Manifest, live_others: list[str] | None,
                     current: Manifest, written: set[str], listed: list[str] | None = None) -> list[str]:
    """Makes the recycled version `new` hold exactly the new site: `current` (sitegen's files,
    those in `written` already written into it, the others as the live version has them) and
    the files of others the live version holds now (`listed`: every file of the live version, when
    the caller has listed them). Returns the latter. The search index is left to match_index()."""
    others = [relpath for relpath in (listed if listed is not None else files_of(live)[0]) if relpath not in live_files]
    wanted = set(current).union(others)
    held = set(recycled.files).union(recycled.others, live_others or ())
    for relpath in held - wanted:
        if _real_folders(new, relpath):  # (never through a symlink someone put in: it may lead out)
            _remove(new / relpath, folders=False)  # (a file of the old site may be a folder of the new one)
            _prune(new, relpath)
    for relpath, entry in current.items():
        if relpath in written:
            continue
        if entry.digest is not None and recycled.files.get(relpath) == entry:
            continue  # made from the same inputs: the same bytes
        _link_from(live, new, relpath)
    for relpath in others:
        if not _same_file(live / relpath, new / relpath):
            _link_from(live, new, relpath)
    return others


def match_index(new: Path, live: Path, keep: bool) -> None:
    """The recycled version's search index folder: the live one's (keep), or none, for a new
    index to be made or for a site without search."""
    if keep and _same_file(live / INDEX_DIR, new / INDEX_DIR, record=True):
        return
    _remove(new / INDEX_DIR)
    if keep:
        fill(new, live, lambda relpath: relpath.startswith(f"{INDEX_DIR}/"), [INDEX_DIR])


def _same_file(a: Path, b: Path, record: bool = False) -> bool:
    """Whether two paths are one file (one inode); record: two index folders, by the record file
    written last into each."""
    if record:
        a, b = a / INDEX_RECORD, b / INDEX_RECORD
    try:
        one, other = os.lstat(a), os.lstat(b)
    except OSError:
        return False
    return (one.st_ino, one.st_dev) == (other.st_ino, other.st_dev)


def _link_from(live: Path, new: Path, relpath: str) -> None:
    make_room(new, relpath)
    try:
        os.link(live / relpath, new / relpath, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EACCES):
            raise
        copy_entry(str(live / relpath), str(new / relpath))


def _real_folders(root: Path, relpath: str) -> bool:
    """Whether each folder on the way to relpath under root is a real folder, not a symlink."""
    folder = root
    for part in relpath.split("/")[:-1]:
        folder = folder / part
        try:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                return False
        except OSError:
            return False
    return True


def _prune(root: Path, relpath: str) -> None:
    """Removes the folders a removed file leaves empty, up to the version's own."""
    parts = relpath.split("/")[:-1]
    while parts:
        try:
            os.rmdir(root.joinpath(*parts))
        except OSError:
            return
        parts.pop()
