"""HTTP Range requests (RFC 9110, section 14) for the preview server: which bytes of a response
of a given length a Range header asks for. No I/O, so every case is a plain test.

Only a single range is answered with 206: browsers seeking in an audio or video attachment ask
for one. Several ranges in one header are answered with the whole file (200), which the RFC
allows and which spares the server multipart bodies; so is a header it does not understand."""

from __future__ import annotations

import re
from dataclasses import dataclass

# One range: "a-b", "a-" or "-n", ASCII digits only (int() would also take "+1", "1_0" and "٣").
_SPEC = re.compile(r"([0-9]*)-([0-9]*)")


@dataclass(frozen=True)
class ByteRange:
    """Bytes start..end of a response, both included, as Content-Range counts them."""

    start: int
    end: int

    def content_range(self, length: int) -> str:
        return f"bytes {self.start}-{self.end}/{length}"

    def of(self, body: bytes) -> bytes:
        return body[self.start:self.end + 1]


class Unsatisfiable:
    """A well-formed range that lies wholly past the end (416, Content-Range: bytes */length)."""

    @staticmethod
    def content_range(length: int) -> str:
        return f"bytes */{length}"


UNSATISFIABLE = Unsatisfiable()


def requested_range(header: str | None, length: int) -> ByteRange | Unsatisfiable | None:
    """The part of a response of `length` bytes the Range header asks for; None for the whole
    response (no header, several ranges, another unit, or a header that is not well formed,
    which the RFC says to ignore)."""
    if header is None:
        return None
    unit, sep, specs = header.partition("=")
    if not sep or unit.strip().lower() != "bytes" or "," in specs:
        return None
    match = _SPEC.fullmatch(specs.strip())
    if match is None or match.group(1) == match.group(2) == "":
        return None
    first, last = match.groups()
    if first == "":  # the last n bytes
        suffix = int(last)
        if suffix == 0 or length == 0:
            return UNSATISFIABLE
        return ByteRange(max(0, length - suffix), length - 1)
    start = int(first)
    if last != "" and int(last) < start:
        return None  # not a valid range: ignored, as the RFC says
    if start >= length:
        return UNSATISFIABLE
    end = length - 1 if last == "" else min(int(last), length - 1)
    return ByteRange(start, end)
