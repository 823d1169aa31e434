"""Finding a site's source files: walking its folders (hidden files and editors' droppings
skipped, symlinks that leave the site or loop refused, FIFOs, sockets and devices skipped
unopened), reading a file within the size limit, and telling a column's posts from the files
of its bundles. Nothing here is cached or parsed."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import SiteError
from .messages import os_reason

MARKDOWN_SUFFIXES = (".md", ".markdown")


def is_ignored(name: str) -> bool:
    """Hidden files and the droppings of editors and operating systems."""
    return (
        name.startswith((".", "~$"))
        or (name.startswith("#") and name.endswith("#"))  # Emacs autosave; '#2 纪要.pdf' is real
        or name.endswith(("~", ".swp", ".swx", ".tmp", ".bak"))
        or name.lower() in ("thumbs.db", "desktop.ini")
    )


def site_path(root: Path, path: Path) -> str:
    """A path as messages show it: relative to the site, like the location they start with.
    (Cache keys use it too, so that a site can move without losing its cache.)"""
    text, top = str(path), str(root)
    if text.startswith(top + os.sep):
        return text[len(top) + 1 :].replace(os.sep, "/")
    return text


def refused_symlink(path: Path, root: Path) -> SiteError | None:
    """The problem with a symlink that leads out of the site; None for any other path."""
    if not path.is_symlink():
        return None
    # os.path.realpath, not Path.resolve: on a symlink loop the latter raises RuntimeError.
    target = Path(os.path.realpath(path))
    if target == root or root in target.parents:
        return None
    return SiteError.of(path, None, "file.symlink_outside", target=target)


def special_kind(mode: int) -> str | None:
    """What a path of this mode is when it is neither a file nor a folder: something opening
    could wait on forever (a FIFO with no writer) or that acts when opened (a device). None
    for a regular file or a folder. (The kind is a word of the message catalogue.)"""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "word.fifo"
    if stat.S_ISSOCK(mode):
        return "word.socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "word.device"
    return "word.other"


def not_a_file(path: Path) -> SiteError | None:
    """The problem with a path that is neither a regular file nor a folder, found without
    opening it: a FIFO, socket or device is skipped with a warning; a symlink loop is an error.
    None for a file or folder, and for a path that is gone or cannot be looked at (reading it
    says why)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return symlink_loop(path) if exc.errno == errno.ELOOP else None
    kind = special_kind(mode)
    if kind is None:
        return None
    return SiteError.of(path, None, "file.special", "warning", kind=kind)


def symlink_loop(path: Path, folder: str | None = None) -> SiteError:
    """A symlink that never ends in a file (links leading to each other), or that leads to
    `folder`, which holds it: either would be followed for ever."""
    if folder:
        return SiteError.of(path, None, "file.loop_folder", folder=folder)
    return SiteError.of(path, None, "file.loop_self")


def unreadable_folder(path: Path, reason: OSError | str) -> SiteError:
    return SiteError.of(path, None, "file.unreadable_folder", reason=os_reason(reason))


def walk(folder: Path, root: Path) -> tuple[list[Path], list[SiteError]]:
    """Every file under folder, sorted (a folder's files, then its subfolders'), and the
    problems found on the way: symlinks refused for leaving the site or looping, folders that
    cannot be read, and FIFOs, sockets and devices, skipped with a warning (never opened:
    opening a FIFO waits for a writer). (os.scandir: a large column is walked on every build,
    and its entries say what they are without a call per file; only odd ones cost a stat.)"""
    found: list[Path] = []
    problems: list[SiteError] = []
    seen: set[str] = set()

    def visit(here: str) -> None:
        real = os.path.realpath(here)
        if real in seen:  # reached again through another symlink
            return
        seen.add(real)
        if not os.access(here, os.R_OK | os.X_OK):  # (listed but not entered: every file would fail alone)
            problems.append(unreadable_folder(Path(here), os.strerror(errno.EACCES)))
            return
        try:
            with os.scandir(here) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except (FileNotFoundError, NotADirectoryError):
            return  # gone since it was listed: the next build sees what is there
        except OSError as exc:
            problems.append(unreadable_folder(Path(here), exc))
            return
        folders = []
        for entry in entries:
            if is_ignored(entry.name):
                continue
            link = entry.is_symlink()
            if link and (problem := refused_symlink(Path(entry.path), root)) is not None:
                problems.append(problem)
                continue
            try:
                is_folder = entry.is_dir()  # (through a symlink: a stat that may fail)
                is_file = not is_folder and entry.is_file()
            except OSError:  # a symlink loop, say: not_a_file tells
                is_folder = is_file = False
            if is_folder and link and _holds(target := os.path.realpath(entry.path), real):
                problems.append(symlink_loop(Path(entry.path), site_path(root, Path(target))))
            elif is_folder:
                folders.append(entry.path)
            elif is_file:
                found.append(Path(entry.path))
            elif (problem := not_a_file(Path(entry.path))) is not None:
                problems.append(problem)
            else:
                found.append(Path(entry.path))  # gone, or a broken symlink: reading it says so
        for path in folders:
            visit(path)

    visit(str(folder))
    return found, problems


