"""A picture's bytes -> the versions a page shows (Made): upright, resized (never enlarged), as
WebP, with no EXIF, GPS, XMP, IPTC or comments; or what is wrong with it. Pure: bytes in,
bytes out, so it runs on worker processes and its result can be kept by content.

Phones write 12-50 MP JPEGs or HEICs with the camera's rotation in EXIF and, often, where the
photo was taken. A visitor on a phone needs a few hundred kilobytes, the right way up, and
nobody should learn where a teacher lives from a picture of a meeting."""

from __future__ import annotations

import io
import math
import re
import struct
import warnings
from dataclasses import dataclass

from PIL import Image, ImageCms, UnidentifiedImageError

from . import jpeg_data
from .jpeg_data import TOOLS, jpeg_without_metadata

try:  # iPhones' HEIC; without pillow-heif such a file is "not a picture sitegen can read"
    from pillow_heif import register_heif_opener
    register_heif_opener()
except ImportError:  # pragma: no cover - a dependency, but a build without it still works
    pass

PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".avif", ".heic", ".heif", ".gif"})
WIDTHS = (480, 960, 1600)  # what the theme needs: phones at 1x-3x, and a desktop's 53rem column at 2x
MAX_PIXELS = 80_000_000  # a 48 MP phone photo fits; more is a scan or a bomb (memory ~4 bytes a pixel)
_FORMATS = {"JPEG", "PNG", "WEBP", "AVIF", "HEIF", "GIF", "MPO"}
# Bumped whenever what make() gives for the same bytes changes: it names kept versions.
RECIPE = f"4{TOOLS}"  # (and whether jpeg_data's tools were there: see there)
FALLBACK_WIDTH = 960  # the one JPEG (or PNG) a browser without WebP gets: as wide as this, or less
_GPS_IFD = 0x8825
_ORIENTATION = 0x0112


@dataclass(frozen=True)
class Made:
    """What a picture gives: its versions (each width, height and bytes, smallest first), or a
    problem (photo.<problem> in messages_photos.py) and nothing else."""

    versions: tuple[tuple[int, int, bytes], ...] = ()
    suffix: str = ".webp"  # of every version (".gif" for an animated GIF, published as it is)
    located: bool = False  # the picture carried a GPS position (removed)
    tagged: bool = False  # it carried any metadata at all (EXIF, XMP, IPTC, comments)
    problem: str | None = None
    detail: str = ""  # for the message: the megapixels of one too large
    original: bytes | None = None  # full size, upright and stripped, when the site offers originals
    original_suffix: str | None = None
    fallback: tuple[int, int, bytes] | None = None  # a JPEG (PNG with transparency) of one version
    fallback_suffix: str | None = None


def make(data: bytes, quality: int = 80, widths: tuple[int, ...] = WIDTHS, originals: bool = False,
         probe: bool = False) -> Made:
    """The versions of one picture. Never raises for a bad picture: says what is wrong.
    probe: sizes and problems, no versions made (every version's bytes empty)."""
    if not data:
        return Made(problem="empty")
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check warns first: here it is a refusal, never a warning.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _make(data, quality, widths, originals, probe)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))  # Pillow names the size it read from the header
        return Made(problem="too_large", detail=f"{int(found.group(1)) / 1e6:.0f}" if found else "?")
    except UnidentifiedImageError:
        return Made(problem="not_picture")
    except OSError as exc:
        return Made(problem="truncated" if "truncated" in str(exc) else "damaged")
    except (ValueError, SyntaxError, EOFError, struct.error, MemoryError):
        return Made(problem="damaged")
    except Exception:  # noqa: BLE001 - a decoder's own error on bytes from anyone: the picture's fault, said as such
        return Made(problem="damaged")


