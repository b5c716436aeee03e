"""A workshop's results: JSON for machines, CSV for Excel."""

from __future__ import annotations

import json
from typing import Any

from ..kinds import kind_of
from ..models import Workshop
from ..reading import results, step_view
from . import Formats, csv_bytes, safe_cell

RESULTS = Formats()


@RESULTS.register("json", "application/json")
def results_json(workshop: Workshop, **_: Any) -> bytes:
    data = {"workshop": workshop.title, "code": workshop.code, "steps": results(workshop)}
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")


@RESULTS.register("csv", "text/csv")
def results_csv(workshop: Workshop, **_: Any) -> bytes:
    """One row per answer (or per count where answers are private): readable Danish, no paths."""
    rows = []
    for step in workshop.steps:
        kind = kind_of(step)
        for row in kind.export_rows(step_view(workshop, step)):
            cells = [step.title, kind.title, row.table, row.question, row.answer]
            rows.append([step.position + 1, *(safe_cell(c) for c in cells)])
    return csv_bytes(["trin", "titel", "øvelse", "bord", "spørgsmål", "svar"], rows)
