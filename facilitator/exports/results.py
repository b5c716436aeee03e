"""A workshop's results: JSON for machines, CSV for Excel."""

from __future__ import annotations

import json
from typing import Any

from ..models import Workshop
from ..reading import results
from . import Formats, csv_bytes, safe_cell

RESULTS = Formats()


@RESULTS.register("json", "application/json")
def results_json(workshop: Workshop, **_: Any) -> bytes:
    data = {"workshop": workshop.title, "code": workshop.code, "steps": results(workshop)}
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")


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


@RESULTS.register("csv", "text/csv")
def results_csv(workshop: Workshop, **_: Any) -> bytes:
    rows = [
        [step["position"], safe_cell(step["title"]), step["kind_title"], key, safe_cell(value)]
        for step in results(workshop)
        for key, value in flatten(step["result"])
    ]
    return csv_bytes(["trin", "titel", "øvelse", "felt", "værdi"], rows)
