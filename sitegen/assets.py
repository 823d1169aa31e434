"""Files copied as they are: a column's own images and documents, a bundle's (under its post's
address) and static/'s. Each is a link target; a bundle's documents are listed on its post's
page as attachments."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from .errors import SiteError
from .links import Links
from .model import Asset, Attachment
from .sources import special_kind, symlink_loop, unreadable_file
from .urls import file_url

ATTACHMENT_SUFFIXES = {
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "wps", "et", "dps",
    "csv", "txt", "zip", "rar", "7z", "mp3", "mp4", "m4a", "wav",
}


class Assets:
    def __init__(self, links: Links, base_path: str) -> None:
        self.links = links
        self.base_path = base_path
        self._files: dict[Path, tuple[str, int]] = {}  # source -> (path under the output folder, size)
        self._in: dict[Path, list[Path]] = {}  # folder -> its files (a bundle's attachments, asked per post)

    def add(self, path: Path, relpath: str) -> SiteError | None:
        """Copies path to relpath; the problem when it cannot be read. Found out here, by its
        status and permissions, rather than when it is copied: then the message would name the
        output file, and a FIFO would be opened."""
        try:
            info = path.stat()
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return symlink_loop(path)
            return unreadable_file(path, exc)
        kind = special_kind(info.st_mode)
        if kind is not None:
            return SiteError.of(path, None, "file.special_copy", kind=kind)
        if not os.access(path, os.R_OK):
            return unreadable_file(path, PermissionError(errno.EACCES, os.strerror(errno.EACCES)))
        if path not in self._files:
            self._in.setdefault(path.parent, []).append(path)
        self._files[path] = (relpath, info.st_size)
        self.links.add(path, file_url(self.base_path, relpath))
        return None

    def attachments(self, bundle: Path) -> tuple[Attachment, ...]:
        """The documents and media in a bundle's own folder (not its subfolders), by name."""
        return tuple(Attachment(path.name, self.links.targets[path], self._files[path][1])
                     for path in sorted(self._in.get(bundle, ())) if path.suffix.lower().lstrip(".") in ATTACHMENT_SUFFIXES)

    def all(self) -> tuple[Asset, ...]:
        """Every file to copy, in the order found."""
        return tuple(Asset(path, relpath) for path, (relpath, _) in self._files.items())
