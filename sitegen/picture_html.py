"""A body's <img> tags -> pictures as phones need them: the versions in srcset with sizes
matching the theme's column, width and height (nothing moves as they arrive), lazy loading
after the first, a link to the largest version, and a Markdown title as a visible caption.

Runs on a body's HTML once it is cleaned (sanitise.py), so the markup written here is
sitegen's own; a Markdown image's src already names its photo (markup.py resolved it), and a
raw <img src="a.jpg"> is resolved here through the same recorded lookup."""

from __future__ import annotations

import re
from html import escape, unescape
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping
from urllib.parse import quote, unquote, urlsplit

from .messages import say
from .photos import PHOTO_SUFFIXES

if TYPE_CHECKING:
    from .markup import LinkProblem
    from .photo_set import Photo

# The theme's reading column (style.css: .kind-post .site-main is 56rem with 1.5rem padding;
# 1rem a side on phones): what the browser picks a version for.
BODY_SIZES = "(min-width: 56rem) 53rem, calc(100vw - 2rem)"

_IMG = re.compile(
    r"(?P<p><p>\s*)?(?P<a><a\b[^>]*>\s*)?<img\b(?P<attrs>[^>]*?)/?>(?P<a_end>\s*</a>)?(?P<p_end>\s*</p>)?",
    re.IGNORECASE)
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")
_KEPT = ("alt", "title", "class", "id", "lang", "dir")


def attributes(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _ATTR.finditer(text):
        name, *values = match.groups()
        value = next((v for v in values if v is not None), "")
        found.setdefault(name.lower(), unescape(value))
    return found


class Pictures:
    """Rewrites the pictures of one body after another, knowing every photo by its URLs."""

    def __init__(self, by_url: Mapping[str, "Photo"], language: str = "en",
                 by_address: Mapping[str, Path] | None = None, base_path: str = "/",
                 static: Path | None = None) -> None:
        self.by_url = by_url
        self.base_path = base_path
        self.static = static  # the site's static/ folder
        self.by_address = by_address if by_address is not None else {}  # a picture's own site-root URLs -> its file (photo_set.py)
        # The name of a link around a picture without alt text (a link must say where it leads).
        self.open_label = say("photo.open", language)

    def rewrite(self, html: str, folder: Path, resolve: Callable[[Path], "str | LinkProblem"],
                fail: Callable[[str, "LinkProblem"], None], lazy: bool = False) -> str:
        """lazy: every picture loads lazily (a summary's, in a list), not the first at once."""
        first = [not lazy]

        def one(match: re.Match[str]) -> str:
            attrs = attributes(match.group("attrs"))
            photo = self._photo(attrs.get("src", ""), folder, resolve, fail)
            if photo is None:
                return match.group(0)
            tag = picture_tag(photo, attrs, eager=first[0])
            first[0] = False
            linked = match.group("a") is not None and match.group("a_end") is not None
            label = "" if attrs.get("alt", "").strip() else f' aria-label="{escape(self.open_label)}"'
            shown = f"{match.group('a')}{tag}{match.group('a_end')}" if linked else \
                f'<a class="photo-link" href="{escape(photo.link)}"{label}>{tag}</a>'
            if not linked and (match.group("a") or match.group("a_end")):
                shown = f"{match.group('a') or ''}{shown}{match.group('a_end') or ''}"
            whole_paragraph = match.group("p") is not None and match.group("p_end") is not None
            if whole_paragraph and attrs.get("title"):
                return f'<figure class="photo">{shown}<figcaption>{escape(attrs["title"])}</figcaption></figure>'
            return f"{match.group('p') or ''}{shown}{match.group('p_end') or ''}"

        return _IMG.sub(one, html)

    def _photo(self, src: str, folder: Path, resolve: Callable[[Path], "str | LinkProblem"],
               fail: Callable[[str, "LinkProblem"], None]) -> "Photo | None":
        photo = self.by_url.get(src)
        if photo is not None or not src or src.startswith(("#", "?", "//")):
            return photo
        try:
            split = urlsplit(src)
        except ValueError:
            return None
        if split.scheme or split.netloc or not split.path:
            return None
        if src.startswith("/"):  # written from the site's root: /static/logo.png, /party/news/a/b.jpg
            found = self.by_address.get(quote(unquote(split.path), safe="/"))
            if found is None:
                self._not_yet(unquote(split.path), resolve)
                return None
            # Asked through resolve, so a body kept in the store is made again when the picture changes.
            result = resolve(found)
        else:
            result = resolve(folder / unquote(split.path))
        if not isinstance(result, str):
            if Path(split.path).suffix.lower() in PHOTO_SUFFIXES:  # a picture the page would show broken
                fail(src, result)
            return None
        return self.by_url.get(result)


    def _not_yet(self, path: str, resolve: Callable[[Path], "str | LinkProblem"]) -> None:
        """A site-root picture that is not in static/ (yet): asked for all the same, so that a
        body kept in the store is made again once the picture is put there. Not an error: the
        school's server may well have other pictures of its own at such an address."""
        if self.static is None or Path(path).suffix.lower() not in PHOTO_SUFFIXES:
            return
        relative = path[len(self.base_path):] if path.startswith(self.base_path) else path.lstrip("/")
        for candidate in {relative, relative.removeprefix("static/")}:
            if candidate and ".." not in candidate.split("/"):
                resolve(self.static / candidate)


def picture_tag(photo: "Photo", attrs: Mapping[str, str], eager: bool = False, sizes: str = BODY_SIZES) -> str:
    """One <img> for a photo. The first picture of a page is often the largest thing on it:
    loaded at once; the others as the reader scrolls to them."""
    parts = [f'src="{escape(photo.fallback or photo.small)}"']
    if not photo.animated and not photo.fallback:
        parts.append(f'srcset="{escape(photo.srcset)}" sizes="{sizes}"')
    parts.append(f'width="{photo.width}" height="{photo.height}"')
    for name in _KEPT:
        if name in attrs or name == "alt":
            parts.append(f'{name}="{escape(attrs.get(name, ""))}"')
    parts.append('decoding="async"' if eager else 'loading="lazy" decoding="async"')
    img = f"<img {' '.join(parts)}>"
    if photo.fallback is None:
        return img
    # A browser that reads WebP picks a version from the source; any other loads the fallback.
    return f'<picture><source type="image/webp" srcset="{escape(photo.srcset)}" sizes="{sizes}">{img}</picture>'

