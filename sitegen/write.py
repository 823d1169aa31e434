"""Puts a finished build into the output folder: the new files are written into a new version
of the site (the version before last, made into the new one in place, recycle.py; or a new
folder, the unchanged files linked from the live version), and the whole goes live at once
(publish.py); identical files are left alone, and only files sitegen wrote ever removed.

What each version holds and was made from is its manifest (manifest.py)."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .errors import SiteError
from .messages import os_reason
from .manifest import MANIFEST, OTHERS, Entry, Known, Manifest, Published, read_manifest, read_others, unchanged, \
    write_manifest, write_others
from . import recycle
from .blockers import find_blockers, settled_blockers
from .listing import Listing, files_of
from .migrate import finish_migration, start_migration
from .publish import LIVE, UNPUBLISHED, fill, go_live, is_top_link, live_folder, new_version, tidy, top_blockers
from .urls import safe_relpath

OWN_PREFIX = ".sitegen-"  # names at the top of the output folder that are sitegen's bookkeeping


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


def find_collisions(files: list[OutputFile]) -> list[SiteError]:
    """Two outputs at one path (ignoring case, as Windows and macOS do) is an error naming both."""
    problems = []
    first: dict[str, OutputFile] = {}
    for file in files:
        key = file.relpath.lower()
        if key in first:
            problems.append(SiteError.of(Path(file.origin), None, "out.collision", relpath=file.relpath,
                                         other=first[key].origin))
        else:
            first[key] = file
    return problems


def check_output_folder(output: Path, read: bool = True, known: Known | None = None) -> Published:
    """Refuses a non-empty folder that sitegen did not create: it would mix with the site.
    Returns what its manifest says (read_manifest; `known`: manifests not to parse again);
    read=False: only refuses, without reading the manifest of a folder that is plainly
    sitegen's (it has a live version)."""
    try:
        return _check_output_folder(output, read, known)
    except OSError as exc:  # a folder on the way that sitegen may not read, say
        raise SiteError.of(Path(exc.filename) if exc.filename else output, None, "out.cannot_use",
                           reason=os_reason(exc)) from None


def _check_output_folder(output: Path, read: bool, known: Known | None) -> Published:
    _check_output_path(output)
    if not output.is_dir() or (not read and os.path.islink(output / LIVE)):
        return None, None
    published = read_manifest(output, known)
    # A first build that failed or was killed may have left its bookkeeping behind (cache, lock,
    # versions, top symlinks to a version not yet live), and nothing else.
    if published[0] is None and any(not p.name.startswith(OWN_PREFIX) and not is_top_link(output, p.name)
                                    for p in output.iterdir()):
        raise SiteError.of(output, None, "out.not_ours")
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
            raise SiteError.of(output, None, "out.is_file")
        raise SiteError.of(path, None, "out.parent_file", output=output)


@dataclass(frozen=True)
class Staged:
    """One output file of this build: kept as it was (temp None), or waiting in temp."""

    relpath: str
    entry: Entry
    temp: Path | None