def _holds(folder: str, here: str) -> bool:
    """Whether folder is here or a folder above it (both real paths)."""
    return here == folder or here.startswith(folder.rstrip(os.sep) + os.sep)


def readable_files(folder: Path) -> tuple[list[Path], list[SiteError]]:
    """Every regular file under folder, sorted, found as Path.rglob finds them (hidden files
    included, symlinked folders not followed, so nothing loops), for a folder whose every file
    is read (a theme's). With the problems found: folders and files that cannot be read
    (errors), and FIFOs, sockets and devices (warnings: skipped, never opened)."""
    found: list[Path] = []
    problems: list[SiteError] = []
    stack = [str(folder)]
    while stack:
        here = stack.pop()
        try:
            with os.scandir(here) as listing:
                entries = list(listing)
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as exc:
            problems.append(unreadable_folder(Path(here), exc))
            continue
        for entry in entries:
            try:
                is_folder = entry.is_dir()
                is_file = not is_folder and entry.is_file()
            except OSError:
                is_folder = is_file = False
            if is_folder and not entry.is_symlink():
                stack.append(entry.path)
            elif is_file and not os.access(entry.path, os.R_OK):
                problems.append(SiteError.of(Path(entry.path), None, "file.unreadable", reason=os_reason(os.strerror(errno.EACCES))))
            elif is_file:
                found.append(Path(entry.path))
            elif not is_folder and (problem := not_a_file(Path(entry.path))) is not None:
                problems.append(problem)
    return sorted(found), problems


def read_file(path: Path, limit: int) -> bytes | SiteError:
    """A file's bytes, unless it is over the size limit, cannot be read, or is not a regular
    file. Looked at before it is opened, and opened without waiting, so that a FIFO or device
    where a file was expected is never read (and a FIFO never waits for a writer)."""
    try:
        kind = special_kind(os.stat(path).st_mode)
        if kind is None:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
            with open(fd, "rb") as handle:
                info = os.fstat(fd)
                kind = special_kind(info.st_mode)  # replaced since it was looked at
                if kind is None and info.st_size <= limit:
                    return handle.read()
        if kind is not None:
            return SiteError.of(path, None, "file.special_read", kind=kind)
        return SiteError.of(path, None, "file.too_big", size=_size(info.st_size), limit=_size(limit))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return symlink_loop(path)
        if exc.errno == errno.EISDIR:
            return SiteError.of(path, None, "file.is_folder")
        return unreadable_file(path, exc)


def unreadable_file(path: Path, exc: OSError) -> SiteError:
    """A file the system would not give: with what to do about it when that is its permissions."""
    denied = exc.errno in (errno.EACCES, errno.EPERM)
    return SiteError.of(path, None, "file.unreadable" if denied else "file.unreadable_plain", reason=os_reason(exc))


def _size(size: int) -> str:
    return f"{size / 1048576:.1f} MB" if size >= 1048576 else f"{size / 1024:.1f} KB"


def place_in_bundles(folder: Path, files: list[Path]) -> list[tuple[Path, Path | None]]:
    """Each of a column's files with the bundle it belongs to, or None. A bundle is a folder
    inside the column with an index.md (the post) beside its files; a file belongs to the
    nearest such folder above it (a file directly in the column belongs to none)."""
    bundles = {str(f.parent) for f in files if f.name == "index.md" and f.parent != folder}
    if not bundles:
        return [(path, None) for path in files]
    return [(path, _bundle_of(path, folder, bundles)) for path in files]


def _bundle_of(path: Path, folder: Path, bundles: set[str]) -> Path | None:
    # On strings: asked of every file of a column.
    top, here = str(folder), os.path.dirname(str(path))
    while len(here) > len(top):
        if here in bundles:
            return Path(here)
        here = os.path.dirname(here)
    return None


def is_post(path: Path, bundle: Path | None) -> bool:
    """A Markdown file that is a post: on its own in a column, or its bundle's index.md (the
    bundle's other Markdown files are copied as they are)."""
    return path.suffix.lower() in MARKDOWN_SUFFIXES and (bundle is None or path == bundle / "index.md")
