"""The search index in shards: the records split by a stable hash of their URL into N indexes
of Pagefind's, each made by its own short-lived Pagefind process (search.py puts them together).

Why: Pagefind cannot change an index in place, and writing a whole index again costs about as
much as making it (13 s at 10,000 posts, bench/RESULTS.md), while its process holds about
1.25 GB. A shard of about SHARD_RECORDS records costs a fraction of that, so an edit, a delete or
a rename makes only the shard its record is in, from the records (no process is kept between
saves), and a cold build makes the shards two at a time, its memory bounded by two shards'.

Layout, inside the index folder (pagefind/): shard 0 is the folder itself (a site of up to
half SHARD_RECORDS records has just that one, as before shards), shard i > 0 is the subfolder i/;
SHARDS_FILE lists them for the search page (templates/static/search_index.js), which searches
each as an instance of shard 0's copy of Pagefind's script (createInstance) and merges the
results. What every shard would load alike comes from shard 0 only: a shard i > 0 keeps no
script, worker or WebAssembly of its own (SHARED), and its entry file names shard 0's
WebAssembly (_share_wasm), so a visitor loads them once, not once per shard.

PAGES_FILE names the page (fragment) Pagefind made of each record, by shard; search_removed.py
uses it to take a post out of the search page's results the moment the version without it goes
live, before its shard is made again."""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .pagefind_service import PagefindService, service_command
from .search_records import Entry, each_payload

SHARDS_FILE = "shards.json"
PAGES_FILE = ".sitegen-pages.json"  # {shard prefix: {url: Pagefind's page id}}, beside the index record
LAYOUT = "shared-scripts-1"  # in every shard's key: a shard made by an earlier layout is made again
# Pagefind's files that are the same in every index of one version (scripts, worker, UI,
# WebAssembly): only shard 0 keeps them.
SHARED = ("pagefind.js", "pagefind-worker.js", "pagefind-highlight.js", "pagefind-ui.", "pagefind-modular-ui.",
          "pagefind-component-ui.", "wasm.")
SHARD_RECORDS = int(os.environ.get("SITEGEN_SEARCH_SHARD", "1000"))  # (bench/ tries other sizes)
WORKERS = 2  # shards made at once: both cores of a small server, the memory of two shards


@dataclass(frozen=True)
class Shard:
    number: int
    key: str  # names its records, the language, the number of shards and Pagefind's version
    entries: tuple[Entry, ...]

    @property
    def prefix(self) -> str:
        """Where its files are, inside the index folder."""
        return f"{self.number}/" if self.number else ""


def shard_count(records: int, before: int | None) -> int:
    """How many shards `records` records go into: one per SHARD_RECORDS, and WORKERS at least
    once they fill half of one (a cold build's Pagefind then works on both cores: 2.9 s
    against 3.4 s for a build of 1,000 posts, bench/RESULTS.md); but the number the last index
    had (`before`) stays while its shards hold between half and one and a half times
    SHARD_RECORDS, so one post more or less does not make every shard anew."""
    if before and math.ceil(records / (1.5 * SHARD_RECORDS)) <= before <= max(1, math.ceil(records / (0.5 * SHARD_RECORDS))):
        return before
    if records > SHARD_RECORDS // 2:
        return max(WORKERS, math.ceil(records / SHARD_RECORDS))
    return 1


def split(entries: tuple[Entry, ...], count: int, salt: str) -> list[Shard]:
    """The records in `count` shards, each post's in the shard its URL hashes to; the column
    intros (a few) in shard 0, so that it is never empty: its script is the one the search page
    starts from, and Pagefind writes no index of no records."""
    groups: list[list[Entry]] = [[] for _ in range(count)]
    for entry in entries:
        hashed = int.from_bytes(hashlib.blake2b(entry.url.encode(), digest_size=8).digest(), "big") % count
        groups[0 if entry.intro else hashed].append(entry)
    shards = []
    for number, group in enumerate(groups):
        named = "\n".join(f"{entry.url} {entry.key}" for entry in group)
        key = hashlib.blake2b(f"{salt}\n{LAYOUT}\n{count}\n{number}\n{named}".encode(), digest_size=16).hexdigest()
        shards.append(Shard(number, key, tuple(group)))
    return shards


