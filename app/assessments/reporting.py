"""The gap report of an assessment: its model built from the database, in the reader's
language, for the page and for the PDF (which `app.report_jobs` renders, stores and serves
once per content). The areas above assessments add their part through extension points: the
buyer's review (contractors) and the action plan (action plans).
"""

from __future__ import annotations

from datetime import date
from functools import partial

from flask import Flask, current_app
from flask_babel import force_locale

import questionnaires as engine
from app import signals
from app.assessments import queries
from app.assessments.presenters import previous_submitted
from app.content import content
from app.evidence.report import report_evidence
from app.exports import safe_name
from app.extension_points import ExtensionPoint
from app.extensions import db
from app.models import Assessment, AssessmentKind, utc_today
from app.report_jobs import layout, tasks
from app.report_jobs import service as report_service
from reports import render
from reports.model import DRAFT, SUBMITTED, PlanLine, Report, Review, build_report

reviews = ExtensionPoint("report_review")
"""The buyer's review of an assessment (app.contractors): provider(assessment) -> Review | None."""
action_plan_items = ExtensionPoint("action_plan_items")
"""An assessment's action plan (app.action_plans): provider(assessment) -> {question key: item}."""


def init_app(app: Flask) -> None:
    """Render an assessment's gap report ahead of its download after each change to it."""
    signals.assessment_submitted.connect(_prerender_after_submit)
    signals.action_plan_changed.connect(_prerender_after_change)
    signals.review_changed.connect(_prerender_after_change)


def review_of(assessment: Assessment) -> Review | None:
    """The review of the assessment that a registered provider knows of, if any."""
    return reviews.first(assessment)


def language_of(assessment: Assessment) -> str:
    """The assessment's own language, which its report and exports are written in."""
    code = assessment.language
    return code if code in current_app.config["LANGUAGES"] else "en"


def render_page(report: Report, **links) -> str:
    """The report as an HTML page, in the report's language whatever the reader's."""
    with force_locale(report.language):
        return render.render_html(layout.environment(), report, for_pdf=False, **links)


def report_of(
    assessment: Assessment, *, today: date | None = None, review: Review | None = None
) -> Report:
    """The report model of an assessment, compared with the previous one of its subject.

    A submitted assessment's report is dated on the day it was submitted, so it stays the same
    document however often it is downloaded; a draft's report carries today's date.
    """
    # In the assessment's language: its translation has the same keys and scores.
    questionnaire = queries.shown_questionnaire(assessment)
    scorecard = engine.score(questionnaire, queries.engine_answers(assessment))
    gaps = engine.find_gaps(scorecard, match=content().match)
    if review is None:
        review = review_of(assessment)
    previous = previous_submitted(assessment)
    previous_scorecard = (
        engine.score(
            content().in_language(queries.questionnaire_of(previous), assessment.language),
            queries.engine_answers(previous),
        )
        if previous is not None
        else None
    )
    documents = report_evidence(assessment)
    submitted = assessment.submitted_at if not assessment.is_draft else None
    report_date = submitted.date() if submitted is not None else (today or utc_today())
    return build_report(
        questionnaire,
        scorecard,
        gaps,
        subject=assessment.subject,
        assessing_organisation=assessment.organisation.name,
        period=assessment.period,
        status=DRAFT if assessment.is_draft else SUBMITTED,
        started=assessment.created_at,
        submitted=submitted,
        report_date=report_date,
        language=language_of(assessment),
        read_resource=partial(content().read, language=language_of(assessment)),
        previous_scorecard=previous_scorecard,
        previous_submitted=previous.submitted_at if previous is not None else None,
        review=review,
        action_plan=None
        if assessment.is_draft
        else _plan_lines(assessment, gaps, today or utc_today()),
        evidence=documents.attached if documents is not None else None,
        documents=documents.documents if documents is not None else (),
    )


def _plan_lines(assessment: Assessment, gaps, today: date) -> list[PlanLine]:
    items = action_plan_items.first(assessment, default={})
    lines = []
    for gap in gaps:
        item = items.get(gap.question_key)
        lines.append(
            PlanLine(
                question_key=gap.question_key,
                question_number="",
                question_text=gap.question_text,
                kind=gap.kind,
                response=item.response.value if item else None,
                action=item.action if item else None,
                decline_reason=item.decline_reason if item else None,
                owner=item.owner_label if item else None,
                due_on=item.due_on if item else None,
                done_on=item.done_at.date() if item and item.done_at else None,
                done_note=item.done_note if item else None,
                overdue=bool(item and item.is_overdue(today)),
            )
        )
    return lines


def download_name(report: Report) -> str:
    """A file name for the PDF: subject and date, in characters every system accepts."""
    return (
        f"gap-report-{safe_name(report.subject, 'assessment')}-{report.report_date.isoformat()}.pdf"
    )


def prepare_gap_report(assessment_id: int, language: str) -> None:
    """The job that queues the render of an assessment's gap report as it stands now (if it is
    not stored yet); queued after a change, run by a worker."""
    with tasks.as_reader(language):
        assessment = db.session.get(Assessment, assessment_id)
        if assessment is None:
            return
        report_service.request_render(
            report_service.assessment_owner(assessment_id),
            report_service.gap_report_recipe(report_of(assessment)),
        )


def _prerender_after_submit(assessment: Assessment, **_) -> None:
    # Teams' reports are not rendered ahead: closing a workshop submits every team at once.
    if assessment.kind != AssessmentKind.WORKSHOP_TEAM:
        _prerender_after_change(assessment)


def _prerender_after_change(assessment: Assessment, **_) -> None:
    report_service.prerender(
        prepare_gap_report, assessment.id, report_service.assessment_owner(assessment.id)
    )
