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
RECIPE = "2"
FALLBACK_WIDTH = 960  # the one JPEG (or PNG) a browser without WebP gets: as wide as this, or less
_GPS_IFD = 0x8825
_ORIENTATION = 0x0112


@dataclass(frozen=True)
class Made:
    """What a picture gives: its versions (each width, height and bytes, smallest first), or a
    problem (a key of MESSAGES) and nothing else."""

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


def make(data: bytes, quality: int = 80, widths: tuple[int, ...] = WIDTHS, originals: bool = False) -> Made:
    """The versions of one picture. Never raises for a bad picture: says what is wrong."""
    if not data:
        return Made(problem="empty")
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check warns first: here it is a refusal, never a warning.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _make(data, quality, widths, originals)
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


def _make(data: bytes, quality: int, widths: tuple[int, ...], originals: bool) -> Made:
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
        for frame in range(image.n_frames):  # every frame decodes: a damaged one fails here, not in a browser
            image.seek(frame)
            image.load()
        return Made(((width, height, data),), ".gif", located, tagged)
    orientation = exif.get(_ORIENTATION, 1)
    turned = orientation in (5, 6, 7, 8)
    upright_width = height if turned else width
    largest = min(max(widths), upright_width)
    if image.format == "JPEG" and not originals:
        largest = _drafted(image, largest, upright_width, width, height)
    image.load()
    icc = image.info.get("icc_profile")
    image, icc = _eight_bit(image, icc)
    stored_width, stored_height = image.size
    versions = []
    current = image
    targets = sorted({w for w in widths if w < largest} | {largest}, reverse=True)
    fallback_width = max([w for w in targets if w <= FALLBACK_WIDTH], default=targets[-1])
    fallback = fallback_suffix = None
    for target in targets:
        if turned:  # the stored height becomes the width
            size = (max(1, round(stored_width * target / stored_height)), target)
        else:
            size = (target, max(1, round(stored_height * target / stored_width)))
        if current.size != size:
            # Each from the one before (the next larger), bicubic: a third cheaper than Lanczos and
            # alike to the eye at these ratios (under 2:1 from the drafted decode, 2:1 after).
            # reducing_gap: a large step is first reduced by whole factors, fast and sharp.
            current = current.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0)
        upright = _turned(current, orientation)  # turned once small: far cheaper than the full photo
        versions.append((upright.width, upright.height, _webp(upright, quality, icc)))
        if target == fallback_width:  # for browsers without WebP (iOS before 14): a few ms more
            data, fallback_suffix = _stripped(upright, icc, quality)
            fallback = (upright.width, upright.height, data)
    original = suffix = None
    if originals:
        original, suffix = _stripped(_turned(image, orientation), icc)
    return Made(tuple(reversed(versions)), ".webp", located, tagged, original=original, original_suffix=suffix,
                fallback=fallback, fallback_suffix=fallback_suffix)


def _stripped(image: Image.Image, icc: bytes | None, quality: int = 92) -> tuple[bytes, str]:
    """The whole photo, upright, with nothing but its pixels and colour profile: a JPEG, or a
    PNG when it has transparency."""
    out = io.BytesIO()
    image = image.copy()
    image.info = {}
    options = {"icc_profile": icc} if icc else {}
    if image.mode == "RGBA":
        image.save(out, "PNG", **options)
        return out.getvalue(), ".png"
    image.save(out, "JPEG", quality=quality, **options)
    return out.getvalue(), ".jpg"


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


MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "empty": ("the picture is an empty file", "copy the photo into the folder again"),
        "not_picture": ("this is not a picture sitegen can read (JPEG, PNG, WebP, AVIF, HEIC or GIF)",
                        "open it and save or export it again as JPEG"),
        "truncated": ("the picture is cut off (only part of the file was copied or uploaded)",
                      "copy the photo from the phone or camera again"),
        "damaged": ("the picture is damaged and cannot be read", "export the photo again and replace the file"),
        "too_large": ("the picture is too large to make smaller ({detail} megapixels; the limit is 80)",
                      "make it smaller with a photo editor, or export it at a lower resolution"),
        "located": ("{count} photo(s) had a location (GPS) in them; it was removed from every published picture", ""),
        "open": ("Open the photo full size", ""),
    },
    "zh-CN": {
        "empty": ("图片是一个空文件", "请重新把照片复制到文件夹中"),
        "not_picture": ("这个文件不是可以处理的图片（支持 JPEG、PNG、WebP、AVIF、HEIC、GIF）",
                        "请用看图软件打开后另存为或导出为 JPEG"),
        "truncated": ("图片不完整（复制或上传时只传了一部分）", "请从手机或相机重新复制这张照片"),
        "damaged": ("图片已损坏，无法读取", "请重新导出这张照片并替换文件"),
        "too_large": ("图片太大，无法缩小（{detail} 百万像素，上限为 80）", "请用修图软件缩小，或以较低分辨率导出"),
        "located": ("{count} 张照片带有拍摄地点（GPS），发布的图片中已全部去除", ""),
        "open": ("查看大图", ""),
    },
}


def message(language: str, key: str, **values: object) -> tuple[str, str]:
    """A message and its hint, in the site's language (English for any other)."""
    text, hint = MESSAGES.get(language, MESSAGES["en"])[key]
    return text.format(**values), hint