def make_shards(shards: list[Shard], language: str, fresh: Path, previous: dict[str, object] | None,
                previous_folder: Path | None, command: list[str] | None = None) -> dict[str, int] | None:
    """Every shard's files in `fresh`: linked from the previous index where its key is the same
    and its files are whole, else made by Pagefind; the files with their sizes, or None when
    an index did not read whole; and PAGES_FILE written. Raises ServiceError when Pagefind fails."""
    kept, grouped = _previous_shards(previous), _by_shard(previous)
    known = read_pages(previous_folder) if previous_folder is not None else {}
    pages: dict[str, dict[str, str]] = {}
    shards = [shard for shard in shards if shard.entries or not shard.number]  # (shard 0 always: the script is there)
    reusable = previous_folder is not None and previous is not None
    same = [shard for shard in shards if reusable and kept.get(shard.number) == shard.key]
    files: dict[str, int] = {}
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        # Pagefind makes the changed shards in processes of their own while this thread links the others.
        linking = {shard.number for shard in same}
        making = {shard.number: pool.submit(_make_shard, shard, language, fresh, command)
                  for shard in shards if shard.number not in linking}
        for shard in same:
            linked = _link_shard(grouped.get(shard.number, {}), previous_folder, fresh)  # type: ignore[arg-type]
            if linked is None:  # (damaged: made after all)
                making[shard.number] = pool.submit(_make_shard, shard, language, fresh, command)
            else:
                files.update(linked)
                mine = known.get(shard.prefix, {})
                pages[shard.prefix] = {entry.url: mine[entry.url] for entry in shard.entries if entry.url in mine}
                if len(pages[shard.prefix]) < len(shard.entries):  # (an index of before PAGES_FILE)
                    pages[shard.prefix] = page_ids(fresh / shard.prefix if shard.prefix else fresh)
        for number, future in making.items():
            made = future.result()
            if made is None:
                return None
            files.update(made[0])
            pages[f"{number}/" if number else ""] = made[1]
    (fresh / PAGES_FILE).write_text(json.dumps(pages, ensure_ascii=False), "utf-8")
    listing = json.dumps({"shards": [shard.prefix for shard in shards]}).encode()
    (fresh / SHARDS_FILE).write_bytes(listing)
    files[SHARDS_FILE] = len(listing)
    return files


def _previous_shards(previous: dict[str, object] | None) -> dict[int, str]:
    shards = previous.get("shards") if isinstance(previous, dict) else None
    return {n: key for n, key in enumerate(shards) if isinstance(key, str)} if isinstance(shards, list) else {}


def _by_shard(previous: dict[str, object] | None) -> dict[int, dict[str, int]]:
    """The files of the previous index by shard, with their sizes."""
    files = previous.get("files") if isinstance(previous, dict) else None
    grouped: dict[int, dict[str, int]] = {}
    for name, size in (files.items() if isinstance(files, dict) else ()):
        first, slash, _ = name.partition("/")
        number = int(first) if slash and first.isdigit() else 0
        if name != SHARDS_FILE:
            grouped.setdefault(number, {})[name] = size
    return grouped


def _link_shard(mine: dict[str, int], folder: Path, fresh: Path) -> dict[str, int] | None:
    """The files of one shard of the index in `folder`, linked into `fresh`; None (and what was
    linked taken back) when one is missing or not the size recorded."""
    done: list[str] = []
    made = {str(fresh)}
    source, target_root = f"{folder}/", f"{fresh}/"
    try:
        for name, size in mine.items():
            target = target_root + name
            parent = os.path.dirname(target)
            if parent not in made:
                os.makedirs(parent, exist_ok=True)
                made.add(parent)
            os.link(source + name, target)
            done.append(target)
            if os.stat(target).st_size != size:
                raise ValueError(name)
    except (OSError, ValueError, TypeError):
        for target in done:
            os.unlink(target)
        return None
    return mine


