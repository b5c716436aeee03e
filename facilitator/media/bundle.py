"""Pictures in a program's TOML file: a [media] table of base64 text, one entry per picture.

Why base64 inside the TOML rather than a zip of TOML + images: the program stays one text
file that the existing import form, the library and an e-mail attachment all handle as
before, and the import needs no archive handling (no zip bombs, no paths to sanitise). The
cost is a third more bytes, bounded by the 2 MB a picture may have. A step names its
picture as "<sha256>.<ext>", the key of its entry in [media].
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .check import EXTENSIONS, MediaError, check
from .store import find, save

REF = re.compile(r"([0-9a-f]{64})\.(png|jpg|svg)")
MEDIA_KEY = "media"
LINE = 76  # base64 wrapped like MIME, so the file stays readable in an editor


def refs(contents: Iterable[Mapping[str, Any]], fields: Iterable[str] = ("image",)) -> list[str]:
    """The picture references in steps' content, in order, each once."""
    names = tuple(fields)
    found = [c.get(f) for c in contents for f in names]
    return list(dict.fromkeys(r for r in found if isinstance(r, str) and REF.fullmatch(r)))


def table(references: Iterable[str]) -> dict[str, dict[str, str]]:
    """The [media] table for a file: each stored picture's type and base64 text."""
    out: dict[str, dict[str, str]] = {}
    for ref in references:
        row = find(ref[:64])
        if row is None:
            continue  # gone from the database: the import will say which step lacks it
        text = base64.b64encode(row.data).decode("ascii")
        wrapped = "\n".join(text[i : i + LINE] for i in range(0, len(text), LINE))
        out[ref] = {"type": row.content_type, "data": wrapped + "\n"}
    return out


def take(data: Mapping[str, Any], wanted: Iterable[str], owner_id: int | None) -> dict[str, str]:
    """Store the file's pictures that steps use; returns file reference -> stored reference.

    Each picture is checked again as if uploaded: the file may have been edited by hand.
    """
    entries = data.get(MEDIA_KEY) or {}
    if not isinstance(entries, Mapping):
        raise MediaError("«media» i filen skal være en tabel af billeder.")
    mapping: dict[str, str] = {}
    for ref in wanted:
        entry = entries.get(ref)
        if not isinstance(entry, Mapping):
            if find(ref[:64]) is not None:  # already here (an export from this installation)
                mapping[ref] = ref
                continue
            raise MediaError(f"Billedet «{ref[:12]}…» mangler i filens [media].")
        try:
            raw = base64.b64decode("".join(str(entry.get("data", "")).split()), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise MediaError(f"Billedet «{ref[:12]}…» i filen er ikke gyldig base64.") from exc
        checked = check(raw)
        row = save(checked, owner_id)
        mapping[ref] = f"{row.sha256}.{EXTENSIONS[checked.content_type]}"
    return mapping
