"""The gap report of an assessment: its model built from the database, in the reader's
language, for the page and for the PDF (which `app.report_jobs` renders, stores and serves
once per content).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as babel_gettext
from flask_babel import ngettext as babel_ngettext
from jinja2 import Environment

import questionnaires as engine
from app.assessments import queries
from app.assessments.presenters import previous_submitted
from app.content import content
from app.exports import safe_name
from app.models import Assessment
from reports import render
from reports.model import DRAFT, SUBMITTED, PlanLine, Report, Review, build_report

ENVIRONMENT_KEY = "ddcheck.report_environment"
REVIEW_PROVIDERS_KEY = "ddcheck.report_review_providers"


def register_review_provider(app, provider: Callable[[Assessment], Review | None]) -> None:
    """Let an area that reviews assessments (contractors) add its review to their reports."""
    app.extensions.setdefault(REVIEW_PROVIDERS_KEY, []).append(provider)


def review_of(assessment: Assessment) -> Review | None:
    """The review of the assessment that a registered provider knows of, if any."""
    for provider in current_app.extensions.get(REVIEW_PROVIDERS_KEY, ()):
        review = provider(assessment)
        if review is not None:
            return review
    return None


def environment() -> Environment:
    """The reports' Jinja environment, speaking the reader's language through Flask-Babel."""
    env = current_app.extensions.get(ENVIRONMENT_KEY)
    if env is None:
        env = render.make_environment(gettext=babel_gettext, ngettext=babel_ngettext)
        current_app.extensions[ENVIRONMENT_KEY] = env
    return env


def report_language() -> str:
    """The reader's language, which the report is written in."""
    locale = get_locale()
    return locale.language if locale is not None else "en"


def language_of(assessment: Assessment) -> str:
    """The assessment's own language, which its report and exports are written in."""
    code = assessment.language
    return code if code in current_app.config["LANGUAGES"] else "en"


def render_page(report: Report, **links) -> str:
    """The report as an HTML page, in the report's language whatever the reader's."""
    with force_locale(report.language):
        return render.render_html(environment(), report, for_pdf=False, **links)


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
    submitted = assessment.submitted_at if not assessment.is_draft else None
    report_date = submitted.date() if submitted is not None else (today or date.today())
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
        else _plan_lines(assessment, gaps, today or date.today()),
    )


def _plan_lines(assessment: Assessment, gaps, today: date) -> list[PlanLine]:
    from app.action_plans.services import items_of

    items = items_of(assessment)
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
