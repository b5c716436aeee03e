"""Read the municipality's MED structure from a CSV file: every error by line, in Danish.

The file has one column per level, named in the first line, and one place per line, written
as its path from the top:

    Kommune;Område;Arbejdsplads
    Favrskov Kommune;Børn og Familie;Dagtilbud Nord
    Favrskov Kommune;Børn og Familie;Hinnerup Skole
    Favrskov Kommune;Borger og Ydelsescenteret

A line may stop early (an område without arbejdspladser yet); a parent named on several lines
is one place. Semicolons (Danish Excel), commas or tabs; UTF-8 or Excel's Windows-1252.
Parsing is all or nothing: `parse` returns every path or raises ImportProblem with every
error, so nothing is ever half imported.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ..validation import clean_text
from .tree import LEVEL_MAX, MAX_DEPTH, NAME_MAX, danish_key

MAX_LINES = 5000
SHOWN_ERRORS = 25
EXAMPLE = (
    "Kommune;Område;Arbejdsplads\n"
    "Favrskov Kommune;Børn og Familie;Dagtilbud Nord\n"
    "Favrskov Kommune;Børn og Familie;Hinnerup Skole\n"
    "Favrskov Kommune;Borger og Ydelsescenteret;Ydelseskontoret\n"
    "Favrskov Kommune;Kultur, Fritid og Ejendomme\n"
)


class ImportProblem(ValueError):
    """The file cannot be imported; `errors` are Danish, one per bad line."""

    def __init__(self, errors: list[str]) -> None:
        shown = errors[:SHOWN_ERRORS]
        if len(errors) > SHOWN_ERRORS:
            shown.append(f"… og {len(errors) - SHOWN_ERRORS} fejl mere.")
        super().__init__("\n".join(shown))
        self.errors = shown


@dataclass(frozen=True)
class Parsed:
    levels: list[str]
    # (line number, the names from the top down), one per distinct place path, file order.
    paths: list[tuple[int, tuple[str, ...]]]


def decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM), else Windows-1252 as Danish Excel saves «CSV»."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportProblem(
            ["Filen kan ikke læses som tekst. Gem den som «CSV UTF-8» i Excel, og prøv igen."]
        ) from None


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _cell(raw: str) -> str:
    return " ".join(clean_text(raw).split())


def parse(data: bytes) -> Parsed:
    text = clean_text(decode(data)).replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    first = 0
    if lines and lines[0].strip().lower().startswith("sep="):
        first = 1  # Excel's «sep=;» line
    while first < len(lines) and not lines[first].strip():
        first += 1
    if first >= len(lines):
        raise ImportProblem(["Filen er tom. Første linje skal nævne niveauerne, fx «"
                             + EXAMPLE.splitlines()[0] + "»."])  # fmt: skip
    if len(lines) - first > MAX_LINES + 1:
        raise ImportProblem([f"Filen har mere end {MAX_LINES} linjer. Del den op."])
    delimiter = _delimiter(lines[first])
    reader = csv.reader(io.StringIO("\n".join(lines[first:])), delimiter=delimiter)
    errors: list[str] = []
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ImportProblem([f"Filen kan ikke læses som CSV ({exc})."]) from None

    header = [_cell(c) for c in rows[0]]
    while header and not header[-1]:
        header.pop()
    head_no = first + 1
    if not header:
        errors.append(f"Linje {head_no}: overskriften mangler. Skriv niveauernes navne, "
                      f"fx «{EXAMPLE.splitlines()[0]}».")  # fmt: skip
    elif len(header) > MAX_DEPTH:
        errors.append(f"Linje {head_no}: højst {MAX_DEPTH} niveauer (overskriften har "
                      f"{len(header)}).")  # fmt: skip
    elif any(not name for name in header):
        errors.append(f"Linje {head_no}: et niveau i overskriften har intet navn.")
    elif any(len(name) > LEVEL_MAX for name in header):
        errors.append(f"Linje {head_no}: et niveaus navn er for langt (højst {LEVEL_MAX} tegn).")
    if errors:
        raise ImportProblem(errors)

    seen: dict[tuple[str, ...], tuple[str, ...]] = {}
    paths: list[tuple[int, tuple[str, ...]]] = []
    for offset, row in enumerate(rows[1:], start=1):
        number = head_no + offset
        cells = [_cell(c) for c in row]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue  # an empty line
        if len(cells) > len(header):
            errors.append(
                f"Linje {number}: {len(cells)} felter, men overskriften har kun {len(header)} "
                f"niveauer ({'; '.join(header)})."
            )
            continue
        gap = next((i for i, c in enumerate(cells) if not c), None)
        if gap is not None:
            after = next(i for i in range(gap + 1, len(cells)) if cells[i])
            errors.append(
                f"Linje {number}: «{header[gap]}» er tom, men «{header[after]}» er udfyldt. "
                f"Skriv hvilket {header[gap].lower()} stedet hører under."
            )
            continue
        long = next((c for c in cells if len(c) > NAME_MAX), None)
        if long is not None:
            errors.append(
                f"Linje {number}: «{long[:40]}…» er for langt til et navn (højst {NAME_MAX} tegn)."
            )
            continue
        for depth in range(1, len(cells) + 1):
            key = tuple(danish_key(n) for n in cells[:depth])
            if key not in seen:
                # The first spelling of a place wins; its parents are spelled as they were.
                parent = seen[key[:-1]] if depth > 1 else ()
                seen[key] = (*parent, cells[depth - 1])
                paths.append((number, seen[key]))
    if errors:
        raise ImportProblem(errors)
    if not paths:
        raise ImportProblem(["Filen har overskriften, men ingen steder under den."])
    return Parsed(levels=header, paths=paths)
