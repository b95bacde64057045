"""The comparison of contractors as downloads: CSV, XLSX and PDF, with the page's columns."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from app import exports
from app.contractors.queries import Comparison
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
        _("Answers with checked evidence (%)"),
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
                None if row.evidence_checked is None else round(row.evidence_checked * 100),
            ]
        )
    return header, rows


def to_csv(comparison: Comparison) -> str:
    """The comparison as CSV, byte-order mark first (so Excel reads the names as UTF-8)."""
    return exports.to_csv(*table(comparison))


def to_xlsx(comparison: Comparison) -> bytes:
    """The comparison as an XLSX workbook, the contractors' names frozen on the left."""
    header, rows = table(comparison)
    return exports.to_xlsx(_("Comparison"), header, rows, freeze="B2", widths={"A": 36})


def comparison_chart(comparison: Comparison) -> str:
    """The overall scores as a bar chart (SVG), for the page and the PDF."""
    return bar_chart(
        [Bar(row.contractor.contractor_name, row.overall) for row in comparison.rows],
        title=_("Overall score, 0 to 100"),
        no_score_text=_("no score"),
        chart_id="comparison-chart",
    )


def comparison_html(comparison: Comparison) -> str:
    """The comparison as HTML for its PDF: a template of its own, drawn like the gap report."""
    header, rows = table(comparison)
    return render_template(
        "contractors/compare_pdf.html",
        comparison=comparison,
        header=header,
        rows=rows,
        chart_svg=comparison_chart(comparison),
    )


def to_pdf(comparison: Comparison) -> bytes:
    """The comparison as a PDF."""
    return write_pdf(comparison_html(comparison))
