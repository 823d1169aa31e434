"""The site's pictures, for one build: which copied files are photos, what each gives
(photos.make, on worker processes, or the store's entry for the same bytes and settings),
where links to each lead, and the versions to publish in place of the original.

A version is named by the photo's content (news/meeting/a.3f9c20d1.960.webp), so a replaced
photo gets new names (the old versions leave the site with the last build's manifest), a
page showing it changes with it, and a body rendered before holds while every photo it shows
is the same: its links resolve to the same names (links.Dependencies)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable
from urllib.parse import quote, unquote, urlsplit

from .cache import Cache
from .codec import decode
from .config import SiteConfig
from .errors import SiteError
from .layout import STATIC_DIR
from .links import Links
from .markup import LinkProblem
from .messages import say
from .model import Asset
from .parallel import map_indexed
from .photos import MAX_PIXELS, PHOTO_SUFFIXES, RECIPE, WIDTHS, Made, make
from .picture_html import Pictures
from .urls import file_url
from .write import OutputFile, Staged, Staging

CHUNK = 32  # photos made at once (their versions, ~0.3 MB each, wait in memory until stored)
READ_LIMIT = 200 * 1024 * 1024  # bytes: no phone photo comes near; a larger file is refused unread
_UNKEPT = ("unreadable", "changed")  # problems of the moment, not of the picture's bytes: never stored
# A static/ picture with camera data is published stripped under its own name when that name
# says the format it is published in (a template naming logo.jpg keeps working).
_OWN_FORMAT = {".jpg": ".jpg", ".jpeg": ".jpg", ".png": ".png", ".webp": ".webp"}
BYTES_KEY = "photo-bytes"  # the store's entries holding versions' bytes (Cache.BULKY: never kept in memory)


@dataclass(frozen=True)
class Photo:
    """A published picture: its versions (path under the output folder, width, height), smallest
    first, and what a link to it opens (the largest version, or a stripped original)."""

    source: Path
    versions: tuple[tuple[str, int, int], ...]
    urls: tuple[str, ...]  # of the versions
    link: str
    located: bool
    fallback: str | None = None  # URL of a JPEG (or PNG) for browsers without WebP
    @property
    def width(self) -> int:
        return self.versions[-1][1]

    @property
    def height(self) -> int:
        return self.versions[-1][2]

    @property
    def small(self) -> str:
        return self.urls[0]

    @property
    def small_width(self) -> int:
        return self.versions[0][1]

    @property
    def small_height(self) -> int:
        return self.versions[0][2]

    @property
    def srcset(self) -> str:
        return ", ".join(f"{url} {width}w" for url, (_, width, _) in zip(self.urls, self.versions))

    @property
    def animated(self) -> bool:
        return self.versions[0][0].endswith(".gif")


class PhotoSet:
    """Filled once the site's files are known (prepare), before any body is rendered; asked by
    URL while bodies and pages are (by_url), and for the files to publish (outputs)."""

    def __init__(self, root: Path, config: SiteConfig, cache: Cache, links: Links, jobs: int | None,
                 progress: Callable[[str, int, int], None] | None = None,
                 known: Callable[[Path], str | None] | None = None) -> None:
        """known: a file's content hash as the last good build recorded it, while its status
        is unchanged (snapshot.py), so a watcher's save does not read every photo again."""
        self.root = root
        self.known = known or (lambda path: None)
        self.config = config
        self.cache = cache
        self.links = links
        self.jobs = jobs
        self.progress = progress
        self.settings = f"{RECIPE}\x1f{config.photo_quality}\x1f{WIDTHS}"
        # Without a store nothing is published (sitegen check, report) or it is a --no-cache
        # build: pictures are read for their sizes and damage, their versions made when staged.
        self.probe = cache.path is None
        self.by_url: dict[str, Photo] = {}
        self.by_address: dict[str, Path] = {}  # a picture's own site-root URL(s) -> its file
        # writes bodies' <img> tags, once by_url is filled
        self.html = Pictures(self.by_url, config.language, self.by_address, config.base_path, root / STATIC_DIR)
        self.refused: dict[Path, tuple[str, str]] = {}  # a bad picture -> its problem and detail
        self.photos: list[Photo] = []
        self.outputs: list[tuple[str, str, str]] = []  # (relpath, origin, digest) of every version
        self._made: dict[str, bytes] = {}  # bytes made by this build, by their store key
        self.copied: set[Path] = set()  # pictures of static/ still copied as they are (see prepare)
        self._sources: dict[str, tuple[Path, str]] = {}  # store key -> (file, content hash), for again()

    def prepare(self, assets: tuple[Asset, ...], recorded: dict[Path, str]) -> None:
        """Makes or finds every picture's versions and points links at them. Pictures in static/
        that carry no metadata are also copied as they are (a template may show the site's
        logo by its name); every other picture only as its versions. Problems are in links: a
        page showing a bad picture fails naming its line (links.refuse). `recorded` gets each
        picture's content hash, which the state records as it does posts'."""
        found = [a for a in assets if a.source.suffix.lower() in PHOTO_SUFFIXES]
        digests = [self.known(a.source) or self._digest(a.source) for a in found]
        recorded.update({a.source: d for a, d in zip(found, digests) if d})
        keys = [f"photo\x1f{d}\x1f{self.settings}\x1f{self._originals(a.source)}" if d else None
                for a, d in zip(found, digests)]
        self.cache.prefetch([k for k in keys if k])
        infos: list[tuple | None] = [self.cache.get(k) if k else None for k in keys]
        todo = [i for i, info in enumerate(infos) if info is None and keys[i]]
        # A few at a time, each batch's versions stored before the next is made: a first build
        # of thousands of photos never holds all their versions in memory.
        for start in range(0, len(todo), CHUNK):
            chunk = todo[start : start + CHUNK]
            made = map_indexed(lambda n: self._make(found[chunk[n]].source, digests[chunk[n]]), len(chunk),
                               self.jobs, None, min_per_worker=2)
            for i, result in zip(chunk, made):
                infos[i] = self._keep(keys[i], result, self.probe)  # type: ignore[arg-type]
            if len(todo) > CHUNK:  # (a small site's first build writes no store before it is good)
                self.cache.flush()
            if self.progress:
                self.progress("photos", start + len(chunk), len(todo))
        for asset, digest, key, info in zip(found, digests, keys, infos):
            self._take(asset, digest, key, info)

    def _digest(self, path: Path) -> str | None:
        try:
            if path.stat().st_size > READ_LIMIT:
                return None
            return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
        except OSError:
            return None

    def _originals(self, path: Path) -> bool:
        """Whether a picture's stripped original is made: the site offers originals, or it is of
        static/ (published under its own name when it carries camera data)."""
        return self.config.photo_originals or _in_static(self.root, path)

    def _make(self, path: Path, digest: str | None, probe: bool | None = None) -> Made:
        """Runs on a worker: the file is read again, and must be the one that was hashed."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            return Made(problem="unreadable", detail=exc.strerror or str(exc))
        if hashlib.blake2b(data, digest_size=16).hexdigest() != digest:
            return Made(problem="changed")
        return make(data, self.config.photo_quality, WIDTHS, self._originals(path),
                    self.probe if probe is None else probe)

    def _keep(self, key: str, made: Made, probed: bool = False) -> tuple:
        """What the store keeps of a picture: sizes and flags (its bytes under their own keys;
        a probed picture's are made when it is staged)."""
        fallback = made.fallback
        info = (made.suffix, made.located, made.tagged, made.problem, made.detail,
                tuple((w, h) for w, h, _ in made.versions), made.original_suffix,
                (fallback[0], fallback[1], made.fallback_suffix) if fallback else None)
        if made.problem in _UNKEPT or probed:
            return info
        for index, (_, _, data) in enumerate(made.versions):
            self._store_bytes(key, str(index), data)
        if made.original is not None:
            self._store_bytes(key, "original", made.original)
        if fallback is not None:
            self._store_bytes(key, "fallback", fallback[2])
        self.cache.put(key, info)
        return info

    def _store_bytes(self, key: str, name: str, data: bytes) -> None:
        bytes_key = f"{BYTES_KEY}\x1f{key}\x1f{name}"
        if self.cache.path is None:  # no store (sitegen check, --no-cache): held for staging
            self._made[bytes_key] = data
        self.cache.put(bytes_key, data)

    def _take(self, asset: Asset, digest: str | None, key: str | None, info: tuple | None) -> None:
        """One picture, into the site: its versions and links, or the problem a link to it meets."""
        static = _in_static(self.root, asset.source)
        for address in _addresses(self.config.base_path, asset.relpath, static):
            self.by_address[address] = asset.source
        if key is None or info is None:  # over READ_LIMIT, or gone since it was found
            return self._refuse(asset.source, "too_large", f"{MAX_PIXELS // 1_000_000}+", static)
        assert digest is not None
        suffix, located, tagged, problem, detail, sizes, original_suffix, fallback = info
        if problem is not None:
            return self._refuse(asset.source, problem, detail, static)
        self._sources[key] = (asset.source, digest)
        own = _OWN_FORMAT.get(os.path.splitext(asset.relpath)[1].lower())
        if static and not tagged:
            self.copied.add(asset.source)
        stem, _ = os.path.splitext(asset.relpath)
        versions = tuple((f"{stem}.{digest[:10]}.{w}{suffix}" if suffix != ".gif" else f"{stem}.{digest[:10]}.gif", w, h)
                         for w, h in sizes)
        for index, (relpath, _, _) in enumerate(versions):
            self.outputs.append((relpath, str(asset.source), f"{BYTES_KEY}\x1f{key}\x1f{index}"))
        urls = tuple(file_url(self.config.base_path, relpath) for relpath, _, _ in versions)
        link = urls[-1]
        if original_suffix is not None:
            # One of static/ keeps its own name: copied as it is without camera data, else stripped.
            relpath: str | None = asset.relpath
            if static and tagged and own == original_suffix or not static and self.config.photo_originals:
                relpath = relpath if static else f"{stem}.{digest[:10]}{original_suffix}"
                self.outputs.append((relpath, str(asset.source), f"{BYTES_KEY}\x1f{key}\x1foriginal"))
            elif static and tagged:
                relpath = None  # (a HEIC in static/, say: its own name would not say what it is)
            if self.config.photo_originals and relpath is not None:
                link = file_url(self.config.base_path, relpath)
        fallback_url = None
        if fallback is not None:
            width, _, fallback_suffix = fallback
            relpath = f"{stem}.{digest[:10]}.{width}{fallback_suffix}"
            self.outputs.append((relpath, str(asset.source), f"{BYTES_KEY}\x1f{key}\x1ffallback"))
            fallback_url = file_url(self.config.base_path, relpath)
        photo = Photo(asset.source, versions, urls, link, located, fallback_url)
        self.photos.append(photo)
        for url in (*urls, *([fallback_url] if fallback_url else [])):
            self.by_url[url] = photo
        self.by_url[link] = photo
        self.links.add(asset.source, link)
        return None

    def _refuse(self, source: Path, problem: str, detail: str, static: bool) -> None:
        """A bad picture: a page showing it fails naming its line; one of static/ is still copied
        as it is (a file of the site's design, as before; content may not show it)."""
        self.links.refuse(source, LinkProblem.of(f"photo.{problem}", detail=detail, reason=detail))
        self.refused[source] = (problem, detail)
        if static:
            self.copied.add(source)

    def unshown(self, problems: list[SiteError]) -> list[SiteError]:
        """A warning for each bad picture that no page shows (one that a page shows is that
        page's error already), naming the file: it is left out, or copied as it is."""
        shown: set[Path] = set()
        for problem in problems:
            key = dict(problem.values).get("inner") if problem.key == "cover.problem" else problem.key
            target = dict(problem.values).get("target")
            if problem.path is not None and target and key and key.startswith("photo."):
                path = urlsplit(target).path
                found = self.by_address.get(quote(unquote(path), safe="/")) if path.startswith("/") else None
                shown.add(found or Path(os.path.normpath(problem.path.parent / unquote(path))))
        return [SiteError.of(source, None, "photo.unshown_static" if _in_static(self.root, source) else "photo.unshown",
                             "warning", inner=f"photo.{problem}", target=source.name, detail=detail, reason=detail)
                for source, (problem, detail) in self.refused.items() if source not in shown]

    def published(self, assets: tuple[Asset, ...]) -> tuple[tuple[Asset, ...], tuple[Photo, ...]]:
        """The Site's files copied as they are (no picture, but those of static/ that prepare()
        kept) and its photos."""
        copied = tuple(a for a in assets if a.source.suffix.lower() not in PHOTO_SUFFIXES or a.source in self.copied)
        return copied, tuple(self.photos)

    def small(self, url: str) -> str:
        """A cover's URL for lists, which show it a few centimetres wide: a photo's small version."""
        photo = self.by_url.get(url)
        return photo.small if photo is not None else url

    def data(self, bytes_key: str) -> bytes | None:
        """A version's bytes: made by this build, or kept in the store."""
        found = self._made.get(bytes_key)
        if found is None:  # put in the store by this build and not written yet (a small site's), or kept there
            pending = self.cache.pending(bytes_key)
            found = decode(pending) if pending is not None else self.cache.get(bytes_key)
        return found if isinstance(found, bytes) else None

    def again(self, bytes_keys: list[str]) -> None:
        """Makes the versions these keys name (on the process pool), when the store lost them
        after this build found their entry, or the pictures were only probed."""
        keys = list(dict.fromkeys(k[len(BYTES_KEY) + 1 : k.rindex("\x1f")] for k in bytes_keys))
        made = map_indexed(lambda n: self._make(*self._sources[keys[n]], probe=False), len(keys), self.jobs, None,
                           min_per_worker=2)
        for key, result in zip(keys, made):
            source = self._sources[key][0]
            if result.problem is not None:  # (found by decoding what the header did not show)
                raise SiteError.of(source, None, f"photo.{result.problem}", target=source.name,
                                   detail=result.detail, reason=result.detail)
            self._keep(key, result)
        self.cache.flush()

    def touch(self) -> None:
        """The store keeps the versions of every picture this build publishes."""
        for _, _, bytes_key in self.outputs:
            self.cache.touch(bytes_key)

    def located(self) -> int:
        return sum(1 for photo in self.photos if photo.located)

    def note(self) -> str | None:
        """The build summary's line about locations removed, in the site's language."""
        count = self.located()
        return say("photo.located", self.config.language, count=count) if count else None


def _in_static(root: Path, path: Path) -> bool:
    return (root / STATIC_DIR) in path.parents


def _addresses(base_path: str, relpath: str, static: bool) -> list[str]:
    """The site-root URLs a post may write for a picture: its own (with the site's base path
    or without), and for one of static/ the folder's name too (/static/logo.png)."""
    plain = [relpath, f"{STATIC_DIR}/{relpath}"] if static else [relpath]
    found = [file_url(base_path, path) for path in plain]
    return found + [file_url("/", path) for path in plain if base_path != "/"]


def photo_outputs(photos: PhotoSet) -> list[OutputFile]:
    """Every version to publish, named by what it was made from (data left to stage_photos)."""
    return [OutputFile(relpath, origin, digest=hashlib.blake2b(key.encode(), digest_size=16).hexdigest())
            for relpath, origin, key in photos.outputs]


def stage_photos(staging: Staging, photos: PhotoSet, versions: list[OutputFile]) -> list[Staged]:
    """Versions the live site holds already are linked, as they are (bytes and time); only the
    others are read from the store (or this build's work) and written."""
    staged, missing = [], []
    for file, (_, _, key) in zip(versions, photos.outputs):
        kept = staging.unchanged(file.relpath, file.digest)
        if kept is None:
            data = photos.data(key)
            if data is None:
                missing.append((file, key))
                continue
            kept = staging.stage(replace(file, data=data))
        staged.append(kept)
    if missing:  # lost by the store since this build looked, or only probed (a --no-cache build)
        photos.again([key for _, key in missing])
        for file, key in missing:
            data = photos.data(key)
            if data is None:
                raise SiteError.of(Path(file.origin), None, "photo.unkept")
            staged.append(staging.stage(replace(file, data=data)))
    return staged
