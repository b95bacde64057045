"""The comparison of contractors as downloads: CSV, XLSX and PDF, with the page's columns."""

from __future__ import annotations

import io

from flask import render_template
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from app.contractors.queries import Comparison
from reports import tables
from reports.charts import Bar, bar_chart
from reports.render import write_pdf


def _rounded(value: float | None) -> int | None:
    return None if value is None else round(value)


def table(comparison: Comparison) -> tuple[list[str], list[list]]:
    """The header and the rows: numbers as numbers (scores 0-100, completeness in percent)."""
    header = [
        _("Contractor"),
        _("Reference"),
        _("Status"),
        *[title for _key, title in comparison.themes],
        _("Overall score"),
        _("Band"),
        _("Verdict held"),
        _("Red flags"),
        _("Completeness (%)"),
        _("Not applicable"),
    ]
    rows = []
    for row in comparison.rows:
        rows.append(
            [
                row.contractor.contractor_name,
                row.contractor.reference or "",
                row.status.label,
                *[_rounded(row.theme_scores.get(key)) for key, _title in comparison.themes],
                _rounded(row.overall),
                row.band or "",
                row.verdict_note or "",
                row.red_flags,
                None if row.completeness is None else round(row.completeness * 100),
                row.na_count,
            ]
        )
    return header, rows


def _safe_cell(value):
    """Spreadsheets run text starting with = + - @ as a formula: keep such names as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_csv(comparison: Comparison) -> str:
    """The comparison as CSV, byte-order mark first (so Excel reads the names as UTF-8)."""
    header, rows = table(comparison)
    return tables.to_csv(header, rows)


def to_xlsx(comparison: Comparison) -> bytes:
    header, rows = table(comparison)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Comparison")[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe_cell(v) for v in row])
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 36
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def comparison_html(comparison: Comparison) -> str:
    """The comparison as HTML for its PDF: a template of its own, drawn like the gap report."""
    header, rows = table(comparison)
    chart = bar_chart(
        [Bar(row.contractor.contractor_name, row.overall) for row in comparison.rows],
        title=_("Overall score, 0 to 100"),
        no_score_text=_("no score"),
        chart_id="comparison-chart",
    )
    return render_template(
        "contractors/compare_pdf.html",
        comparison=comparison,
        header=header,
        rows=rows,
        chart_svg=chart,
    )


def to_pdf(comparison: Comparison) -> bytes:
    """The comparison as a PDF."""
    return write_pdf(comparison_html(comparison))
