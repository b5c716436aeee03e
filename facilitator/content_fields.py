"""Content fields: what a field is, and the reader of each type with Danish errors naming it."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

FieldType = Literal["text", "textarea", "lines", "int", "bool", "choice", "records"]
SPEC = "facilitator.content"  # the key of a field's declaration in dataclass metadata
TRUE_WORDS = {"1", "true", "on", "ja", "yes"}


class ContentError(ValueError):
    """The instructor's content does not parse; Danish messages keyed by the field they are about.

    `field` is the path of the first problem ("statement", or "rows.1.answer" inside records,
    counted from 0), `errors` holds every problem found by path; str() is the first message.
    """

    def __init__(self, message: str, field: str = "", errors: Mapping[str, str] | None = None):
        super().__init__(message)
        self.field = field
        self.errors: dict[str, str] = dict(errors) if errors else {field: message}


@dataclass(frozen=True)
class Field:
    """One content field: its key, Danish label, editor input and the limits its value keeps.

    Types: "text" (one line), "textarea", "lines" (a list of texts, one per line), "int",
    "bool" (a checkbox), "choice" (one of `choices`, pairs of stored value and Danish label)
    and "records" (a list of `record` dataclasses, such as tip13's rows, edited as rows of
    inputs). `default` applies when the value is missing or empty.
    """

    name: str
    label: str
    type: FieldType = "text"
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = False
    default: Any = None
    max_len: int = 2000
    low: int = 0
    high: int = 0
    allowed: tuple[int, ...] = ()
    max_items: int = 30
    # Other spellings a choice accepts (Danish words, older values), each with its value.
    aliases: tuple[tuple[str, str], ...] = ()
    # A reader of its own for a value with more shapes than the type has (tip13's labels).
    read: Callable[[Any, str], Any] | None = None
    # Seldom filled in (a row's own labels): the editor folds it away while it is empty.
    rare: bool = False
    # Records: the dataclass of one record, its Danish name ("Række", numbered in messages),
    # "én række" for "mindst én række", the plural, and a reader of the one-box quick form.
    record: type | None = None
    item: str = ""
    one: str = ""
    plural: str = ""
    from_text: Callable[[str], list[Any]] | None = None

    @property
    def parts(self) -> tuple[Field, ...]:
        """The fields of one record (records only)."""
        return fields_of(self.record) if self.record is not None else ()

    @property
    def main(self) -> str | None:
        """The record field a plain text fills (reflection: a question given as a text)."""
        return getattr(self.record, "main_field", None)


@functools.cache
def fields_of(cls: type) -> tuple[Field, ...]:
    """The declared content fields of a dataclass, in order, named by their keys."""
    return tuple(
        dataclasses.replace(f.metadata[SPEC], name=f.name)
        for f in dataclasses.fields(cls)
        if SPEC in f.metadata
    )


def join(prefix: str, key: str) -> str:
    """The path of `key` inside `prefix` ("rows" + "1.answer")."""
    return f"{prefix}.{key}" if key else prefix


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_text(f: Field, value: Any, label: str) -> str:
    """A text, stripped; empty gives the default, or "mangler" when required."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ContentError(f"«{label}» skal være en tekst.")
    value = value.strip()
    if len(value) > f.max_len:
        raise ContentError(f"«{label}» er for lang (højst {f.max_len} tegn).")
    if not value:
        if f.required:
            raise ContentError(f"«{label}» mangler.")
        return f.default or ""
    return value


def read_int(f: Field, value: Any, label: str) -> int:
    """A whole number within bounds (a TOML number or a form's digits); empty: the default."""
    if _blank(value):
        return f.default
    # ASCII digits only, and short: "²" is a digit to isdigit(), and int("9" * 5000) is slow.
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,12}", value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise ContentError(f"«{label}» skal være et helt tal.")
    if not f.low <= value <= f.high:
        raise ContentError(f"«{label}» skal være mellem {f.low} og {f.high}.")
    if f.allowed and value not in f.allowed:
        raise ContentError(f"«{label}» skal være {_or([str(a) for a in f.allowed])}.")
    return value


def read_lines(f: Field, value: Any, label: str) -> list[str]:
    """A list of short texts (a TOML array, or one per line); empty gives the default."""
    if value is None:
        value = []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ContentError(f"«{label}» skal være en liste af tekster.")
    items = [v.strip() for v in value if v.strip()]
    if len(items) > f.max_items:
        raise ContentError(f"«{label}» må højst have {f.max_items} punkter.")
    for item in items:
        if len(item) > f.max_len:
            raise ContentError(f"Et punkt i «{label}» er for langt (højst {f.max_len} tegn).")
    return items or list(f.default or ())


def read_bool(f: Field, value: Any, label: str) -> bool:
    """A yes/no setting: a TOML bool, or a form checkbox's value."""
    if value is None:
        return bool(f.default)
    if isinstance(value, str):
        return value.strip().lower() in TRUE_WORDS
    return bool(value)


def read_choice(f: Field, value: Any, label: str) -> str:
    """One of the choices, by stored value, Danish label or alias (any case)."""
    if _blank(value):
        if f.default is None:
            raise ContentError(f"«{label}» mangler.")
        return f.default
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        wanted = value.strip().casefold()
        for stored, shown in f.choices:
            if wanted in (stored.casefold(), shown.casefold()):
                return stored
        for alias, stored in f.aliases:
            if wanted == alias.casefold():
                return stored
    shown_all = [f"«{shown}»" for _stored, shown in f.choices]
    raise ContentError(f"«{label}» skal være {_or(shown_all)}.")


def raw_records(f: Field, value: Any, label: str) -> list[Any]:
    """The records as given: a list, the one-box quick form, texts for the main field."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        quick: Callable[[str], list[Any]] = f.from_text or str.splitlines
        value = [v for v in quick(value) if not isinstance(v, str) or v.strip()]
    if not isinstance(value, list | tuple):
        raise ContentError(f"«{label}» skal være en liste af {f.plural}.")
    main = f.main
    return [{main: v} if main and isinstance(v, str) else v for v in value]


def _or(words: list[str]) -> str:
    """Danish enumeration: "a, b eller c"."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " eller " + words[-1]


READERS: dict[str, Callable[[Field, Any, str], Any]] = {
    "text": read_text,
    "textarea": read_text,
    "int": read_int,
    "lines": read_lines,
    "bool": read_bool,
    "choice": read_choice,
}
