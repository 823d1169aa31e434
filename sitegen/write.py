"""Puts a finished build into the output folder: every file written to a temporary name and
renamed into place, identical files left alone, and only files sitegen wrote ever removed.

The manifest (output/.sitegen-manifest.json) lists what sitegen wrote, each file with the
digest of what it was made from and its size, so the next build can leave a page alone
without rendering it again."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from .cache import CACHE_DIR
from .errors import SiteError
from .urls import safe_relpath

MANIFEST = ".sitegen-manifest.json"
STAGING_DIR = f"{CACHE_DIR}/staging"  # new files wait here until the whole build has succeeded


@dataclass(frozen=True)
class OutputFile:
    relpath: str
    origin: str  # what made it (a source file or template), for collision messages
    data: bytes | None = None  # rendered bytes, or
    source: Path | None = None  # a file copied as it is, or neither: kept as the last build left it
    digest: str | None = None  # of what the file was made from (None: unknown, always compare bytes)


@dataclass(frozen=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int


@dataclass(frozen=True)
class Entry:
    digest: str | None
    size: int


Manifest = dict[str, Entry]


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


Published = tuple["Manifest | None", "str | None"]  # what read_manifest() found


def read_manifest(output: Path) -> Published:
    """What the last build wrote (None when sitegen did not write this folder; an unreadable
    manifest from an older sitegen still says which files are ours), and the manifest's content
    hash: what the store says about the output holds only for the manifest it names (anything
    that wrote the site since, such as a build without the store, wrote another)."""
    try:
        data = (output / MANIFEST).read_bytes()
        raw = json.loads(data.decode("utf-8"))
    except (OSError, ValueError):
        return None, None
    return _parse_manifest(raw), _content_id(data)


def _content_id(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _parse_manifest(raw: object) -> Manifest | None:
    if isinstance(raw, list):
        return {str(path): Entry(None, -1) for path in raw}
    if isinstance(raw, dict) and isinstance(raw.get("files"), dict):
        manifest: Manifest = {}
        for path, value in raw["files"].items():
            ok = isinstance(value, list) and len(value) == 2
            manifest[str(path)] = Entry(value[0], value[1]) if ok else Entry(None, -1)
        return manifest
    return None


def unchanged(output: Path, manifest: Manifest | None, relpath: str, digest: str | None) -> bool:
    """The last build wrote relpath from inputs with this digest, and the file is still there."""
    if digest is None or manifest is None:
        return False
    entry = manifest.get(relpath)
    if entry is None or entry.digest != digest:
        return False
    try:
        return os.stat(f"{output}/{relpath}").st_size == entry.size
    except OSError:
        return False


def check_output_folder(output: Path) -> Published:
    """Refuses a non-empty folder that sitegen did not create: it would mix with the site.
    Returns what its manifest says (read_manifest)."""
    try:
        return _check_output_folder(output)
    except OSError as exc:  # a folder on the way that sitegen may not read, say
        raise SiteError(Path(exc.filename) if exc.filename else output, None,
                        f"cannot use the output folder: {exc.strerror}", "choose another --output") from None


def _check_output_folder(output: Path) -> Published:
    _check_output_path(output)
    published = read_manifest(output) if output.is_dir() else (None, None)
    # A first build that failed may have left its cache behind, and nothing else.
    if output.is_dir() and published[0] is None and any(p.name != CACHE_DIR for p in output.iterdir()):
        raise SiteError(output, None, "refusing to build into a folder that is not empty and was not made by sitegen",
                        "choose an empty or new folder with --output, or empty this one first")
    return published


def _check_output_path(output: Path) -> None:
    """The output path is a folder or can become one: neither it nor a folder above it is a
    file (or anything else that is not a folder)."""
    for path in (output, *output.parents):
        try:
            found = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            continue  # made when the site is written, or under a file that the loop comes to
        if stat.S_ISDIR(found.st_mode):
            return
        if path == output:
            raise SiteError(output, None, "the output path is a file, not a folder", "choose another --output")
        raise SiteError(path, None, f"the output folder {output} cannot be made: this is a file, not a folder",
                        "choose another --output")


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
            problems.append(SiteError(Path(target), None, "a folder stands where the site needs a file",
                                      "move that folder out of the output folder"))
        elif relpath not in ours and ours and found is not None and (
                stat.S_ISREG(found.st_mode) or (stat.S_ISLNK(found.st_mode) and os.path.isfile(target))):
            # A file of the last build can only be in the way of itself.
            problems.append(SiteError(Path(target), None, "a file sitegen did not write stands where the site needs one",
                                      "move it out of the output folder; sitegen never overwrites files it did not write"))
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
                problems.append(SiteError(Path(folder), None, "a symlink in the output folder points outside it; refused",
                                          "replace it with a real folder"))
                continue
            if parent in ours:
                continue  # our own old file, replaced by a folder when written
            if not stat.S_ISDIR(found.st_mode) and not os.path.isdir(folder):  # (a symlink may lead to one)
                problems.append(SiteError(Path(folder), None, "a file stands where the site needs a folder",
                                          "move that file out of the output folder"))
    return problems


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except (OSError, ValueError):
        return None


@dataclass(frozen=True)
class Staged:
    """One output file of this build: kept as it was (temp None), or waiting in temp."""

    relpath: str
    entry: Entry
    temp: Path | None


class Staging:
    """A build's writes: each new file goes to a hidden temporary name beside its target
    (workers may do this in parallel), and only commit() renames them into place, removes
    stale files and updates the manifest. abort() deletes the temporary files: the site
    stays as it was."""

    def __init__(self, output: Path, files: list[str], published: Published | None = None) -> None:
        """published: what check_output_folder() found, when the build has just asked it."""
        manifest, self.manifest_id = published if published is not None else check_output_folder(output)
        self.previous = dict(manifest) if manifest else {}  # (manifest_id: of the one on disk; commit() writes another)
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SiteError(output, None, f"cannot create the output folder: {exc.strerror}") from None
        self.root = output.resolve()
        self.sizes: dict[str, int] = {}  # of the files already there, as find_blockers saw them
        blockers = find_blockers(self.root, files, self.previous, self.sizes)
        if blockers:
            raise blockers[0] if len(blockers) == 1 else SiteError(
                output, None, "; ".join(b.format() for b in blockers[:5]), "move those out of the output folder")

    def unchanged(self, relpath: str, digest: str | None) -> Staged | None:
        """The file as the last build left it, if it was made from the same inputs."""
        entry = self.previous.get(relpath)
        if entry is None or digest is None or entry.digest != digest:
            return None
        size = self.sizes.get(relpath)
        if size == entry.size or (size is None and unchanged(self.root, self.previous, relpath, digest)):
            return Staged(relpath, entry, None)
        return None

    def intact(self, relpath: str) -> bool:
        """Whether the last build wrote this file from inputs it could digest, and the file is
        still there as it left it."""
        entry = self.previous.get(relpath)
        return entry is not None and self.unchanged(relpath, entry.digest) is not None

    def unchanged_entry(self, relpath: str) -> Staged:
        """The file as the last build left it, once unchanged() has said so."""
        return Staged(relpath, self.previous[relpath], None)

    def stage(self, file: OutputFile) -> Staged:
        """Safe to call from worker processes: it only writes this file's own temporary name,
        in sitegen's private folder, so an aborted build leaves the site's folders untouched."""
        target = self.root / safe_relpath(file.relpath)
        entry = Entry(file.digest, len(file.data) if file.data is not None else file.source.stat().st_size)  # type: ignore[union-attr]
        if _same(target, file, self.previous.get(file.relpath)):
            return Staged(file.relpath, entry, None)
        temp = self.root / STAGING_DIR / (hashlib.blake2b(file.relpath.encode(), digest_size=16).hexdigest() + ".tmp")
        try:
            temp.parent.mkdir(parents=True, exist_ok=True)
            if file.data is not None:
                temp.write_bytes(file.data)
            else:
                shutil.copyfile(file.source, temp)  # type: ignore[arg-type]
        except OSError as exc:
            raise SiteError(target, None, f"cannot write the site: {exc.strerror}") from None
        return Staged(file.relpath, entry, temp)

    def abort(self) -> None:
        shutil.rmtree(self.root / STAGING_DIR, ignore_errors=True)

    def commit(self, staged: list[Staged]) -> WriteStats:
        """Renames every new file into place in the order given, then removes stale files."""
        written = 0
        current: Manifest = {}
        folders = _Folders(self.root, self.previous)
        base = f"{self.root}/"
        try:
            for item in staged:
                current[item.relpath] = item.entry
                if item.temp is not None:
                    target = base + item.relpath
                    folders.ready(os.path.dirname(target))
                    os.replace(item.temp, target)
                    written += 1
            removed = 0
            for relpath in sorted(set(self.previous) - set(current), reverse=True):
                try:
                    stale = self.root / safe_relpath(relpath)
                except ValueError:
                    continue
                if (stale.is_file() or stale.is_symlink()) and _inside(stale.parent.resolve(), self.root):
                    stale.unlink()
                    removed += 1
                    _prune_empty(stale.parent, self.root)
            if current != self.previous or not (self.root / MANIFEST).is_file():
                self.manifest_id = _write_manifest(self.root, current)
        except OSError as exc:
            raise SiteError(Path(exc.filename) if exc.filename else self.root, None,
                            f"cannot write the site: {exc.strerror}") from None
        finally:
            shutil.rmtree(self.root / STAGING_DIR, ignore_errors=True)
        return WriteStats(written, len(staged) - written, removed)


def _write_manifest(root: Path, manifest: Manifest) -> str:
    """Writes the manifest; returns its manifest_id."""
    files_json = {path: [entry.digest, entry.size] for path, entry in sorted(manifest.items())}
    # Compact: json's C encoder does not indent, and a large site's manifest is written on every build.
    data = json.dumps({"files": files_json}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    _atomic_write(root / MANIFEST, data)
    return _content_id(data)


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


class _Folders:
    """The output's folders as commit() writes into them: each is made if missing, and checked
    to be a folder inside the output (a symlink leading out is refused), once, with one lstat
    and its parent checked before it. A file of an earlier build standing where a folder now
    goes is removed (find_blockers has already refused files that are not ours)."""

    def __init__(self, root: Path, ours: Manifest) -> None:
        self.root = root
        self.ours = ours
        self.ready_ones = {str(root)}

    def ready(self, folder: str) -> None:
        if folder in self.ready_ones:
            return
        parent = os.path.dirname(folder)
        if parent == folder or not folder.startswith(f"{self.root}/"):
            raise SiteError(Path(folder), None, "refusing to write outside the output folder")
        self.ready(parent)
        try:
            found = os.lstat(folder)
        except FileNotFoundError:
            os.mkdir(folder)
        else:
            if stat.S_ISLNK(found.st_mode):
                if not (_inside(Path(folder).resolve(), self.root) and os.path.isdir(folder)):
                    raise SiteError(Path(folder), None, "refusing to write through a symlink that leaves the output folder")
            elif not stat.S_ISDIR(found.st_mode):
                if folder[len(str(self.root)) + 1:] not in self.ours:
                    raise SiteError(Path(folder), None, "a file stands where the site needs a folder",
                                    "move that file out of the output folder")
                os.unlink(folder)
                os.mkdir(folder)
        self.ready_ones.add(folder)


def _same(target: Path, file: OutputFile, entry: Entry | None) -> bool:
    """Whether target already holds exactly these bytes (so its mtime can stay)."""
    try:
        info = target.stat()
        if file.data is not None:
            return info.st_size == len(file.data) and target.read_bytes() == file.data
        assert file.source is not None
        if info.st_size != file.source.stat().st_size:
            return False
        if entry is not None and file.digest is not None and entry.digest == file.digest:
            return True  # same source size and modification time as last time
        return target.read_bytes() == file.source.read_bytes()
    except OSError:
        return False


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


def copy_digest(source: Path) -> str:
    """Identifies a copied file's version by size and modification time, without reading it."""
    stat = source.stat()
    return hashlib.blake2b(f"{stat.st_size}:{stat.st_mtime_ns}".encode(), digest_size=16).hexdigest()
