"""Photo-like pictures for tests and bench/: noise over gradients and shapes (JPEG compresses
them as it does a photo, unlike a flat colour), with a phone's EXIF: its make and model, the
camera's rotation, and where it was taken."""

from __future__ import annotations

import hashlib
import io
import random

from PIL import Image, ImageDraw

MAKE, MODEL = 0x010F, 0x0110
ORIENTATION = 0x0112
GPS = 0x8825


def photo_image(width: int, height: int, seed: int = 0) -> Image.Image:
    """A photo-like RGB picture whose top-left quarter is red and bottom-right quarter blue,
    so a test can tell which way up it is."""
    red = Image.linear_gradient("L").resize((width, height))
    green = Image.radial_gradient("L").resize((width, height))
    blue = red.transpose(Image.Transpose.ROTATE_90).resize((width, height))
    image = Image.merge("RGB", (red, green, blue))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width // 2, height // 2), fill=(220, 30, 30))
    draw.rectangle((width // 2, height // 2, width, height), fill=(30, 30, 220))
    for i in range(12):  # shapes, so that versions differ from seed to seed
        x, y = (seed * 97 + i * 131) % width, (seed * 53 + i * 71) % height
        draw.ellipse((x, y, x + width // 10, y + height // 10), fill=((i * 40) % 255, 200, (seed * 30) % 255))
    grain = random.Random(seed).randbytes(width * height)  # the same bytes every run, for stable names
    noise = Image.frombytes("L", (width, height), grain).convert("RGB")
    return Image.blend(image, noise, 0.12)


def phone_jpeg(width: int = 1200, height: int = 900, orientation: int = 1, gps: bool = True, seed: int = 0,
               quality: int = 90) -> bytes:
    """A JPEG as a phone writes it: pixels stored as the sensor saw them (width x height), EXIF
    saying how to turn them (orientation 6: turn 90 degrees clockwise to view), and a GPS
    position in the middle of Shanghai."""
    exif = Image.Exif()
    exif[MAKE] = "Apple"
    exif[MODEL] = "iPhone 13"
    exif[ORIENTATION] = orientation
    if gps:
        exif[GPS] = {1: "N", 2: (31.0, 13.0, 48.0), 3: "E", 4: (121.0, 28.0, 12.0)}
    out = io.BytesIO()
    photo_image(width, height, seed).save(out, "JPEG", quality=quality, exif=exif.tobytes(),
                                          comment=b"taken at home")
    return out.getvalue()


def encoded(image: Image.Image, format: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format, **options)
    return out.getvalue()


def small_png(width: int = 40, height: int = 30, seed: int = 0) -> bytes:
    """A real picture small enough for tests that only need one (its one version is as wide)."""
    return encoded(photo_image(width, height, seed), "PNG")


def version_url(prefix: str, data: bytes, width: int, suffix: str = ".webp") -> str:
    """Where the version `width` px wide of a picture published as prefix + its name's stem
    ('/party/news/bundle/photo') is found (photo_set.py names versions by content); suffix
    ".jpg" for the fallback that <img src> names (browsers without WebP)."""
    return f"{prefix}.{hashlib.blake2b(data, digest_size=16).hexdigest()[:10]}.{width}{suffix}"


def picture(path) -> Image.Image:
    """A published picture read back with Pillow (from memory: no file is left open)."""
    image = Image.open(io.BytesIO(path.read_bytes()))
    image.load()
    return image
