"""Puts a complete new version of the site live in one step, so that a web server serving the
output folder sees, at every instant, the whole old site or the whole new one, even if the
build is killed at any moment.

The output folder holds the versions under .sitegen-versions/<n>/ and .sitegen-live, a symlink
naming the live one. Each name at the top of the site (index.html, news/, static/ ...) is a
symlink through it (output/news -> .sitegen-live/news): replacing .sitegen-live, one
rename(2), switches every page at once. A new version is the files this build wrote plus hard
links to the live version's unchanged files and to files others put into the site's folders:
a link per file, not a copy, and unchanged files keep their inode and modification time.

What a killed build leaves (a half-made version, a version no longer live) is never live, and
the next build removes it; a file someone put into an old version is moved into the live one
first, so sitegen never deletes a file it did not write."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import stat
from pathlib import Path
from typing import Callable, Iterable

from .cache import CACHE_DIR
from .durable import sync_file_system, sync_folder
from .errors import SiteError

VERSIONS = ".sitegen-versions"
LIVE = ".sitegen-live"
UNPUBLISHED = ".sitegen-unpublished"  # in a version until it goes live: one never live holds only sitegen's files
_NAME = re.compile(r"[0-9]{1,12}")


def live_folder(output: Path) -> Path | None:
    """The live version's folder; None when there is none yet, or when the folder has the
    layout of sitegen before versions (the site's files at the top of the output folder)."""
    try:
        target = os.readlink(output / LIVE)
    except OSError:
        return None
    head, _, name = target.partition("/")
    folder = output / VERSIONS / name
    if head != VERSIONS or not _NAME.fullmatch(name) or not folder.is_dir() or folder.is_symlink():
        return None
    return folder


def top_link(name: str) -> str:
    """What the symlink at the top of the output folder for a name of the site points to."""
    return f"{LIVE}/{name}"


def is_top_link(output: Path, name: str) -> bool:
    try:
        return os.readlink(output / name) == top_link(name)
    except OSError:
        return False


def links_whole(output: Path, live: Path) -> bool:
    """Whether each name of the live version has its symlink at the top of the output folder."""
    try:
        return all(is_top_link(output, name) for name in os.listdir(live))
    except OSError:
        return False


def new_version(output: Path, make: bool = True) -> Path:
    """A new version folder, marked unpublished; make=False: only its name, the folder to be made
    by the first file written into it (a build that writes nothing touches nothing)."""
    folder = output / VERSIONS
    try:
        numbers = [int(name) for name in os.listdir(folder) if _NAME.fullmatch(name)]
    except FileNotFoundError:
        numbers = []
    path = folder / str(max(numbers, default=0) + 1)
    if make:
        path.mkdir(parents=True)
        (path / UNPUBLISHED).touch()
    return path


def fill(new: Path, live: Path, take: Callable[[str], bool], tops: Iterable[str] | None = None) -> None:
    """Hard-links into `new` every file of `live` that take(relpath) accepts and `new` does not
    hold yet (copies where the file system has no hard links). Symlinks are linked as they are,
    never followed. `tops`: only these names at the top of `live` (the old layout, where live is
    the output folder itself, holding sitegen's own folders and others' files side by side).
    (Folders are opened once and named relative to their descriptors: this links every file of
    a large site on every build that changes one.)"""
    os.makedirs(new, exist_ok=True)
    source, target = _open_folder(str(live)), _Folder(None, str(new))
    try:
        _fill(source, target, "", take, set(tops) if tops is not None else None)
    finally:
        os.close(source)
        target.close()


class _Folder:
    """A folder of the new version, made and opened when the first file goes into it."""

    def __init__(self, parent: _Folder | None, name: str) -> None:
        self.parent, self.name, self.fd = parent, name, -1

    def open(self) -> int:
        if self.fd < 0:
            where = self.parent.open() if self.parent is not None else None
            try:
                os.mkdir(self.name, dir_fd=where)
            except FileExistsError:
                pass
            self.fd = _open_folder(self.name, where)
        return self.fd

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def _open_folder(name: str, parent: int | None = None) -> int:
    return os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=parent)


def _fill(source: int, target: _Folder, prefix: str, take: Callable[[str], bool], names: set[str] | None) -> None:
    with os.scandir(source) as listing:
        entries = [e for e in listing if names is None or e.name in names]
    for entry in entries:
        if not prefix and entry.name == UNPUBLISHED:
            continue
        relpath = prefix + entry.name
        if entry.is_dir(follow_symlinks=False):
            inner, folder = _open_folder(entry.name, source), _Folder(target, entry.name)
            try:
                _fill(inner, folder, relpath + "/", take, None)
            finally:
                os.close(inner)
                folder.close()
        elif take(relpath):
            _link(entry.name, source, target.open())