def _make(data: bytes, quality: int, widths: tuple[int, ...], originals: bool, probe: bool) -> Made:
    image = Image.open(io.BytesIO(data))
    if image.format not in _FORMATS:
        return Made(problem="not_picture")
    width, height = image.size
    if width * height > MAX_PIXELS:
        return Made(problem="too_large", detail=f"{width * height / 1e6:.0f}")
    exif = image.getexif()
    located = bool(exif.get_ifd(_GPS_IFD))
    tagged = bool(exif) or any(k in image.info for k in ("xmp", "XML:com.adobe.xmp", "comment", "photoshop", "iptc"))
    if getattr(image, "n_frames", 1) > 1 and image.format == "GIF":
        for frame in range(0 if probe else image.n_frames):  # every frame decodes: a damaged one fails here
            image.seek(frame)
            image.load()
        return Made(((width, height, b"" if probe else data),), ".gif", located, tagged)
    jpeg = image.format in ("JPEG", "MPO")
    problem = _jpeg_damage(data, probe) if jpeg else None
    if problem is not None:
        return Made(problem=problem)
    orientation = exif.get(_ORIENTATION, 1)
    turned = orientation in (5, 6, 7, 8)
    upright_width = height if turned else width
    largest = min(max(widths), upright_width)
    # A JPEG's original keeps its compressed data (only metadata goes, and a turn moves its
    # blocks): no full decode needed. Without jpegtran a turned one is decoded and encoded again.
    # (A side shorter than one block row, up to 32 px, has no whole block to move: jpegtran
    # would leave such a picture as it was, unturned.)
    turnable = jpeg and orientation != 1 and min(width, height) >= 32
    upright_original = jpeg_data.turned_upright(data, orientation) if originals and turnable and not probe else None
    lossless = originals and jpeg and (orientation == 1 or upright_original is not None
                                       or probe and turnable and jpeg_data.JPEGTRAN is not None)
    if jpeg and (lossless or not originals):
        largest = _drafted(image, largest, upright_width, width, height)
    targets = sorted({w for w in widths if w < largest} | {largest}, reverse=True)
    fallback_width = max([w for w in targets if w <= FALLBACK_WIDTH], default=targets[-1])
    if probe:
        return _probed(image, data, targets, fallback_width, turned, located, tagged, originals, lossless)
    image.load()
    icc = image.info.get("icc_profile")
    kind = image.format
    image, icc = _eight_bit(image, icc)
    versions = []
    current = image
    fallback = fallback_suffix = None
    for size in _sizes(image.size, targets, turned):
        if current.size != size:
            # Each from the one before (the next larger), bicubic: a third cheaper than Lanczos and
            # alike to the eye at these ratios (under 2:1 from the drafted decode, 2:1 after).
            # reducing_gap: a large step is first reduced by whole factors, fast and sharp.
            current = current.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0)
        upright = _turned(current, orientation)  # turned once small: far cheaper than the full photo
        versions.append((upright.width, upright.height, _webp(upright, quality, icc)))
        if upright.width == fallback_width:  # for browsers without WebP (iOS before 14): a few ms more
            fallback_data, fallback_suffix = _stripped(upright, icc, None, quality)
            fallback = (upright.width, upright.height, fallback_data)
    original = suffix = None
    if lossless:
        original, suffix = upright_original or jpeg_without_metadata(data), ".jpg"
    elif originals:
        original, suffix = _stripped(_turned(image, orientation), icc, kind)
    return Made(tuple(reversed(versions)), ".webp", located, tagged, original=original, original_suffix=suffix,
                fallback=fallback, fallback_suffix=fallback_suffix)