def _make_shard(shard: Shard, language: str, fresh: Path,
                command: list[str] | None) -> tuple[dict[str, int], dict[str, str]] | None:
    """Pagefind's index of one shard's records, in fresh/<prefix>, by a process of its own; its
    files with their sizes and its pages' ids by URL."""
    folder = fresh / shard.prefix if shard.prefix else fresh
    scratch = fresh.parent / f"shard-{shard.number}"
    with PagefindService({"force_language": language}, command or service_command()) as service:
        service.add_records(each_payload(list(shard.entries), language))
        service.write(scratch)
    written = readable_index(scratch)
    if written is None:
        return None
    if shard.number:
        written = _share_wasm(scratch, written)
    pages = page_ids(scratch)
    folder.mkdir(parents=True, exist_ok=True)
    for name in written:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(scratch / name, target)
    shutil.rmtree(scratch, ignore_errors=True)
    return {f"{shard.prefix}{name}": size for name, size in written.items()}, pages


def _share_wasm(index: Path, written: dict[str, int]) -> dict[str, int]:
    """A shard i > 0 without the files shard 0 has too (SHARED), its entry file naming shard 0's
    WebAssembly. Pagefind's script fetches `${basePath}wasm.${wasm}.pagefind`, basePath being
    the shard's folder (pagefind/i/): a `wasm` of "/../../wasm.unknown" makes that
    pagefind/i/wasm./../../wasm.unknown.pagefind, which a browser resolves to shard 0's
    pagefind/wasm.unknown.pagefind. (search_index.js makes shard 0 load first, so the
    others find the WebAssembly compiled already: Pagefind's loader then keeps it.)"""
    entry_path = index / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text("utf-8"))
    for language in entry["languages"].values():
        language["wasm"] = f"/../../wasm.{language.get('wasm') or 'unknown'}"
    entry_path.write_text(json.dumps(entry, ensure_ascii=False), "utf-8")
    kept = {}
    for name, size in written.items():
        if "/" not in name and name.startswith(SHARED):
            os.unlink(index / name)
        else:
            kept[name] = size
    kept["pagefind-entry.json"] = entry_path.stat().st_size
    return kept


def page_ids(index: Path) -> dict[str, str]:
    """URL -> the id Pagefind gives the page of that record (its fragment file's name, which is
    what its script calls a result's id), read from the fragments of the index in `index`."""
    ids = {}
    for fragment in (index / "fragment").glob("*.pf_fragment"):
        data = fragment.read_bytes()
        data = data if data.startswith(b"pagefind_dcd") else gzip.decompress(data)
        ids[json.loads(data[12:])["url"]] = fragment.name[:-len(".pf_fragment")]
    return ids


def read_pages(index: Path) -> dict[str, dict[str, str]]:
    """PAGES_FILE of the index in `index`: {shard prefix: {url: page id}}; {} if none or unreadable."""
    try:
        pages = json.loads((index / PAGES_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return pages if isinstance(pages, dict) else {}


def readable_index(index: Path) -> dict[str, int] | None:
    """Every file of a fresh index with its size, if it is complete: its script and entry file
    are there, the entry file reads, and no file is empty (a full disk leaves empty files)."""
    files: dict[str, int] = {}
    for path in index.rglob("*"):
        if path.is_file():
            files[path.relative_to(index).as_posix()] = path.stat().st_size
    try:
        entry = json.loads((index / "pagefind-entry.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if "pagefind.js" not in files or not isinstance(entry, dict) or not entry.get("languages"):
        return None
    return files if all(files.values()) else None
