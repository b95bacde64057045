"""The action plan as a table: its rows for the CSV and XLSX downloads and the
organisation's export, in the assessment's language like its report."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from app import exports
from app.action_plans import services
from app.assessments.reporting import language_of
from app.models import RESPONSE_LABELS, Assessment, utc_today


def status_labels() -> dict[str, str]:
    """The plan's statuses in words, by key."""
    return {
        "open": _("No response yet"),
        "accepted": _("Accepted"),
        "in-progress": _("In progress"),
        "declined": _("Declined"),
        "overdue": _("Overdue"),
        "done": _("Done"),
    }


def plan_table(assessment: Assessment) -> tuple[list[str], list[list]]:
    """The header and one row per gap: finding, recommended action and the response to it."""
    today = utc_today()
    labels = status_labels()
    header = [
        _("Question"),
        _("Theme"),
        _("Finding"),
        _("Recommended action"),
        _("Response"),
        _("Action"),
        _("Owner"),
        _("Due date"),
        _("Status"),
        _("Done on"),
        _("Note"),
        _("Reason for declining"),
        _("Buyer's comment"),
    ]
    rows = []
    for row in services.plan_of(assessment):
        item = row.item
        finding = row.gap.red_flag if row.is_red_flag else _("Below target")
        if row.gap.kind == "no-information":
            finding = _("No information")
        rows.append(
            [
                row.gap.question_text,
                row.gap.theme_title,
                finding,
                row.gap.action,
                str(RESPONSE_LABELS[item.response]) if item else "",
                (item.action or "") if item else "",
                (item.owner_label or "") if item else "",
                item.due_on if item else None,
                labels[row.status(today)],
                item.done_at.date() if item and item.done_at else None,
                (item.done_note or "") if item else "",
                (item.decline_reason or "") if item else "",
                (item.buyer_comment or "") if item else "",
            ]
        )
    return header, rows


def plan_csv(assessment: Assessment) -> str:
    """The plan as CSV, in the assessment's language."""
    with force_locale(language_of(assessment)):
        return exports.to_csv(*plan_table(assessment))


def plan_xlsx(assessment: Assessment) -> bytes:
    """The plan as an XLSX workbook, in the assessment's language."""
    with force_locale(language_of(assessment)):
        header, rows = plan_table(assessment)
        return exports.to_xlsx(_("Action plan"), header, rows)


def file_name(assessment: Assessment, extension: str) -> str:
    """The download's name, after the assessment's subject."""
    return f"action-plan-{exports.safe_name(assessment.subject, str(assessment.id))}.{extension}"
