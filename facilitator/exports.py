"""Downloads of a workshop's results: JSON for machines, CSV for Excel."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from flask import Response

from .models import Workshop
from .workshops import results


def _download(body: str, mimetype: str, filename: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def results_json(workshop: Workshop) -> Response:
    data = {"workshop": workshop.title, "code": workshop.code, "steps": results(workshop)}
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return _download(body, "application/json", f"resultater-{workshop.code}.json")


def flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Nested results as (key path, text) pairs, one CSV row each."""
    if isinstance(value, dict):
        rows = []
        for key, inner in value.items():
            rows += flatten(inner, f"{prefix}.{key}" if prefix else str(key))
        return rows
    if isinstance(value, list):
        rows = []
        for index, inner in enumerate(value, start=1):
            rows += flatten(inner, f"{prefix}[{index}]")
        return rows
    return [(prefix, "" if value is None else str(value))]


def safe_cell(text: str) -> str:
    """Keep participant text from running as a spreadsheet formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def results_csv(workshop: Workshop) -> Response:
    """Semicolon-separated UTF-8 with a BOM: Danish Excel opens it with æ, ø and å intact."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["trin", "titel", "øvelse", "felt", "værdi"])
    for step in results(workshop):
        for key, value in flatten(step["result"]):
            writer.writerow(
                [step["position"], safe_cell(step["title"]), step["kind"], key, safe_cell(value)]
            )
    return _download("\ufeff" + out.getvalue(), "text/csv", f"resultater-{workshop.code}.csv")
