"""Spreadsheets for the exports: each sheet filled as text-safe cells, headed and frozen."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: its title, header row, rows and column widths."""

    title: str
    header: list[str]
    rows: Iterable[list[Any]]
    widths: Sequence[float]


def fill(sheet: Any, header: list[str], body: Iterable[list[Any]]) -> None:
    """Write the rows; text stays text and dates get Danish formats."""
    sheet.append(header)
    for values in body:
        sheet.append([None if v == "" else v for v in values])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # "=SUM(...)" typed by a participant stays text
            elif isinstance(cell.value, datetime):
                cell.number_format = "DD-MM-YYYY HH:MM"
            elif isinstance(cell.value, date):
                cell.number_format = "DD-MM-YYYY"


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook of `sheets`: bold header, wrapped cells, header frozen, filters on."""
    # openpyxl is imported when a workbook is asked for, not when the app starts.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for spec in sheets:
        ws = book.create_sheet(spec.title)
        fill(ws, spec.header, spec.rows)
        for index, width in enumerate(spec.widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
