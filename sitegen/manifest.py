"""The manifest (.sitegen-manifest.json, in each version of the site) lists what sitegen wrote,
each file with the digest of what it was made from and its size, so the next build can leave
a page alone without rendering it again, and knows which files are sitegen's. Beside it,
.sitegen-others.json lists the files of others that the version carried over from the one live
before it, so that a version can later be made into a new one in place (recycle.py) knowing
all it holds. (A file of its own: the manifest's content names the pages in the store, and a
watcher's new search index carries the manifest over as it is.)"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

MANIFEST = ".sitegen-manifest.json"
OTHERS = ".sitegen-others.json"


@dataclass(frozen=True)
class Entry:
    digest: str | None
    size: int


Manifest = dict[str, Entry]


Published = tuple["Manifest | None", "str | None"]  # what read_manifest() found
Known = Mapping[str, Manifest]  # manifests this process wrote or read, by content hash (a watcher's)


def read_manifest(output: Path, known: Known | None = None) -> Published:
    """What the last build wrote (None when sitegen did not write this folder; an unreadable
    manifest from an older sitegen still says which files are ours), and the manifest's content
    hash: what the store says about the output holds only for the manifest it names (anything
    that wrote the site since, such as a build without the store, wrote another). `known`: a
    manifest with the same content hash is taken as it is, not parsed again."""
    try:
        data = (output / MANIFEST).read_bytes()
        content = _content_id(data)
        if known is not None and content in known:
            return known[content], content
        raw = json.loads(data.decode("utf-8"))
    except (OSError, ValueError):
        return None, None
    return _parse_manifest(raw), content


def _content_id(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read_version(folder: Path, known: Known | None = None) -> tuple[Manifest | None, list[str] | None]:
    """What a version holds: sitegen's files (its manifest), and the others' files it carried
    over (None when it does not say: a version of an older sitegen)."""
    files, _ = read_manifest(folder, known)
    if files is None:
        return None, None
    return files, read_others(folder)


def read_others(folder: Path) -> list[str] | None:
    try:
        others = json.loads((folder / OTHERS).read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return None
    return others if isinstance(others, list) and all(isinstance(path, str) for path in others) else None


def write_others(folder: Path, others: list[str]) -> None:
    path = folder / OTHERS
    path.unlink(missing_ok=True)  # not written through: a recycled version's may be a link to the live one's
    path.write_bytes(json.dumps(sorted(others), ensure_ascii=False).encode("utf-8"))


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


def write_manifest(folder: Path, manifest: Manifest) -> str:
    """Writes the manifest into a version not yet live; returns its manifest_id."""
    files_json = {path: [entry.digest, entry.size] for path, entry in sorted(manifest.items())}
    # Compact: json's C encoder does not indent, and a large site's manifest is written on every build.
    data = json.dumps({"files": files_json}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    path = folder / MANIFEST
    path.unlink(missing_ok=True)  # not written through: a recycled version's may be a link to the live one's
    path.write_bytes(data)
    return _content_id(data)