def _jpeg_damage(data: bytes, probe: bool) -> str | None:
    """A JPEG's damage, found as `sitegen check` and `build` both find it: by djpeg reading all of
    its data; without djpeg, by Pillow decoding it at 1/8 size (a build decodes it anyway),
    which finds a file cut short or a marker in the middle, not bytes changed in it."""
    if jpeg_data.DJPEG is not None:
        return jpeg_data.damage(data)
    if not probe:
        return None
    opened = Image.open(io.BytesIO(data))  # (draft() changes what the caller's image decodes)
    opened.draft(opened.mode if opened.mode in ("RGB", "L") else None, (opened.width // 8, opened.height // 8))
    opened.load()  # make() says what an OSError here means, as a build's decoding would
    return None


def _sizes(stored: tuple[int, int], targets: list[int], turned: bool) -> list[tuple[int, int]]:
    """The stored (not yet turned) size of each version, largest first."""
    stored_width, stored_height = stored
    if turned:  # the stored height becomes the width
        return [(max(1, round(stored_width * t / stored_height)), t) for t in targets]
    return [(t, max(1, round(stored_height * t / stored_width))) for t in targets]


def _probed(image: Image.Image, data: bytes, targets: list[int], fallback_width: int, turned: bool,
            located: bool, tagged: bool, originals: bool, lossless: bool) -> Made:
    """What make() would give, read from the picture's header (sizes, flags) and its data as far
    as damage shows (_jpeg_damage; a PNG's checksums), with no bytes: for `sitegen check` and
    `report`, which publish nothing."""
    if image.format == "PNG":
        # Every chunk's checksum, without inflating the pixels (on a fresh opening: Pillow verifies
        # only one nothing was read from yet, and reading its orientation has read from this one).
        Image.open(io.BytesIO(data)).verify()
    sizes = [(h, w) if turned else (w, h) for w, h in _sizes(image.size, targets, turned)]
    alpha = _transparent(image)
    fallback = next(((w, h, b"") for w, h in sizes if w == fallback_width), None)
    suffix = None
    if originals:
        suffix = ".jpg" if lossless else _original_suffix(image.format, alpha)
    return Made(tuple((w, h, b"") for w, h in reversed(sizes)), ".webp", located, tagged,
                original=b"" if originals else None, original_suffix=suffix,
                fallback=fallback, fallback_suffix=".png" if alpha else ".jpg")


def _transparent(image: Image.Image) -> bool:
    """Whether _eight_bit makes the picture RGBA (its versions keep transparency)."""
    mode = image.mode
    return mode in ("RGBA", "PA", "LA", "La", "RGBa") or (mode == "P" and "transparency" in image.info)


def _stripped(image: Image.Image, icc: bytes | None, kind: str | None, quality: int = 92) -> tuple[bytes, str]:
    """The picture with nothing but its pixels and colour profile, in _original_suffix's format
    (kind: the one it was in)."""
    out = io.BytesIO()
    image = image.copy()
    image.info = {}
    options = {"icc_profile": icc} if icc else {}
    suffix = _original_suffix(kind, image.mode == "RGBA")
    if suffix == ".png":
        image.save(out, "PNG", **options)
    elif suffix == ".webp":
        image.save(out, "WEBP", quality=quality, exif=b"", xmp=b"", **options)
    else:
        image.save(out, "JPEG", quality=quality, **options)
    return out.getvalue(), suffix


def _original_suffix(kind: str | None, alpha: bool) -> str:
    """A PNG stays PNG (saved again, nothing is lost) and so does any picture with transparency;
    a WebP stays WebP; any other (a turned JPEG, HEIC, AVIF, a still GIF) becomes a JPEG."""
    return ".png" if alpha or kind == "PNG" else ".webp" if kind == "WEBP" else ".jpg"


def _drafted(image: Image.Image, largest: int, upright_width: int, width: int, height: int) -> int:
    """Asks the JPEG decoder for 1/2, 1/4 or 1/8 of the photo when that is still as large as the
    largest version, or nearly (within a tenth: that version is then a little narrower): most
    of the cost of a 12 MP photo is gone before a pixel is resized. The largest width to make."""
    mode = image.mode if image.mode in ("RGB", "L") else None
    for denominator in (8, 4, 2):
        reduced = upright_width // denominator
        if reduced >= largest * 0.9:
            image.draft(mode, (math.ceil(width / denominator), math.ceil(height / denominator)))
            return min(largest, reduced)
    return largest


def _turned(image: Image.Image, orientation: int) -> Image.Image:
    """Turns stored pixels the way EXIF says the camera was held."""
    method = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
              5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
              8: Image.Transpose.ROTATE_90}.get(orientation)
    return image.transpose(method) if method is not None else image


def _eight_bit(image: Image.Image, icc: bytes | None) -> tuple[Image.Image, bytes | None]:
    """An image WebP can hold (RGB or RGBA, 8 bits), its colours as they were meant to look."""
    mode = image.mode
    if mode == "CMYK":
        # A CMYK profile means nothing to an RGB file: convert through it to sRGB when there is one.
        if icc:
            try:
                srgb = ImageCms.createProfile("sRGB")
                image = ImageCms.profileToProfile(image, ImageCms.ImageCmsProfile(io.BytesIO(icc)), srgb,
                                                  outputMode="RGB")
                return image, None
            except (ImageCms.PyCMSError, OSError):
                pass
        return image.convert("RGB"), None
    if mode in ("I;16", "I;16B", "I;16L", "I", "F"):  # 16-bit or wider greyscale
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L"), icc
    if mode in ("RGBA", "RGB", "L"):
        return image, icc
    if mode in ("P", "PA", "LA", "La", "RGBa") and ("transparency" in image.info or mode != "P"):
        return image.convert("RGBA"), icc
    return image.convert("RGB"), icc


def _webp(image: Image.Image, quality: int, icc: bytes | None) -> bytes:
    out = io.BytesIO()
    image = image.copy() if image.info else image
    image.info = {}  # resize() and copy() carry the source's EXIF and XMP along: none of it is saved
    options = {"icc_profile": icc} if icc else {}
    image.save(out, "WEBP", quality=quality, method=2, exif=b"", xmp=b"", **options)
    return out.getvalue()
