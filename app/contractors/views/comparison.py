"""The comparison of contractors: the page, and the same selection as CSV, XLSX and PDF."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.contractors import bp, exports, queries
from app.exports import attachment
from app.limits import database_id
from app.report_jobs import responses as report_downloads
from app.report_jobs import service as report_service

# Only this many of the chosen assessments are compared: more would make an unreadable page.
MAX_COMPARED = 500
FILE_STEM = "contractor-comparison"


def _comparison() -> queries.Comparison:
    ids = [database_id(value) for value in request.args.getlist("ids")[: MAX_COMPARED * 2]]
    ids = [i for i in ids if i is not None][:MAX_COMPARED]
    sort = request.args.get("sort", "-overall")[:120]
    return queries.comparison(current_user.organisation_id, ids, sort)


def _selection(comparison: queries.Comparison) -> str:
    """The compared assessments as a query string, for headings, downloads and the way back."""
    return urlencode([("ids", row.assessment.id) for row in comparison.rows])


@bp.route("/contractors/compare")
@login_required
def compare():
    result = _comparison()
    return render_template(
        "contractors/compare.html",
        comparison=result,
        selection=_selection(result),
        chart_svg=exports.comparison_chart(result),
    )


@bp.route("/contractors/compare.csv")
@login_required
def compare_csv():
    return attachment(exports.to_csv(_comparison()), f"{FILE_STEM}.csv")


@bp.route("/contractors/compare.xlsx")
@login_required
def compare_xlsx():
    return attachment(exports.to_xlsx(_comparison()), f"{FILE_STEM}.xlsx")


@bp.route("/contractors/compare.pdf", methods=["GET", "POST"])
@login_required
def compare_pdf():
    """The comparison as PDF, like the gap report: stored, rendered or queued once."""
    comparison = _comparison()
    selection = _selection(comparison)
    return report_downloads.download(
        report_service.comparison_owner(
            current_user.organisation_id, f"{selection}&sort={comparison.sort}"
        ),
        lambda: report_service.comparison_recipe(exports.comparison_html(comparison)),
        filename=f"{FILE_STEM}.pdf",
        title=_("The comparison of contractors"),
        back_url=url_for("contractors.compare") + (f"?{selection}" if selection else ""),
        back_label=_("Back to the comparison"),
    )