class Staging:
    """A build's writes: each new file goes into a new version of the site, which no one serves
    yet (workers may do this in parallel), and only commit() completes that version (the live
    version's unchanged files, the manifest, the search index) and puts it live in one step
    (publish.py). abort() removes the new version: the site stays as it was."""

    def __init__(self, output: Path, files: list[str], published: Published | None = None,
                 language: str = "en", listings: tuple[Listing, ...] = (), settled: bool = False,
                 known: Known | None = None) -> None:
        """published: what check_output_folder() found, when the build has just asked it;
        language: the site's, for the one message everybody may meet (a full disk); listings:
        the versions as the last build of this process listed them (listing.py); settled: a
        watcher's build between whole checks, which looks for files in the way only in folders
        whose listing changed (_blockers); known: the manifests the last build of this process
        read and wrote (not parsed again)."""
        self.language = language
        self.listings = listings
        self.listed: list[str] | None = None  # every file of the live version, when listed here
        manifest, self.manifest_id = published if published is not None else check_output_folder(output, known=known)
        # After commit(): the live version's manifest and the new one's, by content hash.
        self.manifests: dict[str, Manifest] = dict(known or {})
        if manifest is not None and self.manifest_id is not None:
            self.manifests[self.manifest_id] = manifest
        self.previous = dict(manifest) if manifest else {}  # (manifest_id: of the one on disk; commit() writes another)
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SiteError.of(output, None, "out.cannot_create", reason=os_reason(exc)) from None
        self.root = output.resolve()
        live = live_folder(self.root)
        self.old_layout = live is None and bool(self.previous)  # an older sitegen's: the files at the top
        self.served = live or self.root  # where the live site's files really are
        self.live = live
        if live is not None:
            try:
                finish_migration(self.root, live)  # (a build killed while taking over an old layout)
            except OSError as exc:
                raise _write_error(self.root, exc, language=language) from None
        self.sizes: dict[str, int] = {}  # of the files already there, as find_blockers saw them
        self.tops = {relpath.split("/", 1)[0] for relpath in files} | {MANIFEST}
        blockers = self._blockers(files, settled)
        if not self.old_layout:
            blockers += top_blockers(self.root, self.tops)
        if blockers:
            raise blockers[0] if len(blockers) == 1 else SiteError.of(
                output, None, "out.blockers", count=len(blockers), paths=", ".join(b.location(output) for b in blockers[:5]),
                inner=blockers[0].key, **dict(blockers[0].values))
        self.new = new_version(self.root, make=False)  # (greater than any version live or left by a kill)
        try:  # the version before last becomes the new one, in place, when it can
            self.recycled = recycle.take(self.root, live, self.new, self.manifests) \
                if live is not None and not self.old_layout else None
        except OSError:
            self.recycled = None  # then a new version of links
        self.index_wanted = False  # after commit(): the live search index does not match the live pages
        self.indexed: object = None  # after commit(): what the indexer gave (IndexResult or SiteError)

    def _blockers(self, files: list[str], settled: bool) -> list[SiteError]:
        """What is in the way of the site's files (find_blockers); for a watcher's build between
        whole checks, only where the live version's listing changed (settled_blockers). The
        listing made here is the one commit() carries others' files by."""
        before = None
        if settled and self.live is not None and not self.old_layout:
            try:
                before = self._list_live()
            except OSError:  # (commit() says what cannot be read, if it still cannot)
                pass
        if before is None:
            return find_blockers(self.served, files, self.previous, self.sizes)
        return settled_blockers(self.served, files, self.previous, self.sizes, self.listings[0], before)

    def _list_live(self) -> Listing | None:
        """Lists the live version into self.listed (files_of: a folder unchanged since this
        process last listed it is not read again), and keeps its listing for the next builds:
        the live one's, and the one of the version being made now (listed when it was live; what
        changed since is read again). Returns the listing of that version it had before."""
        assert self.live is not None
        self.listed, listing = files_of(self.live, self.listings)
        before = next((old for old in self.listings if old.inode == listing.inode), None)
        self.listings = (listing, *(old for old in self.listings if old.inode != listing.inode))[:2]
        return before

    def unchanged(self, relpath: str, digest: str | None) -> Staged | None:
        """The file as the last build left it, if it was made from the same inputs."""
        entry = self.previous.get(relpath)
        if entry is None or digest is None or entry.digest != digest:
            return None
        size = self.sizes.get(relpath)
        if size == entry.size or (size is None and unchanged(self.served, self.previous, relpath, digest)):
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
        """Safe to call from worker processes: it only writes this file into the new version,
        which no one serves yet, so an aborted build leaves the site as it was."""
        relpath = safe_relpath(file.relpath)
        entry = Entry(file.digest, len(file.data) if file.data is not None else file.source.stat().st_size)  # type: ignore[union-attr]
        if _same(self.served / relpath, file, self.previous.get(file.relpath)):
            return Staged(file.relpath, entry, None)
        target = self.new / relpath
        try:
            if self.recycled is not None:
                recycle.make_room(self.new, relpath)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
            if file.data is not None:
                target.write_bytes(file.data)
            else:
                shutil.copyfile(file.source, target)  # type: ignore[arg-type]
        except OSError as exc:
            raise _write_error(self.root, exc, target, self.language) from None
        return Staged(file.relpath, entry, target)

    def abort(self) -> None:
        if os.path.lexists(self.new):
            shutil.rmtree(self.new, ignore_errors=True)

    def _drop(self) -> None:
        """A build that changed nothing: a recycled version goes back as it was."""
        if self.recycled is None:
            self.abort()
            return
        try:
            recycle.give_back(self.recycled, self.new)
        except OSError:
            self.abort()

    def commit(self, staged: list[Staged], search: bool = False, indexer: Callable[[Path], object] | None = None,
               on_live: Callable[[], None] | None = None, pruner: Callable[[Path], None] | None = None) -> WriteStats:
        """Completes the new version and puts it live; with nothing to change, it is dropped
        and the site left as it is. search: the site has a search index (kept from the live
        version unless pages changed); indexer(folder) makes it anew in the new version;
        pruner(folder) marks in a kept index what the new version no longer has; on_live() is
        called once it is live, before the tidying that follows."""
        from .search import INDEX_DIR, index_valid

        current: Manifest = {item.relpath: item.entry for item in staged}
        written = {item.relpath for item in staged if item.temp is not None}
        removed = [r for r in self.previous if r not in current and os.path.lexists(self.served / r)]
        pages_changed = any(r.endswith(".html") for r in (*written, *removed))
        self.index_wanted = search and (pages_changed or self.old_layout or not index_valid(self.served))
        reindex = self.index_wanted and indexer is not None
        if not (written or removed or reindex or current != self.previous or self.old_layout or self.live is None):
            self._drop()
            self._links_in_place()
            return WriteStats(0, len(staged), 0)
        keep_index = search and not reindex
        index = f"{INDEX_DIR}/"

        others: list[str] = []  # the files of others the new version holds

        def take(relpath: str) -> bool:
            if relpath in current:
                return relpath not in written
            if relpath.startswith(index):
                return keep_index
            if relpath in self.previous or relpath in (MANIFEST, OTHERS):
                return False
            others.append(relpath)
            return True

        try:
            self.new.mkdir(parents=True, exist_ok=True)
            (self.new / UNPUBLISHED).touch()
            if self.recycled is not None and self.live is not None:
                # The live version as listed when this build began (_blockers), or now: a file
                # someone puts into it meanwhile stays in it, and comes back with the version
                # made from it next (bring_up_to_date leaves what it does not know alone).
                if self.listed is None:
                    self._list_live()
                others = recycle.bring_up_to_date(self.new, self.live, self.recycled, self.previous,
                                                  read_others(self.live), current, written, self.listed)
                recycle.match_index(self.new, self.live, keep_index)
            elif self.live is not None or self.old_layout:
                fill(self.new, self.served, take, self._old_tops() if self.old_layout else None)
            manifest_id = write_manifest(self.new, current)
            write_others(self.new, others)
            if reindex:
                self.indexed = indexer(self.new)  # type: ignore[misc]
                if isinstance(self.indexed, SiteError):  # the previous index stays
                    fill(self.new, self.served, lambda relpath: relpath.startswith(index), [INDEX_DIR])
                else:
                    self.index_wanted = False
            if pruner is not None and (keep_index or self.index_wanted):  # (a kept index: search_removed.py)
                pruner(self.new)
            names = set(os.listdir(self.new)) - {UNPUBLISHED}
            if self.old_layout:
                start_migration(self.root, self._old_tops() | {MANIFEST})
            go_live(self.root, self.new, names)
        except OSError as exc:
            self.abort()
            raise _write_error(self.root, exc, language=self.language) from None
        self.manifests = {key: value for key, value in self.manifests.items() if key == self.manifest_id}
        self.manifests[manifest_id] = current
        self.manifest_id = manifest_id
        if on_live is not None:
            on_live()
        self._after_switch(names)
        if self.live is not None and not self.old_layout:
            recycle.distrust(self.live, self.previous, self.sizes, current)
        return WriteStats(len(written), len(staged) - len(written), len(removed))

    def _old_tops(self) -> set[str]:
        """The names at the top of an old-layout output folder that are sitegen's own (others'
        files beside them stay where they are)."""
        return {relpath.split("/", 1)[0] for relpath in self.previous} | {"pagefind"}

    def _after_switch(self, names: set[str]) -> None:
        """Once the new version is live: what is left is tidying, which a next build also does."""
        try:
            finish_migration(self.root, self.new)
            tidy(self.root, self.new, names)
        except OSError:
            pass  # the new site is live; the next build tidies up

    def _links_in_place(self) -> None:
        """A build that changed nothing still mends missing top symlinks (a kill between a switch
        and its tidying, or someone's rm)."""
        if self.live is None:
            return
        try:
            for name in os.listdir(self.live):
                if name != UNPUBLISHED and not os.path.lexists(self.root / name):
                    os.symlink(f"{LIVE}/{name}", self.root / name)
            tidy(self.root, self.live, set(os.listdir(self.live)))
        except OSError:
            pass


