"""Pictures written in a post that no visitor would see: a path on someone's computer
(C:\\Users\\王老师\\Desktop\\1.jpg, file:///...), a picture on another website (a WeChat
article's, which the intranet's visitors and the site's Content-Security-Policy cannot
load), and formats browsers do not show and sitegen does not convert (.tif from a scanner;
a phone's .heic is made into WebP and JPEG versions by photos.py).

A pass over the Markdown text, so each problem names its line; nothing is rewritten here."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from .errors import SiteError

_MARKDOWN_PICTURE = re.compile(r"!\[[^\]\n]*\]\(\s*<?([^)>\n]*?)>?(?:\s+[\"'(][^)\n]*)?\)")
_HTML_PICTURE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.IGNORECASE)
_FENCE = re.compile(r"^[ \t]*(```|~~~)", re.MULTILINE)
_ON_A_COMPUTER = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\|file:)", re.IGNORECASE)
UNSHOWN_FORMATS = frozenset(("tif", "tiff", "emf", "wmf", "psd", "raw", "cr2", "nef", "arw", "dng"))


def picture_problems(body: str, path: Path, body_line: int) -> list[SiteError]:
    problems: list[SiteError] = []
    fenced = {i for i, inside in enumerate(_fence_flags(body)) if inside}
    for pattern in (_MARKDOWN_PICTURE, _HTML_PICTURE):
        for match in pattern.finditer(body):
            line_index = body.count("\n", 0, match.start())
            if line_index in fenced:
                continue
            target = next(group for group in match.groups() if group is not None).strip()
            problem = _problem(target, path, body_line + line_index)
            if problem is not None:
                problems.append(problem)
    return sorted(problems, key=lambda p: p.line or 0)


def _problem(target: str, path: Path, line: int) -> SiteError | None:
    if not target or target.startswith("data:"):
        return None
    if _ON_A_COMPUTER.match(target):
        return SiteError.of(path, line, "pic.local", target=target)
    try:
        split = urlsplit(target)
    except ValueError:
        return None  # markup.py says that this is not a valid link
    if split.scheme in ("http", "https") or target.startswith("//"):
        return SiteError.of(path, line, "pic.outside", "warning", target=target)
    extension = split.path.rsplit(".", 1)[-1].lower() if "." in split.path else ""
    if extension in UNSHOWN_FORMATS:
        return SiteError.of(path, line, "pic.format", target=target, ext=extension.upper())
    return None


def _fence_flags(body: str) -> list[bool]:
    """For each line of the body: whether it is inside a fenced code block (or is its fence)."""
    flags, inside = [], False
    for line in body.split("\n"):
        fence = _FENCE.match(line) is not None
        flags.append(inside or fence)
        if fence:
            inside = not inside
    return flags
