"""One place that checks what comes in over HTTP: ids in paths, text in forms, next= targets.

Whatever a client sends must get a clear 4xx, never a 500 that differs between SQLite and
PostgreSQL: PostgreSQL refuses NUL in text and integers beyond 2^31 where SQLite shrugs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter, ValidationError

# PostgreSQL's INTEGER, the narrowest of our id and position columns.
INT_MAX = 2**31 - 1
INT_MIN = -(2**31)
# A path segment longer than this names nothing we have (tokens are 43, slugs ~40).
SEGMENT_MAX = 120
# C0 controls except tab and newlines, DEL, and C1 controls: never meaningful in a form, and
# NUL makes PostgreSQL refuse the whole statement.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_DIGITS = re.compile(r"-?[0-9]{1,10}")


def clean_text(value: str) -> str:
    """Text without NUL and control characters (tab and line breaks stay)."""
    return _CONTROL.sub("", value)


def clean_data(value: Any) -> Any:
    """Parsed data (an uploaded TOML file) with `clean_text` applied to every string in it."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): clean_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_data(v) for v in value]
    return value


def as_int(raw: Any, low: int = INT_MIN, high: int = INT_MAX) -> int | None:
    """A form value as an int within [low, high], or None: ASCII digits only, never a 500."""
    text = str(raw if raw is not None else "").strip()
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if low <= number <= high else None


def safe_next(target: str | None, fallback: str) -> str:
    """A same-site path to go on to after login, else `fallback`; never another host.

    Parsed, not pattern-matched: browsers drop tabs and newlines and read a backslash as a
    slash, so "/\\t/evil.example" or "/\\\\evil.example" would leave the site.
    """
    if not target or "\\" in target or _ANY_CONTROL.search(target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return fallback
    if parts.path.startswith("//"):
        return fallback
    return urlunsplit(("", "", parts.path, parts.query, ""))


# An answer sent over a socket: at most this many fields, each at most this long.
SOCKET_FIELDS_MAX = 40
SOCKET_VALUE_MAX = 4000


def socket_answer(msg: Any) -> tuple[int, dict[str, str]] | None:
    """The step and the cleaned fields (as a form's are) of an answer sent over a socket;
    None when the message is not one."""
    if not isinstance(msg, dict) or not isinstance(msg.get("data"), dict):
        return None
    data, step_id = msg["data"], msg.get("step")
    if not isinstance(step_id, int) or isinstance(step_id, bool):
        return None
    if len(data) > SOCKET_FIELDS_MAX or not all(
        isinstance(k, str) and isinstance(v, str) and len(v) <= SOCKET_VALUE_MAX
        for k, v in data.items()
    ):
        return None
    return step_id, {clean_text(k): clean_text(v) for k, v in data.items()}


def _cleaned(data: MultiDict[str, str]) -> ImmutableMultiDict[str, str]:
    items: Iterable[tuple[str, str]] = data.items(multi=True)
    return ImmutableMultiDict([(clean_text(k), clean_text(v)) for k, v in items])


class BoundedInt(IntegerConverter):
    """`int` in a URL, bounded to the columns' range: an id beyond it is a 404, not a 500."""

    def __init__(
        self,
        map: Any,  # Werkzeug's own parameter names
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        low = min if min is not None else (INT_MIN if signed else 0)
        super().__init__(map, fixed_digits, low, INT_MAX if max is None else max, signed)

    def to_python(self, value: str) -> int:
        # int() of thousands of digits raises ValueError; Unicode digits are not ids either.
        if len(value) > 11 or not value.lstrip("-").isascii():
            raise ValidationError()
        return super().to_python(value)  # type: ignore[no-any-return]


class CleanString(UnicodeConverter):
    """A text path segment without control characters and of a sane length."""

    def to_python(self, value: str) -> str:
        if len(value) > SEGMENT_MAX or _ANY_CONTROL.search(value):
            raise ValidationError()
        return value


class CleanPath(PathConverter):
    """A path (static files) without control characters."""

    def to_python(self, value: str) -> str:
        if len(value) > 4 * SEGMENT_MAX or _ANY_CONTROL.search(value):
            raise ValidationError()
        return value


def init_app(app: Flask) -> None:
    """Install the converters (before any blueprint) and clean every form and query."""
    app.url_map.converters.update(
        int=BoundedInt, default=CleanString, string=CleanString, path=CleanPath
    )

    @app.before_request
    def _clean_input() -> None:
        # Replaced before any view (and CSRF) reads them: one rule for SQLite and PostgreSQL.
        request.args = _cleaned(request.args)
        if request.method in {"POST", "PUT", "PATCH", "DELETE"}:
            request.form = _cleaned(request.form)
            for upload in request.files.values():
                upload.filename = clean_text(upload.filename or "")
