"""Downloads by format name: each format renders its subject to bytes; views send them.

A registry per kind of subject (a workshop's results, a plan): `formats.get("csv")` finds
the format, `download()` wraps its bytes in a response. No view chains `if fmt == ...`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Response


@dataclass(frozen=True)
class Format:
    """One export format: its file extension, MIME type and the function that renders it."""

    extension: str
    mimetype: str
    render: Callable[..., bytes]


class Formats:
    """The formats one kind of subject can be downloaded in, by extension."""

    def __init__(self) -> None:
        self._by_extension: dict[str, Format] = {}

    def register(self, extension: str, mimetype: str) -> Callable[[Callable[..., bytes]], Any]:
        """Decorator: make a render function (subject, **options) -> bytes a format."""

        def add(render: Callable[..., bytes]) -> Callable[..., bytes]:
            self._by_extension[extension] = Format(extension, mimetype, render)
            return render

        return add

    def get(self, extension: str) -> Format | None:
        return self._by_extension.get(extension)

    def __iter__(self):  # noqa: ANN204
        return iter(self._by_extension.values())


def download(
    fmt: Format, subject: Any, filename: str, *, inline: bool = False, **options: Any
) -> Response:
    """The rendered export as a file that no shared cache keeps.

    `inline` is for a feed a program subscribes to (a calendar): shown, revalidated.
    """
    disposition = "inline" if inline else "attachment"
    return Response(
        fmt.render(subject, **options),
        mimetype=fmt.mimetype,
        headers={
            "Content-Disposition": f'{disposition}; filename="{filename}.{fmt.extension}"',
            "Cache-Control": "no-cache" if inline else "no-store",
        },
    )


def safe_cell(text: str) -> str:
    """Keep participant text from running as a spreadsheet formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_bytes(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    """Semicolon-separated UTF-8 with a BOM: Danish Excel opens it with æ, ø and å intact."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
