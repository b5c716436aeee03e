"""Content fields: how a kind's content is read, checked and shown in the program editor."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .validation import as_int


class ContentError(ValueError):
    """The instructor's content for a step does not parse; the message is Danish."""


FieldType = Literal["text", "textarea", "lines", "int", "bool", "choice", "toml"]


@dataclass(frozen=True)
class Field:
    """One content field as the program editor shows it: a form input with a Danish label.

    Types: "text" (one line), "textarea", "lines" (a list of texts, one per line), "int",
    "bool" (a checkbox), "choice" (one of `choices`, pairs of value and Danish label) and
    "toml" (a nested structure such as tip13's rows, edited as TOML text).
    """

    name: str
    label: str
    type: FieldType = "text"
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()


# ---- readers for parse() -------------------------------------------------------------------


def text(
    raw: Mapping[str, Any], key: str, label: str, *, required: bool = True, max_len: int = 2000
) -> str:
    """Read a text field, stripped, with a Danish error naming the field."""
    value = raw.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ContentError(f"«{label}» skal være en tekst.")
    value = value.strip()
    if required and not value:
        raise ContentError(f"«{label}» mangler.")
    if len(value) > max_len:
        raise ContentError(f"«{label}» er for lang (højst {max_len} tegn).")
    return value


def integer(
    raw: Mapping[str, Any], key: str, label: str, *, default: int, low: int, high: int
) -> int:
    """Read a whole number within bounds, with a Danish error naming the field."""
    value = raw.get(key, default)
    if isinstance(value, str) and as_int(value) is not None:  # "²" is a digit to isdigit()
        value = as_int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ContentError(f"«{label}» skal være et helt tal.")
    if not low <= value <= high:
        raise ContentError(f"«{label}» skal være mellem {low} og {high}.")
    return value


def text_list(
    raw: Mapping[str, Any], key: str, label: str, *, max_items: int = 30, max_len: int = 300
) -> list[str]:
    """Read a list of short texts (a TOML array or one per line)."""
    value = raw.get(key, [])
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ContentError(f"«{label}» skal være en liste af tekster.")
    items = [v.strip() for v in value if v.strip()]
    if len(items) > max_items:
        raise ContentError(f"«{label}» må højst have {max_items} punkter.")
    for item in items:
        if len(item) > max_len:
            raise ContentError(f"Et punkt i «{label}» er for langt (højst {max_len} tegn).")
    return items


def flag(raw: Mapping[str, Any], key: str, *, default: bool = False) -> bool:
    """Read a yes/no setting (TOML bool or a form checkbox)."""
    value = raw.get(key, default)
    if isinstance(value, str):
        return value.lower() in {"1", "true", "on", "ja", "yes"}
    return bool(value)
