"""The step form of the program editor: a kind's `fields` to form values and back."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from ..kinds import ContentError, ExerciseKind, Field
from ..validation import as_int
from .toml_io import dumps, loads

# The form input of the whole content, for kinds without `fields`.
WHOLE = "content_toml"


def _shown(kind: ExerciseKind, content: Mapping[str, Any]) -> Any:
    """The parsed content, so a field the file leaves out shows the kind's default."""
    try:
        return kind.parse(content)
    except ContentError:
        return None


def form_values(kind: ExerciseKind, content: Mapping[str, Any]) -> dict[str, Any]:
    """What each input shows for a stored content."""
    if not kind.fields:
        return {WHOLE: dumps(dict(content))}
    parsed = _shown(kind, content)
    values: dict[str, Any] = {}
    for f in kind.fields:
        value = content.get(f.name)
        if value is None and f.type in {"bool", "int", "choice"}:
            value = getattr(parsed, f.name, None)
        values[f.name] = _to_input(f, value)
    return values


def _to_input(f: Field, value: Any) -> Any:
    if f.type == "bool":
        return bool(value)
    if value is None:
        return ""
    if f.type == "lines" and isinstance(value, list | tuple):
        return "\n".join(str(v) for v in value)
    if f.type == "toml":
        return dumps({f.name: value}) if value not in ("", [], {}) else ""
    return str(value)


def content_from_form(
    kind: ExerciseKind, stored: Mapping[str, Any], form: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The content a submitted step form describes, and Danish errors by input name.

    Keys the form does not show are kept from the stored content. Empty inputs are left out,
    so the kind's default applies (and a required field says that it is missing).
    """
    errors: dict[str, str] = {}
    if not kind.fields:
        try:
            content = loads(form.get(WHOLE, ""))
        except ValueError as exc:
            return dict(stored), {WHOLE: f"Ikke gyldig TOML: {exc}"}
        content = {k: v for k, v in content.items() if k not in {"kind", "title"}}
    else:
        content = copy.deepcopy(dict(stored))
        for f in kind.fields:
            try:
                value = _from_input(f, form)
            except ValueError as exc:
                errors[f.name] = str(exc)
                continue
            if value is None:
                content.pop(f.name, None)
            else:
                content[f.name] = value
    if not errors:
        try:
            kind.parse(content)
        except ContentError as exc:
            errors[_field_for(kind, str(exc))] = str(exc)
    return content, errors


def _from_input(f: Field, form: Mapping[str, str]) -> Any:
    raw = form.get(f.name, "")
    if f.type == "bool":
        return raw not in ("", None)
    raw = raw.replace("\r\n", "\n")
    if f.type == "lines":
        return [line.strip() for line in raw.splitlines() if line.strip()] or None
    if f.type == "toml":
        if not raw.strip():
            return None
        try:
            data = loads(raw)
        except ValueError as exc:
            raise ValueError(f"«{f.label}» er ikke gyldig TOML: {exc}") from exc
        if set(data) != {f.name}:
            raise ValueError(f"«{f.label}»: skriv indholdet som [[{f.name}]]-tabeller.")
        return data[f.name]
    raw = raw.strip()
    if not raw:
        return None
    if f.type == "int":
        # A non-number is kept as text: the kind's own check names the field in its message.
        number = as_int(raw)
        return raw if number is None else number
    return raw


def _field_for(kind: ExerciseKind, message: str) -> str:
    """The input an error belongs beside: the field its «label» names, else the nested one."""
    for f in kind.fields:
        if f"«{f.label}" in message:
            return f.name
    nested = [f.name for f in kind.fields if f.type == "toml"]
    if len(nested) == 1:
        return nested[0]
    return WHOLE if not kind.fields else ""
