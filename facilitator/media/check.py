"""Uploaded pictures: what they are by their bytes, within limits, and SVGs made harmless.

The file name and the browser's content type are never trusted: the bytes decide. PNG and
JPEG are kept as they are (served as images with `nosniff`, they cannot run anything). An SVG
is parsed and refused when it could run or fetch anything: scripts, event attributes,
references outside the file, foreignObject, DOCTYPE/entities (so no entity expansion), or any
element outside a plain drawing's vocabulary. Editor metadata (Inkscape, comments) is dropped.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

MB = 1024 * 1024
MAX_BYTES = 2 * MB
PNG, JPEG, SVG = "image/png", "image/jpeg", "image/svg+xml"
EXTENSIONS = {PNG: "png", JPEG: "jpg", SVG: "svg"}

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# Namespaces drawing programs add for themselves: dropped, not refused.
EDITOR_NS = (
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://creativecommons.org/ns#",
    "http://purl.org/dc/elements/1.1/",
)
# A plain drawing's elements; anything else (script, foreignObject, image, a, iframe ...) is
# refused. `image` and `a` would reach outside the file; `style` may @import or url().
ALLOWED = frozenset(
    "svg g defs symbol use title desc path rect circle ellipse line polyline polygon text "  # noqa: SIM905
    "tspan textPath linearGradient radialGradient stop clipPath mask marker pattern filter "
    "feGaussianBlur feOffset feBlend feColorMatrix feFlood feComposite feMerge feMergeNode "
    "metadata switch".split()
)
DROPPED = frozenset({"metadata"})
_URL = re.compile(r"url\s*\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)


class MediaError(ValueError):
    """A picture was refused; the message is Danish and says why."""


@dataclass(frozen=True)
class Checked:
    content_type: str
    data: bytes


def check(data: bytes) -> Checked:
    """The picture as it will be stored, or MediaError saying why it is refused."""
    if not data:
        raise MediaError("Filen er tom.")
    if len(data) > MAX_BYTES:
        # Rounded up: a file just over the limit must not read "2,0 MB".
        size = f"{math.ceil(len(data) / MB * 10) / 10:.1f}".replace(".", ",")
        raise MediaError(f"Billedet fylder {size} MB, men må højst fylde 2 MB.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise MediaError("SVG-filen skal være gemt som UTF-8.")
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        return Checked(PNG, data)
    if data.startswith(b"\xff\xd8\xff"):
        return Checked(JPEG, data)
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype")):
        return Checked(SVG, clean_svg(data))
    raise MediaError("Filen er ikke et billede, vi kan vise. Brug PNG, JPEG eller SVG.")


def _refuse(what: str) -> MediaError:
    return MediaError(
        f"SVG-filen kan ikke bruges: den indeholder {what}. Gem den som PNG i stedet."
    )


def clean_svg(data: bytes) -> bytes:
    """A harmless copy of an SVG drawing, or MediaError."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MediaError("SVG-filen skal være gemt som UTF-8.") from exc
    lowered = text.lower()
    # Checked before parsing: without a DTD, no entity can be defined, so none can expand.
    if "<!doctype" in lowered or "<!entity" in lowered:
        raise _refuse("en DOCTYPE eller entiteter")
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise MediaError("SVG-filen kan ikke læses. Er den gemt korrekt?") from exc
    if root.tag != f"{{{SVG_NS}}}svg":
        raise MediaError("Filen er ikke en SVG-tegning.")
    _clean(root)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _clean(element: ET.Element) -> None:
    for child in list(element):
        if not isinstance(child.tag, str):  # comments and processing instructions
            element.remove(child)
            continue
        ns, _, local = (
            child.tag[1:].partition("}") if child.tag.startswith("{") else ("", "", child.tag)
        )
        if ns in EDITOR_NS or local in DROPPED:
            element.remove(child)
            continue
        if ns != SVG_NS:
            raise _refuse(f"et fremmed element ({local})")
        if local not in ALLOWED:
            named = {"script": "et script", "foreignObject": "et foreignObject-element"}
            raise _refuse(named.get(local, f"elementet «{local}»"))
        _clean(child)
    _clean_attributes(element)


def _clean_attributes(element: ET.Element) -> None:
    for name, value in list(element.attrib.items()):
        ns, _, local = name[1:].partition("}") if name.startswith("{") else ("", "", name)
        if ns in EDITOR_NS:
            del element.attrib[name]
            continue
        if local.lower().startswith("on"):
            raise _refuse(f"en hændelse ({local})")
        if ns not in ("", XLINK_NS, "http://www.w3.org/XML/1998/namespace"):
            raise _refuse(f"en fremmed egenskab ({local})")
        if local == "href" and not value.strip().startswith("#"):
            raise _refuse("en henvisning uden for filen")
        for target in _URL.findall(value):
            if not target.startswith("#"):
                raise _refuse("en henvisning uden for filen")
        if "javascript:" in value.lower().replace(" ", "") or "@import" in value.lower():
            raise _refuse("en henvisning uden for filen")
