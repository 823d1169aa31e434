"""Puts a finished build into the output folder: every file written to a temporary name and
renamed into place, identical files left alone, and only files sitegen wrote ever removed."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .errors import SiteError
from .urls import safe_relpath

MANIFEST = ".sitegen-manifest.json"


@dataclass(frozen=True)
class OutputFile:
    relpath: str
    origin: str  # what made it (a source file or template), for collision messages
    data: bytes | None = None  # rendered bytes, or
    source: Path | None = None  # a file copied as it is


@dataclass(frozen=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int


def find_collisions(files: list[OutputFile]) -> list[SiteError]:
    """Two outputs at one path (ignoring case, as Windows and macOS do) is an error naming both."""
    problems = []
    first: dict[str, OutputFile] = {}
    for file in files:
        key = file.relpath.lower()
        if key in first:
            problems.append(SiteError(Path(file.origin), None,
                                      f"writes {file.relpath}, which {first[key].origin} writes too",
                                      "rename one of them (names that differ only in upper/lower case collide)"))
        else:
            first[key] = file
    return problems


def read_manifest(output: Path) -> set[str] | None:
    try:
        return set(json.loads((output / MANIFEST).read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def check_output_folder(output: Path) -> None:
    """Refuses a non-empty folder that sitegen did not create: it would mix with the site."""
    if output.exists() and not output.is_dir():
        raise SiteError(output, None, "the output path is a file, not a folder", "choose another --output")
    if output.is_dir() and any(output.iterdir()) and read_manifest(output) is None:
        raise SiteError(output, None, "refusing to build into a folder that is not empty and was not made by sitegen",
                        "choose an empty or new folder with --output, or empty this one first")


def write_site(output: Path, files: list[OutputFile]) -> WriteStats:
    check_output_folder(output)
    previous = read_manifest(output) or set()
    output.mkdir(parents=True, exist_ok=True)
    root = output.resolve()
    written = unchanged = 0
    for file in files:
        target = root / safe_relpath(file.relpath)
        if _same(target, file):
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if root not in target.parent.resolve().parents and target.parent.resolve() != root:
            raise SiteError(target, None, "refusing to write through a symlink that leaves the output folder")
        _replace(target, file)
        written += 1
    current = {file.relpath for file in files}
    removed = 0
    for relpath in sorted(previous - current, reverse=True):
        try:
            stale = root / safe_relpath(relpath)
        except ValueError:
            continue
        if stale.is_file() or stale.is_symlink():
            stale.unlink()
            removed += 1
            _prune_empty(stale.parent, root)
    _atomic_write(root / MANIFEST, json.dumps(sorted(current), ensure_ascii=False, indent=0).encode("utf-8"))
    return WriteStats(written, unchanged, removed)


def _same(target: Path, file: OutputFile) -> bool:
    try:
        if file.data is not None:
            return target.stat().st_size == len(file.data) and target.read_bytes() == file.data
        assert file.source is not None
        mine, theirs = target.stat(), file.source.stat()
        if mine.st_size != theirs.st_size:
            return False
        return target.read_bytes() == file.source.read_bytes()
    except OSError:
        return False


def _replace(target: Path, file: OutputFile) -> None:
    if target.is_dir() and not target.is_symlink():
        raise SiteError(target, None, "a folder stands where this file must be written",
                        "move the folder out of the output folder")
    if file.data is not None:
        _atomic_write(target, file.data)
    else:
        assert file.source is not None
        temp = target.with_name(f".{target.name}.sitegen-tmp")
        shutil.copyfile(file.source, temp)
        os.replace(temp, target)


def _atomic_write(target: Path, data: bytes) -> None:
    temp = target.with_name(f".{target.name}.sitegen-tmp")
    with open(temp, "wb") as handle:
        handle.write(data)
    os.replace(temp, target)


def _prune_empty(folder: Path, root: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
