"""Content schemas: each field is declared once and drives parsing, Danish errors and the editor.

A kind's content is a dataclass whose fields are declared with the helpers below
(`text_field`, `int_field`, `records_field` ...). `parse_content(Cls, raw)` reads and checks
every field and `fields_of(Cls)` gives the program editor its inputs. A content class may
define `checked(self)` for the rules that span fields (scale: as many labels as points): it
returns the content, possibly completed, or raises ContentError naming the field.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from .content_fields import (
    READERS,
    SPEC,
    ContentError,
    Field,
    FieldType,
    fields_of,
    join,
    raw_records,
)

__all__ = [
    "ContentError",
    "Field",
    "bool_field",
    "choice_field",
    "field_error",
    "fields_of",
    "int_field",
    "lines_field",
    "parse_content",
    "raw_records",
    "records_field",
    "text_field",
]

T = TypeVar("T")


def _declare(spec: Field, default: Any = None, factory: Callable[[], Any] | None = None) -> Any:
    """A dataclass field carrying its declaration (the dataclass default is a fallback only)."""
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata={SPEC: spec})
    return dataclasses.field(default=default, metadata={SPEC: spec})


def text_field(
    label: str,
    *,
    help: str = "",
    required: bool = False,
    default: str = "",
    max_len: int = 2000,
    area: bool = False,
    rare: bool = False,
) -> Any:
    """A text: one line, or several (`area`) in a textarea; `rare` folds it in the editor."""
    kind: FieldType = "textarea" if area else "text"
    spec = Field(
        "", label, kind, help, required=required, default=default, max_len=max_len, rare=rare
    )
    return _declare(spec, default)


def int_field(
    label: str, *, default: int, low: int, high: int, allowed: tuple[int, ...] = (), help: str = ""
) -> Any:
    """A whole number from `low` to `high` (and one of `allowed`, when given)."""
    spec = Field("", label, "int", help, default=default, low=low, high=high, allowed=allowed)
    return _declare(spec, default)


def bool_field(label: str, *, default: bool = False, help: str = "") -> Any:
    """A yes/no setting, a checkbox in the editor."""
    return _declare(Field("", label, "bool", help, default=default), default)


def choice_field(
    label: str,
    choices: tuple[tuple[str, str], ...],
    *,
    default: str | None = None,
    aliases: tuple[tuple[str, str], ...] = (),
    help: str = "",
) -> Any:
    """One of `choices` (stored value, Danish label); without a default it must be chosen."""
    spec = Field(
        "", label, "choice", help, choices, required=default is None, default=default,
        aliases=aliases,
    )  # fmt: skip
    return _declare(spec, default)


def lines_field(
    label: str,
    *,
    default: Any = (),
    max_items: int = 30,
    max_len: int = 300,
    read: Callable[[Any, str], Any] | None = None,
    rare: bool = False,
    help: str = "",
) -> Any:
    """A list of short texts, one per line in the editor; empty gives `default`."""
    spec = Field(
        "", label, "lines", help, default=default, max_len=max_len, max_items=max_items,
        read=read, rare=rare,
    )  # fmt: skip
    if read is not None:
        return _declare(spec, default)
    return _declare(spec, factory=lambda: list(default))


def records_field(
    label: str,
    record: type,
    *,
    item: str,
    one: str,
    plural: str,
    required: bool = False,
    max_items: int = 30,
    from_text: Callable[[str], list[Any]] | None = None,
    help: str = "",
) -> Any:
    """A list of records, each a `record` dataclass whose fields are declared the same way."""
    spec = Field(
        "", label, "records", help, required=required, max_items=max_items, record=record,
        item=item, one=one, plural=plural, from_text=from_text,
    )  # fmt: skip
    return _declare(spec, factory=list)


def field_error(cls: type, name: str, problem: str) -> ContentError:
    """An error about one field of `cls` for `checked` rules: "«<its label>» <problem>"."""
    label = next(f.label for f in fields_of(cls) if f.name == name)
    return ContentError(f"«{label}» {problem}", name)


def _label(f: Field, where: str, main: str | None) -> str:
    """The label an error names: "Række 2: forklaring" inside a record, else the field's own."""
    if not where:
        return f.label
    if f.name == main:
        return where
    return f"{where}: {f.label[:1].lower()}{f.label[1:]}"


def parse_content(cls: type[T], raw: Mapping[str, Any], where: str = "") -> T:
    """Read every declared field of `cls` from `raw`, then the class's own `checked` rules.

    Raises ContentError with every problem found, keyed by the field's path; `where` names
    the record being read ("Række 2"), for the labels in its messages.
    """
    if not isinstance(raw, Mapping):
        raise ContentError("Indholdet skal være en tabel af felter.")
    main = getattr(cls, "main_field", None) if where else None
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in fields_of(cls):
        label = _label(f, where, main) if where else f.label
        try:
            if f.type == "records":
                values[f.name] = _records(f, raw.get(f.name), label)
            elif f.read is not None:
                value = f.read(raw.get(f.name), label)
                values[f.name] = f.default if value is None else value
            else:
                values[f.name] = READERS[f.type](f, raw.get(f.name), label)
        except ContentError as exc:
            errors.update({join(f.name, key): message for key, message in exc.errors.items()})
    if errors:
        first = next(iter(errors))
        raise ContentError(errors[first], first, errors)
    content = cls(**values)
    check = getattr(content, "checked", None)
    return check() if callable(check) else content


def _records(f: Field, value: Any, label: str) -> list[Any]:
    """Each record parsed with its number in its messages; every record's errors collected."""
    items = raw_records(f, value, label)
    if not items and f.required:
        raise ContentError(f"«{label}» mangler: skriv mindst {f.one}.")
    if len(items) > f.max_items:
        raise ContentError(
            f"«{label}» må højst have {f.max_items} {f.plural}, men har {len(items)}. "
            f"Slet nogle, så der er højst {f.max_items}."
        )
    parsed: list[Any] = []
    errors: dict[str, str] = {}
    assert f.record is not None
    for index, item in enumerate(items):
        try:
            if not isinstance(item, Mapping):
                shape = "en tekst eller en tabel" if f.main else "en tabel"
                raise ContentError(f"«{f.item} {index + 1}» skal være {shape}.")
            try:
                parsed.append(parse_content(f.record, item))
            except ContentError:
                # Read again, naming the record in the messages (only when something is wrong).
                parse_content(f.record, item, f"{f.item} {index + 1}")
        except ContentError as exc:
            errors.update({join(str(index), key): msg for key, msg in exc.errors.items()})
    if errors:
        first = next(iter(errors))
        raise ContentError(errors[first], first, errors)
    return parsed