def _link(name: str, source: int, target: int) -> None:
    try:
        os.link(name, name, src_dir_fd=source, dst_dir_fd=target, follow_symlinks=False)
    except FileExistsError:
        pass  # written by this build
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EACCES):
            raise
        copy_entry(f"/proc/self/fd/{source}/{name}", f"/proc/self/fd/{target}/{name}")


def copy_entry(source: str, target: str) -> None:
    """Where there are no hard links (some network shares): a copy, a symlink as a symlink."""
    if os.path.islink(source):
        os.symlink(os.readlink(source), target)
    else:
        shutil.copy2(source, target)


def go_live(output: Path, new: Path, names: Iterable[str]) -> None:
    """Makes `new` the live version: first a top symlink for each of its names that has none
    (dangling until the switch, so nothing changes for visitors), then the switch itself."""
    for name in names:
        path = output / name
        if not os.path.lexists(path):
            os.symlink(top_link(name), path)
    (new / UNPUBLISHED).unlink(missing_ok=True)
    # Made among the versions, where no one serves it: a build killed before the switch leaves
    # nothing new at the top of the site. (Its target names the version from the top.)
    temp = output / VERSIONS / f".{LIVE}.{new.name}.tmp"
    temp.unlink(missing_ok=True)
    os.symlink(f"{VERSIONS}/{new.name}", temp)
    # On the disk before the switch: after a power cut, a switch that was kept must find whole
    # files (the file system may keep a rename and lose data written just before it). One call
    # for the whole file system: a first build writes every file, fsync'ing each would be slow.
    sync_file_system(output)
    os.replace(temp, output / LIVE)
    sync_folder(output)  # and the switch itself


def tidy(output: Path, live: Path, keep_names: set[str]) -> None:
    """After a switch: top symlinks of names the live site no longer has are removed, and every
    version but the live one (each file someone else put into it moved into the live one first)."""
    with os.scandir(output) as listing:
        stale = [e.name for e in listing if e.name not in keep_names and not e.name.startswith(".sitegen-")
                 and is_top_link(output, e.name)]
    for name in stale:
        (output / name).unlink(missing_ok=True)
    remove_old_versions(output, live)


def previous_version(output: Path, live: Path) -> Path | None:
    """The version that was live before the live one (the greatest number below it that was
    put live), kept to be made into the next version (recycle.py)."""
    try:
        names = [int(name) for name in os.listdir(output / VERSIONS) if _NAME.fullmatch(name)]
    except OSError:
        return None
    older = [number for number in names if number < int(live.name)]
    if not older:
        return None
    folder = output / VERSIONS / str(max(older))
    return None if os.path.lexists(folder / UNPUBLISHED) or folder.is_symlink() else folder


def remove_old_versions(output: Path, live: Path | None) -> None:
    """Removes every version folder but the live one and the one live before it: what a killed
    build left, and older versions. A version that was never live holds only sitegen's files."""
    folder = output / VERSIONS
    try:
        names = os.listdir(folder)
    except OSError:
        return
    previous = previous_version(output, live) if live is not None else None
    for name in names:
        path = folder / name
        if live is not None and name == live.name or previous is not None and name == previous.name:
            continue
        if path.is_symlink():  # a switch a killed build did not make
            path.unlink(missing_ok=True)
            continue
        if live is None or not _NAME.fullmatch(name) or int(name) > int(live.name) or (path / UNPUBLISHED).exists():
            shutil.rmtree(path, ignore_errors=True)
        else:
            _remove_keeping_others(path, live)


def _remove_keeping_others(old: Path, live: Path) -> None:
    """Removes a version that was live. A file in it that no other version shares (one link)
    and that the live version lacks is a page the site no longer has, or a file someone put in
    while it was live: its manifest says which, and the latter is moved over first."""
    from .manifest import MANIFEST, OTHERS

    ours: list[set[str] | None] = []  # the old manifest's files, read the first time it matters

    def keep(relpath: str) -> bool:
        if relpath.startswith("pagefind/") or relpath in (MANIFEST, OTHERS, UNPUBLISHED) or os.path.lexists(live / relpath):
            return False
        if not ours:
            try:
                ours.append(set(json.loads((old / MANIFEST).read_bytes())["files"]))
            except (OSError, ValueError, KeyError, TypeError):
                ours.append(None)  # cannot tell: keep every such file
        return ours[0] is None or relpath not in ours[0]

    _remove(str(old), "", live, keep)
    (old / MANIFEST).unlink(missing_ok=True)  # last: keep() may need it
    try:
        old.rmdir()
    except OSError:
        pass


