"""A JPEG's own compressed data, kept as it is: without its metadata, turned upright without
being encoded again, and read through to its end to find damage. Pillow decodes and encodes;
these need libjpeg-turbo's own tools (Debian's libjpeg-turbo-progs: jpegtran and djpeg, which
scripts/setup.sh installs). Without them a caller does what Pillow can, and says so in RECIPE's
tools (a store entry made without them is made again once they are there)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

JPEGTRAN = shutil.which("jpegtran")
DJPEG = shutil.which("djpeg")
TOOLS = ("t" if JPEGTRAN else "") + ("d" if DJPEG else "")  # part of photos.RECIPE
_SECONDS = 120  # a 48 MP photo takes about a second; a tool that hangs is not waited for
# A progressive JPEG has about 10 scans; thousands in a small file only make a reader spin (a
# known denial of service), and libjpeg-turbo's tools refuse them when asked: "damaged".
_SCANS = ("-maxscans", "1000")

# Segments an upright JPEG's original keeps: APP2 only when it is the colour profile, APP14
# ("Adobe": how to read the colours). APP0 (JFIF) goes too: it may hold a thumbnail of the
# photo as it was before cropping; decoders read a three-colour JPEG as YCbCr without it.
_KEPT_SEGMENTS = {0xE2: b"ICC_PROFILE\x00", 0xEE: b"Adobe"}
# EXIF orientation -> jpegtran's transform (the same turns as photos._turned)
_TURNS = {2: ("-flip", "horizontal"), 3: ("-rotate", "180"), 4: ("-flip", "vertical"), 5: ("-transpose",),
          6: ("-rotate", "90"), 7: ("-transverse",), 8: ("-rotate", "270")}
# Some cameras write a few bytes of padding before the end marker: libjpeg warns, nothing is lost.
_PADDING = re.compile(r"Corrupt JPEG data: (\d+) extraneous bytes before marker 0xd9")


def jpeg_without_metadata(data: bytes) -> bytes:
    """The JPEG's own compressed data, untouched, without EXIF, GPS, XMP, IPTC, comments or
    thumbnails: nothing is decoded or encoded again, so nothing is lost. A phone's second
    picture after the first one's end (MPO: a depth map or preview, with its own EXIF) goes."""
    out = bytearray(data[:2])  # SOI
    index = 2
    while index + 4 <= len(data):
        if data[index] != 0xFF:
            raise SyntaxError("not a JPEG segment")
        marker = data[index + 1]
        if marker == 0xFF:  # fill byte before a marker
            index += 1
            continue
        length = int.from_bytes(data[index + 2 : index + 4], "big")
        segment = data[index : index + 2 + length]
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:  # APPn, COM
            if marker in _KEPT_SEGMENTS and segment[4:].startswith(_KEPT_SEGMENTS[marker]):
                out += segment
        else:
            out += segment
        index += 2 + length
        if marker == 0xDA:  # start of scan: compressed data until a marker that is not RSTn or a stuffed 0
            end = _scan_end(data, index)
            out += data[index:end]
            index = end
            if data[index + 1 : index + 2] == b"\xd9":
                return bytes(out + b"\xff\xd9")
    raise SyntaxError("the JPEG has no end")


def _scan_end(data: bytes, index: int) -> int:
    while True:
        index = data.index(b"\xff", index)
        following = data[index + 1] if index + 1 < len(data) else 0xD9
        if following != 0x00 and not 0xD0 <= following <= 0xD7:
            return index
        index += 2


def turned_upright(data: bytes, orientation: int) -> bytes | None:
    """The JPEG turned as EXIF says, by moving its compressed blocks (jpegtran): not a pixel is
    decoded or encoded again, and nothing but the colour profile is kept. JPEG stores whole
    blocks of 8 or 16 pixels from the top left, so a side that is not a multiple of them
    cannot be turned to the top or left: that part block (under 16 pixels: 8 of a 4000 x 3000
    photo's 3000) is left off (-trim), rather than every pixel being encoded again.
    None without jpegtran, or when it cannot read the file: the caller encodes it again."""
    if JPEGTRAN is None:
        return None
    try:
        done = subprocess.run([JPEGTRAN, *_SCANS, "-copy", "icc", *_TURNS[orientation], "-trim"],
                              input=jpeg_without_metadata(data), capture_output=True, timeout=_SECONDS, check=False)
    except (OSError, subprocess.SubprocessError, SyntaxError, ValueError, IndexError):
        return None
    return done.stdout if done.returncode == 0 and done.stdout.startswith(b"\xff\xd8") else None


def damage(data: bytes) -> str | None:
    """What is wrong with a JPEG's compressed data, read to its end at 1/8 size (djpeg: every
    block's codes are read, little is computed): "truncated" (its end is missing), "damaged"
    (bytes changed or lost in the middle: Pillow decodes such a file without a word, and
    visitors see a grey or garbled part), or None. None also without djpeg (not known)."""
    if DJPEG is None:
        return None
    try:
        done = subprocess.run([DJPEG, *_SCANS, "-scale", "1/8", "-outfile", os.devnull], input=data, capture_output=True,
                              timeout=_SECONDS, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode == 0:
        return None
    said = done.stderr.decode("utf-8", "replace")
    if "Premature end of JPEG file" in said:
        return "truncated"
    harmful = [line for line in said.splitlines() if line.strip() and not _harmless(line)]
    return "damaged" if harmful or done.returncode == 1 else None


def _harmless(line: str) -> bool:
    padding = _PADDING.search(line)
    return padding is not None and int(padding.group(1)) < 16
