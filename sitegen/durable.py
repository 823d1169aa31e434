"""What a version needs to survive a power cut: its files on the disk before it goes live, and
the switch itself after. (Without it, a file system may keep the rename that made a version
live and lose the data written just before it.)"""

from __future__ import annotations

import os
from pathlib import Path


def sync_file_system(folder: Path) -> None:
    """Writes to the disk whatever the file system holding `folder` has not written yet."""
    import ctypes

    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs  # (libc is loaded already: no file is opened)
    except (OSError, AttributeError):
        os.sync()  # no syncfs(2): every file system
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        if syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


def sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the next build finds a whole version either way
    finally:
        os.close(fd)
