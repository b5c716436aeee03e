"""TOML details for program files: Danish syntax errors, and where each step's keys stand."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

import tomli_w

from ..validation import clean_data

# tomllib's messages (Python 3.11) and their Danish wording; unknown ones fall back generically.
_MESSAGES = {
    "Invalid statement": "ugyldig linje",
    "Invalid value": "ugyldig værdi (husk anførselstegn om tekster)",
    "Expected '=' after a key in a key/value pair": "mangler «=» efter navnet",
    "Unclosed array": "en liste er ikke lukket med «]»",
    "Unclosed inline table": "en tabel er ikke lukket med «}»",
    "Unterminated string": "en tekst er ikke afsluttet med anførselstegn",
    "Cannot overwrite a value": "samme navn er brugt to gange",
    "Invalid initial character for a key part": "ugyldigt tegn i et navn",
    "Expected ']' at the end of a table declaration": "mangler «]» efter tabellens navn",
    "Expected ']]' at the end of an array declaration": "mangler «]]» efter tabellens navn",
    "Unescaped '\\' in a string": "en «\\» i en tekst skal skrives «\\\\»",
    "Invalid date or datetime": "ugyldig dato",
    "Invalid hex value": "ugyldig \\u-kode i en tekst",
}
_WHERE = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*$")


def syntax_error(exc: tomllib.TOMLDecodeError, text: str) -> str:
    """A Danish message for a TOML syntax error, with its line and column."""
    raw = str(exc)
    match = _WHERE.search(raw)
    what = raw[: match.start()] if match else raw
    if what in _MESSAGES:
        danish = _MESSAGES[what]
    elif what.startswith("Illegal character '\\n'"):
        danish = "en tekst mangler sit afsluttende anførselstegn"
    elif what.startswith("Cannot declare") or what.startswith("Duplicate"):
        danish = "samme navn er brugt to gange"
    elif what.startswith(("Illegal character", "Found invalid character")):
        danish = "ugyldigt tegn"
    elif what.startswith(("Cannot mutate", "Cannot redefine")):
        danish = "en tabel er defineret to gange"
    elif what.startswith("Expected"):
        danish = f"forventede {what.removeprefix('Expected ').strip()}"
    else:
        danish = what or "ukendt fejl"
    if match and match.group(1):
        where = f"linje {match.group(1)}, kolonne {match.group(2)}"
    else:
        where = f"linje {text.count(chr(10)) + 1} (til sidst)"
    return f"{where}: {danish}."


@dataclass
class StepLines:
    """Where one [[steps]] table starts and on which line each of its own keys stands."""

    header: int
    keys: dict[str, int] = field(default_factory=dict)


_STEP_HEADER = re.compile(r"^\s*\[\[\s*steps\s*\]\]\s*(#.*)?$")
_TABLE_HEADER = re.compile(r"^\s*\[")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+|\"[^\"]+\")\s*=")


def locate_steps(text: str) -> list[StepLines]:
    """The line numbers (1-based) of each [[steps]] header and its top-level keys.

    A rough scan, not a parser: it skips multi-line strings and stops collecting a step's keys
    at a nested table ([[steps.rows]]); steps written as an inline array are not found.
    """
    found: list[StepLines] = []
    in_string: str | None = None
    collecting = False
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string:
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        if _STEP_HEADER.match(line):
            found.append(StepLines(number))
            collecting = True
        elif _TABLE_HEADER.match(line) and not _KEY.match(line):
            collecting = False
        elif collecting and (key := _KEY.match(line)):
            found[-1].keys.setdefault(key.group(1).strip('"'), number)
        for quote in ('"""', "'''"):
            if line.count(quote) % 2 == 1:
                in_string = quote
                break
    return found


def dumps(data: dict[str, Any]) -> str:
    """TOML text in the library's style: multi-line strings kept readable."""
    return tomli_w.dumps(data, multiline_strings=True)


def loads(text: str) -> dict[str, Any]:
    """Parse TOML text; a syntax error becomes a ValueError with a Danish message."""
    try:
        # TOML's "\u0000" escapes reach a string; PostgreSQL refuses NUL: one rule for both.
        return clean_data(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(syntax_error(exc, text)) from exc
