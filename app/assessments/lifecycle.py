"""An assessment's life: start it, put its details right, change its language, submit it,
reopen it, and start next period's from it."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from sqlalchemy import update

import questionnaires as engine
from app import audit, signals
from app.assessments.copying import copy_answers
from app.assessments.errors import AssessmentClosed, EvidenceRequired
from app.assessments.queries import (
    engine_answers,
    questionnaire_of,
    scorecard_of,
    shown_questionnaire,
)
from app.audit import AuditEvent
from app.content import content
from app.extension_points import ExtensionPoint
from app.extensions import db
from app.i18n import interface_language
from app.models import (
    Assessment,
    AssessmentStatus,
    Organisation,
    User,
    utcnow,
)
from app.scoping import Principal


def create_assessment(
    *,
    organisation: Organisation,
    questionnaire: engine.Questionnaire,
    subject: str,
    period: str | None,
    created_by: User | None,
) -> Assessment:
    """Start a draft assessment against the current version of a questionnaire."""
    assessment = Assessment(
        organisation=organisation,
        questionnaire_version=content().version_row(questionnaire),
        subject=subject,
        period=period or None,
        created_by=created_by,
        # Set from the interface at start; changeable on the overview.
        language=interface_language(),
    )
    db.session.add(assessment)
    db.session.flush()
    audit.record(assessment, AuditEvent.CREATED, actor=Principal(user=created_by))
    db.session.commit()
    return assessment


def update_details(
    assessment: Assessment, subject: str, period: str | None, principal: Principal
) -> None:
    """Change what a draft is about and its period, recorded in the history."""
    if not assessment.is_draft:
        raise ValueError("only a draft's details change")
    old = {"subject": assessment.subject, "period": assessment.period}
    new = {"subject": subject, "period": period or None}
    if old == new:
        return
    assessment.subject = subject
    assessment.period = period or None
    audit.record(assessment, AuditEvent.DETAILS, actor=principal, old=old, new=new)
    db.session.commit()


def set_language(assessment: Assessment, language: str, principal: Principal) -> None:
    """Change the language the assessment is shown in; recorded in its history."""
    if assessment.language == language:
        return
    audit.record(assessment, AuditEvent.LANGUAGE, actor=principal, language=language)
    assessment.language = language
    db.session.commit()


submitted_listeners = ExtensionPoint("submitted_listeners")
"""Another area acting once an assessment is submitted (a contractor keeps a copy of its
answers), without this package importing it: listener(assessment, principal) -> a sentence
for the person who submitted, or None."""


def register_submitted_listener(
    app: Flask, listener: Callable[[Assessment, Principal], str | None]
) -> None:
    """Let `listener` act once an assessment is submitted (see submitted_listeners)."""
    submitted_listeners.register(app, listener)


def missing_evidence(assessment: Assessment) -> list[engine.Question]:
    """The answered, applicable questions that require a document and have none, in
    questionnaire order (in the assessment's language)."""
    questionnaire = shown_questionnaire(assessment)
    if not any(q.evidence == "required" for q in questionnaire.questions):
        return []
    answers = engine_answers(assessment)
    scorecard = engine.score(questionnaire, answers)
    return [
        question
        for question in questionnaire.questions
        if question.evidence == "required"
        and scorecard.questions[question.key].answered
        and answers[question.key].evidence <= 0
    ]


def submit(
    assessment: Assessment, principal: Principal, *, require_evidence: bool = True
) -> list[str]:
    """Freeze the answers; the questionnaire version and hash are already recorded.

    Refused (EvidenceRequired) while an answered question that requires a document has none,
    unless `require_evidence` is off (a workshop's close, the demo data).
    Returns what the submitted listeners did, in sentences for the person who submitted.
    """
    if not assessment.is_draft:
        raise AssessmentClosed()
    if require_evidence and (missing := missing_evidence(assessment)):
        raise EvidenceRequired(missing)
    # Close it in the database first: this waits for answers being written right now (and
    # makes later ones fail), so every answer is in before `submitted_at`.
    closed = db.session.execute(
        update(Assessment)
        .where(Assessment.id == assessment.id, Assessment.status == AssessmentStatus.DRAFT)
        .values(status=AssessmentStatus.SUBMITTED)
        .execution_options(synchronize_session=False)
    )
    if closed.rowcount != 1:
        db.session.rollback()
        raise AssessmentClosed()
    db.session.expire(assessment, ["answers"])
    scorecard = scorecard_of(assessment)
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = utcnow()
    assessment.updated_at = assessment.submitted_at
    audit.record(
        assessment,
        AuditEvent.SUBMITTED,
        actor=principal,
        completeness=round(scorecard.completeness * 100)
        if scorecard.completeness is not None
        else None,
        questionnaire_version=assessment.questionnaire_version.version,
        content_hash=assessment.questionnaire_version.content_hash,
    )
    db.session.commit()
    signals.assessment_submitted.send(assessment)
    notes = (listener(assessment, principal) for listener in submitted_listeners.providers())
    return [note for note in notes if note]


def reopen(assessment: Assessment, principal: Principal) -> None:
    """Back to draft so that answers can change again (admins only; recorded)."""
    assessment.status = AssessmentStatus.DRAFT
    assessment.submitted_at = None
    assessment.updated_at = utcnow()
    audit.record(assessment, AuditEvent.REOPENED, actor=principal)
    db.session.commit()


def next_period(period: str | None) -> str | None:
    """The period after this one, by moving every year in it on by one ("FY 2025/26" gives
    "FY 2026/27"); None when the period names no year."""
    if not period:
        return None

    def later(match: re.Match) -> str:
        text = match.group(0)
        return str(int(text) + 1).zfill(len(text))[-len(text) :]

    moved, count = re.subn(r"(?<!\d)(\d{4}|(?<=/)\d{2})(?!\d)", later, period)
    return moved if count else None


def start_next(assessment: Assessment, principal: Principal) -> Assessment:
    """A new draft for the same subject with the previous answers filled in.

    It uses the current questionnaire version; answers to questions that no longer exist, or
    that no longer fit their question, are left out.
    """
    questionnaire = content().get(assessment.questionnaire_version.key) or questionnaire_of(
        assessment
    )
    successor = Assessment(
        organisation_id=assessment.organisation_id,
        questionnaire_version=content().version_row(questionnaire),
        subject=assessment.subject,
        # Proposed, and editable while the new assessment is a draft.
        period=next_period(assessment.period),
        created_by=principal.user,
        previous_id=assessment.id,
        language=assessment.language,
    )
    db.session.add(successor)
    db.session.flush()
    copy_answers(assessment, successor, principal)
    audit.record(successor, AuditEvent.CREATED, actor=principal, copied_from=assessment.id)
    db.session.commit()
    return successor
