"""Files handed to the browser as downloads: CSV and XLSX tables, their cells and file names.

Every download goes through here, so that one rule keeps spreadsheet formulas out of them
(CSV injection, as OWASP describes it): a text cell that starts with = + - @, a tab or a
carriage return, also after leading spaces, is something a spreadsheet program may run. In CSV
such a cell gets a leading apostrophe; in XLSX it is stored as text marked "quote prefix", so
it shows and reads back unchanged and is never evaluated, not even once edited.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from flask import Response
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

MIMETYPES = {
    # Werkzeug adds "; charset=utf-8" to text types itself: naming it here would say it twice.
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "json": "application/json",
    "zip": "application/zip",
}

# A text cell starting with one of these is a formula to spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Written first in every CSV, so that spreadsheet programs read it as UTF-8.
BOM = "\ufeff"
# Sheet titles are at most 31 characters and may not contain []:*?/\
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def is_formula_like(value: Any) -> bool:
    """True for text a spreadsheet program could run as a formula (spaces before it count)."""
    return isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: None as empty, formula-like text behind an apostrophe."""
    if value is None:
        return ""
    return "'" + value if is_formula_like(value) else value


def to_csv(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """The table as CSV text, byte-order mark first, every cell made inert."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow([csv_cell(str(h)) for h in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()


def _xlsx_value(value: Any) -> Any:
    # XLSX has no time zones: the time as it was recorded (UTC), without its offset.
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def write_cell(cell: Cell, value: Any) -> Cell:
    """Put `value` into an XLSX cell; formula-like text stays text (see the module)."""
    cell.value = _xlsx_value(value)
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def append_row(sheet: Worksheet, values: Sequence[Any]) -> None:
    """Append a row to an XLSX sheet; formula-like text stays text, as in `write_cell`."""
    sheet.append([_xlsx_value(value) for value in values])
    for cell, value in zip(sheet[sheet.max_row], values, strict=False):
        if is_formula_like(value):
            cell.data_type = "s"
            cell.quotePrefix = True


def sheet_title(text: str, fallback: str = "Sheet") -> str:
    """A title Excel accepts for a sheet."""
    return _SHEET_UNSAFE.sub(" ", str(text)).strip()[:31].rstrip() or fallback


def to_xlsx(
    title: str,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    freeze: str = "A2",
    widths: dict[str, float] | None = None,
) -> bytes:
    """The table as an XLSX workbook of one sheet, header in bold, columns sized to fit
    (`widths` sets chosen columns instead, by letter)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(title)
    append_row(sheet, [str(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    fitted = [len(str(h)) for h in header]
    for row in rows:
        append_row(sheet, row)
        for i, value in enumerate(row[: len(fitted)]):
            shown = value.isoformat() if isinstance(value, date) else str(value or "")
            fitted[i] = max(fitted[i], min(len(shown), 60))
    for i, width in enumerate(fitted, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = width + 2
    for letter, width in (widths or {}).items():
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = freeze
    return save(workbook)


def save(workbook: Workbook) -> bytes:
    """The workbook as the bytes of an XLSX file."""
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def safe_name(text: str, fallback: str, length: int = 60) -> str:
    """Part of a file name from free text: letters and digits joined by single dashes."""
    cleaned = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-_")[:length].strip("-_")
    return cleaned or fallback


def _ascii_name(filename: str) -> str:
    """The file name in ASCII letters, digits, dots and dashes, for browsers that read no
    RFC 5987 name (accents dropped, other letters replaced)."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r"[^A-Za-z0-9.]+", "-", plain).strip("-.") or "download"
    return f"{plain}.{extension}" if extension else plain


def content_disposition(filename: str) -> str:
    """`attachment` with the file name: quoted ASCII, plus the UTF-8 name per RFC 5987 (RFC
    6266) when it has other characters."""
    fallback = _ascii_name(filename)
    if fallback == filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def attachment(body: bytes | str, filename: str) -> Response:
    """A download of `body` named `filename`; the type follows the file's extension."""
    response = Response(body, mimetype=MIMETYPES[filename.rsplit(".", 1)[-1]])
    response.headers["Content-Disposition"] = content_disposition(filename)
    return response