def _remove(folder: str, prefix: str, live: Path, keep: Callable[[str], bool]) -> None:
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        return
    for entry in entries:
        relpath = prefix + entry.name
        if relpath == ".sitegen-manifest.json":
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                _remove(entry.path, relpath + "/", live, keep)
                os.rmdir(entry.path)
                continue
            if entry.stat(follow_symlinks=False).st_nlink == 1 and keep(relpath):
                os.makedirs(live / relpath.rpartition("/")[0], exist_ok=True)
                copy_entry(entry.path, str(live / relpath)) if os.path.islink(entry.path) else \
                    os.link(entry.path, live / relpath, follow_symlinks=False)
            os.unlink(entry.path)
        except OSError:
            continue  # keep the old version rather than lose a file


def republish(output: Path, replace: dict[str, Path]) -> None:
    """Puts live a new version that is the live one with some top folders replaced by the given
    ones (which are moved): a watcher's new search index. The caller holds the lock. Like a
    build, it makes the version before last into the new one where it can (recycle.py)."""
    from . import recycle
    from .manifest import MANIFEST, OTHERS, read_others, read_version, write_manifest, write_others

    live = live_folder(output)
    if live is None:
        raise FileNotFoundError(errno.ENOENT, "the site has no live version", str(output / LIVE))
    remove_old_versions(output, live)
    new = new_version(output, make=False)
    files, _ = read_version(live)
    try:
        recycled = recycle.take(output, live, new) if files is not None else None
    except OSError:
        recycled = None
    prefixes = tuple(f"{name}/" for name in replace)
    others: list[str] = []  # (the new version lists the others' files it holds now)

    def take(relpath: str) -> bool:
        if relpath.startswith(prefixes) or relpath == OTHERS:
            return False
        if files is not None and relpath not in files and relpath not in (MANIFEST, UNPUBLISHED):
            others.append(relpath)
        return True

    try:
        if recycled is not None and files is not None:
            others = recycle.bring_up_to_date(new, live, recycled, files, read_others(live), files, set())
            write_manifest(new, files)  # (the same bytes as the live one's: the store's record still holds)
        else:
            new.mkdir(parents=True)
            (new / UNPUBLISHED).touch()
            fill(new, live, take)
        write_others(new, others)
        for name, folder in replace.items():
            shutil.rmtree(new / name, ignore_errors=True)  # (a recycled version's own)
            os.rename(folder, new / name)
        names = set(os.listdir(new)) - {UNPUBLISHED}
        go_live(output, new, names)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    tidy(output, new, names)


def recover(output: Path, remove_empty: bool = False) -> None:
    """Clears what a killed or stopped build left (the caller holds the lock): versions never
    put live, versions no longer live, the top symlinks of a first build that never went live,
    index folders of processes that are gone. remove_empty:
    then the output folder too, if nothing else is in it (a first build that failed)."""
    live = live_folder(output)
    remove_old_versions(output, live)
    try:
        if live is None:
            _remove_first_top_links(output)
        for link in output.glob(f"{LIVE}.*.tmp"):  # a switch an older sitegen, killed, did not make
            if link.is_symlink():
                link.unlink()
        for folder in (output / CACHE_DIR).glob("pagefind-*"):
            pid = folder.name.split("-")[1]
            if not pid.isdigit() or not _alive(int(pid)):
                shutil.rmtree(folder, ignore_errors=True)
    except OSError:
        pass
    if remove_empty:
        for folder in (output / VERSIONS, output):
            try:
                folder.rmdir()
            except OSError:
                pass


def _remove_first_top_links(output: Path) -> None:
    """The top symlinks of a first build killed before its switch: they lead nowhere (there is
    no live version), and the next build would take them for files in the way of its folders."""
    with os.scandir(output) as listing:
        names = [entry.name for entry in listing if entry.is_symlink()]
    for name in names:
        if is_top_link(output, name) and not os.path.exists(output / name):
            (output / name).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def top_blockers(root: Path, tops: set[str]) -> list[SiteError]:
    """Something not sitegen's at a name the site needs at the top of the output folder."""
    problems = []
    for name in sorted(tops):
        found = kind(root / name)
        if found is None or is_top_link(root, name):
            continue
        what = {"folder": "word.a_folder", "file": "word.a_file", "link": "word.a_symlink"}[found]
        problems.append(SiteError.of(root / name, None, "out.foreign_top", what=what))
    return problems


def kind(path: Path) -> str | None:
    """'file', 'folder', 'link' (not sitegen's) or None, for what stands at a top name."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return "link"
    return "folder" if stat.S_ISDIR(info.st_mode) else "file"
