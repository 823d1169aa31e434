"""Finding a site's source files: walking its folders (hidden files and editors' droppings
skipped, symlinks that leave the site refused), reading a file within the size limit, and
telling a column's posts from the files of its bundles. Nothing here is cached or parsed."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import SiteError

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
    target = path.resolve()
    if target == root or root in target.parents:
        return None
    return SiteError(path, None, f"symlink points outside the site (to {target}); refused",
                     "copy the file into the site instead of linking to it")


def walk(folder: Path, root: Path) -> tuple[list[Path], list[SiteError]]:
    """Every file under folder, sorted (a folder's files, then its subfolders'), and the
    symlinks refused for leaving the site. (os.scandir: a large column is walked on every
    build, and its entries say what they are without a call per file.)"""
    found: list[Path] = []
    refused: list[SiteError] = []
    seen: set[str] = set()

    def visit(here: str) -> None:
        real = os.path.realpath(here)
        if real in seen:  # a symlink loop
            return
        seen.add(real)
        try:
            with os.scandir(here) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            return
        folders = []
        for entry in entries:
            if is_ignored(entry.name):
                continue
            if entry.is_symlink() and (problem := refused_symlink(Path(entry.path), root)) is not None:
                refused.append(problem)
                continue
            try:
                is_folder = entry.is_dir()  # (through a symlink: a stat that may fail)
            except OSError:
                is_folder = False
            if is_folder:
                folders.append(entry.path)
            else:
                found.append(Path(entry.path))
        for path in folders:
            visit(path)

    visit(str(folder))
    return found, refused


def read_file(path: Path, limit: int) -> bytes | SiteError:
    """A file's bytes, unless it is over the size limit or cannot be read."""
    try:
        size = path.stat().st_size
        if size > limit:
            return SiteError(path, None, f"the file is {_size(size)}, over the {_size(limit)} limit",
                             "split it, move large media into attachments, or raise max_file_size_mb in site.toml")
        return path.read_bytes()
    except OSError as exc:
        return SiteError(path, None, f"cannot read the file: {exc.strerror}")


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
