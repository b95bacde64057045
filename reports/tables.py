"""Tables as files: CSV and XLSX (openpyxl) from a header row and rows of plain values."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Font

# A cell starting with one of these is a formula to spreadsheet programs: CSV injection.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """The table as CSV text (with a byte-order mark, so spreadsheet programs read UTF-8)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([str(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else _safe(v) for v in row])
    return out.getvalue()


def to_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """The table as an XLSX workbook of one sheet, header in bold, columns sized to fit."""
    workbook = Workbook()
    sheet = workbook.active
    # Sheet titles are at most 31 characters and may not contain []:*?/\
    sheet.title = "".join(c for c in str(title) if c not in "[]:*?/\\")[:31] or "Sheet"
    sheet.append([str(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(h)) for h in header]
    for row in rows:
        values = []
        for i, value in enumerate(row):
            if isinstance(value, datetime):
                value = value.replace(tzinfo=None)
            values.append(_safe(value))
            if i < len(widths):
                shown = value.isoformat() if isinstance(value, date) else str(value or "")
                widths[i] = max(widths[i], min(len(shown), 60))
        sheet.append(values)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = width + 2
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
