"""The readers behind content fields: one per type, with Danish errors that name the field."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .content import Field

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
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
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
