"""The step form of the program editor: a kind's `fields` to form values and back.

Inputs are named by the content's keys; a record's inputs by "<field>.<row>.<key>" (rows
counted from 0), and each row sends its number under the field's own name, in order, so
rows can be added, removed and moved by plain form posts.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Mapping
from typing import Any

from ..content_fields import read_choice
from ..kinds import ContentError, ExerciseKind, Field, raw_records
from ..validation import as_int
from .toml_io import dumps, loads

# The form input of the whole content, for kinds without `fields`.
WHOLE = "content_toml"
MAX_ROWS = 200  # more row numbers than any kind allows: a hostile form cannot make us loop


def _shown(kind: ExerciseKind, content: Mapping[str, Any]) -> Any:
    """The parsed content, so a field the file leaves out shows the kind's default."""
    try:
        return kind.parse(content)
    except ContentError:
        return None


def form_values(kind: ExerciseKind, content: Mapping[str, Any]) -> dict[str, Any]:
    """What each input shows for a content; a records field gives one dict per row."""
    if not kind.fields:
        return {WHOLE: dumps(dict(content))}
    parsed = _shown(kind, content)
    values: dict[str, Any] = {}
    for f in kind.fields:
        value = content.get(f.name)
        if f.type == "records":
            values[f.name] = [_row_values(f, row) for row in _rows(f, value)]
            continue
        if value is None and f.type in {"bool", "int", "choice"}:
            value = getattr(parsed, f.name, None)
        values[f.name] = _to_input(f, value)
    return values


def _rows(f: Field, value: Any) -> list[Mapping[str, Any]]:
    """The stored records as tables (a quick-form text read as rows); none if unreadable."""
    try:
        rows = raw_records(f, value, f.label)
    except ContentError:
        return []
    return [row if isinstance(row, Mapping) else {} for row in rows]


def _row_values(f: Field, row: Mapping[str, Any]) -> dict[str, Any]:
    values = {}
    for part in f.parts:
        value = row.get(part.name)
        values[part.name] = _to_input(part, part.default if value is None else value)
    return values


def _to_input(f: Field, value: Any) -> Any:
    if f.type == "bool":
        return bool(value)
    if value is None:
        return ""
    if f.type == "choice":
        # Another spelling the file may have ("x", "Tilfældig", 2): the option it means.
        with contextlib.suppress(ContentError):
            value = read_choice(f, value, f.label)
    if f.type == "lines" and f.read is not None and not isinstance(value, str):
        # Another shape than lines (tip13's labels as a 1/X/2 table): show what it means.
        with contextlib.suppress(ContentError):
            value = f.read(value, f.label) or value
    if f.type == "lines" and isinstance(value, list | tuple):
        return "\n".join(str(v) for v in value)
    return str(value)


def read_form(
    kind: ExerciseKind, stored: Mapping[str, Any], form: Mapping[str, str]
) -> dict[str, Any]:
    """The content a submitted form describes, blank rows included (as empty tables).

    Keys the form does not show are kept from the stored content. Empty inputs are left out,
    so the kind's default applies (and a required field says that it is missing).
    """
    content = copy.deepcopy(dict(stored))
    for f in kind.fields:
        if f.type == "records":
            order = _row_numbers(form, f.name)
            if order is None:
                continue  # the form does not show this field: keep what is stored
            value: Any = [_read_row(f, form, number) for number in order] or None
        else:
            value = _from_input(f, form, f.name)
        if value is None:
            content.pop(f.name, None)
        else:
            content[f.name] = value
    return content


def content_from_form(
    kind: ExerciseKind, stored: Mapping[str, Any], form: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The content to save from a submitted form, and Danish errors by input name.

    Blank rows are dropped; the errors' rows count the rows that are kept.
    """
    if not kind.fields:
        try:
            content = loads(form.get(WHOLE, ""))
        except ValueError as exc:
            return dict(stored), {WHOLE: f"Ikke gyldig TOML: {exc}"}
        content = {k: v for k, v in content.items() if k not in {"kind", "title"}}
    else:
        content = read_form(kind, stored, form)
        for f in kind.fields:
            if f.type == "records" and isinstance(content.get(f.name), list):
                content[f.name] = [row for row in content[f.name] if row] or None
                if content[f.name] is None:
                    content.pop(f.name)
    try:
        kind.parse(content)
    except ContentError as exc:
        return content, {_input_of(kind, path): message for path, message in exc.errors.items()}
    return content, {}


def edit_rows(kind: ExerciseKind, content: dict[str, Any], op: str) -> tuple[dict[str, Any], str]:
    """Add ("add:rows"), remove or move ("up:rows:2", "down:rows:2") a row of a records field.

    Returns the content and the row to put the focus in ("" when none is left).
    """
    action, _, rest = op.partition(":")
    name, _, number = rest.partition(":")
    f = next((f for f in kind.fields if f.name == name and f.type == "records"), None)
    rows = content.get(name)
    rows = list(rows) if isinstance(rows, list) else []
    if f is None:
        return content, ""
    if action == "add" and len(rows) < f.max_items:
        rows.append({})
        return {**content, name: rows}, f"{name}.{len(rows) - 1}"
    if not (number.isascii() and number.isdigit()) or not 0 <= int(number) < len(rows):
        return content, ""
    index = int(number)
    if action == "remove":
        del rows[index]
        return {**content, name: rows}, f"{name}.{min(index, len(rows) - 1)}" if rows else ""
    target = index + {"up": -1, "down": 1}.get(action, 0)
    if target != index and 0 <= target < len(rows):
        rows[index], rows[target] = rows[target], rows[index]
    return {**content, name: rows}, f"{name}.{target if 0 <= target < len(rows) else index}"


def _row_numbers(form: Mapping[str, str], name: str) -> list[str] | None:
    """The row numbers a records field sent, in order; None when the form has no such field."""
    if name not in form:
        return None
    sent = form.getlist(name) if hasattr(form, "getlist") else [form[name]]
    numbers = [n for n in dict.fromkeys(sent) if n.isascii() and n.isdigit()]
    return numbers[:MAX_ROWS]


def _read_row(f: Field, form: Mapping[str, str], number: str) -> dict[str, Any]:
    """One row's table: filled inputs only, and checkboxes that differ from their default."""
    row = {}
    for part in f.parts:
        value = _from_input(part, form, f"{f.name}.{number}.{part.name}")
        if value is not None and not (part.type == "bool" and value == bool(part.default)):
            row[part.name] = value
    return row


def _from_input(f: Field, form: Mapping[str, str], name: str) -> Any:
    raw = form.get(name, "") or ""
    if f.type == "bool":
        return raw != ""
    raw = raw.replace("\r\n", "\n")
    if f.type == "lines":
        return [line.strip() for line in raw.splitlines() if line.strip()] or None
    raw = raw.strip()
    if not raw:
        return None
    if f.type == "int":
        # A non-number is kept as text: the field's own check names the field in its message.
        number = as_int(raw)
        return raw if number is None else number
    return raw


def _input_of(kind: ExerciseKind, path: str) -> str:
    """The input an error belongs beside: its own path if the form has it, else the top."""
    if not kind.fields:
        return WHOLE
    name, *rest = path.split(".")
    f = next((f for f in kind.fields if f.name == name), None)
    if f is None:
        return ""
    if f.type != "records" or not rest or not rest[0].isdigit():
        return name
    if len(rest) == 1 or rest[1] not in {p.name for p in f.parts}:
        return f"{name}.{rest[0]}"
    return f"{name}.{rest[0]}.{rest[1]}"
