"""Small pictures for the tests, made here so no binary file is kept in the repository."""

from __future__ import annotations

import struct
import zlib


def png(width: int = 2, height: int = 2, extra: bytes = b"") -> bytes:
    """A valid PNG of the size given; `extra` bytes in a private chunk make it bigger."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    parts = [chunk(b"IHDR", header), chunk(b"IDAT", zlib.compress(raw))]
    if extra:
        parts.append(chunk(b"prVt", extra))
    return b"\x89PNG\r\n\x1a\n" + b"".join(parts) + chunk(b"IEND", b"")


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"

SVG = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" viewBox="0 0 100 60" '
    'inkscape:version="1.3">'
    "<!-- drawn by hand -->"
    "<title>Årshjulet</title>"
    '<defs><linearGradient id="g"><stop offset="0" stop-color="#c00"/></linearGradient></defs>'
    '<rect width="100" height="60" fill="url(#g)"/>'
    '<use xlink:href="#g"/>'
    '<text x="5" y="30" style="font-size: 8px">Møde i MED</text>'
    "</svg>"
)