def _write_error(root: Path, exc: OSError, path: Path | None = None, language: str = "en") -> SiteError:
    """A failed write as one error: a full disk is the same line for every file (said once)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return SiteError.of(root, None, "out.disk_full")
    where = Path(exc.filename) if getattr(exc, "filename", None) else (path or root)
    return SiteError.of(where, None, "out.cannot_write", reason=os_reason(exc))


def _same(target: Path, file: OutputFile, entry: Entry | None) -> bool:
    """Whether target already holds exactly these bytes (so its mtime can stay)."""
    try:
        info = target.stat()
        if not stat.S_ISREG(info.st_mode):  # (a FIFO put there would never answer a read)
            return False
        if file.data is not None:
            return info.st_size == len(file.data) and target.read_bytes() == file.data
        assert file.source is not None
        source = file.source.stat()
        if info.st_size != source.st_size or not stat.S_ISREG(source.st_mode):
            return False
        if entry is not None and file.digest is not None and entry.digest == file.digest:
            return True  # same source size and modification time as last time
        return target.read_bytes() == file.source.read_bytes()
    except OSError:
        return False


def copy_digest(source: Path) -> str:
    """Identifies a copied file's version by size and modification time, without reading it."""
    stat = source.stat()
    return hashlib.blake2b(f"{stat.st_size}:{stat.st_mtime_ns}".encode(), digest_size=16).hexdigest()
