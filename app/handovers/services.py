"""Asking a colleague to answer a question, and the list of questions waiting for someone.

A request is answered once the question has an answer saved after the request was made; the
answer itself records who gave it, so the audit trail shows who answered.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, select

from app import audit
from app.audit import AuditEvent
from app.extensions import db
from app.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Handover,
    User,
    utcnow,
)
from app.scoping import Principal


class NotAColleague(ValueError):
    """The person asked is not an assessor or admin of the assessment's organisation."""


def colleagues_for(assessment: Assessment, asker: User) -> list[User]:
    """Who may be asked: the organisation's admins and assessors, except the asker."""
    members = db.session.scalars(
        select(User)
        .where(User.organisation_id == assessment.organisation_id, User.id != asker.id)
        .order_by(User.name)
    )
    return [user for user in members if user.can_answer and user.is_active]


def hand_over_to_chosen(
    assessment: Assessment, question_key: str, *, colleague_id: str, note: str, principal: Principal
) -> Handover:
    """Hand the question to the colleague a form's choice names (NotAColleague if none)."""
    colleague = db.session.get(User, int(colleague_id)) if colleague_id.isdigit() else None
    if colleague is None:
        raise NotAColleague()
    return hand_over(assessment, question_key, colleague=colleague, note=note, principal=principal)


def hand_over(
    assessment: Assessment,
    question_key: str,
    *,
    colleague: User,
    note: str,
    principal: Principal,
) -> Handover:
    """Ask `colleague` to answer the question (replacing an earlier request for it)."""
    asker = principal.user
    if (
        asker is None
        or colleague.organisation_id != assessment.organisation_id
        or not colleague.can_answer
        or colleague.id == asker.id
    ):
        raise NotAColleague()
    request = db.session.scalar(
        select(Handover).where(
            Handover.assessment_id == assessment.id,
            Handover.question_key == question_key,
        )
    )
    if request is None:
        request = Handover(assessment_id=assessment.id, question_key=question_key)
        db.session.add(request)
    request.colleague = colleague
    request.requested_by = asker
    request.note = note.strip() or None
    request.created_at = utcnow()
    audit.record(
        assessment,
        AuditEvent.QUESTION_HANDED_OVER,
        actor=principal,
        question_key=question_key,
        new={"colleague": colleague.name, "note": request.note},
    )
    db.session.commit()
    return request


def handovers_in(assessment: Assessment) -> dict[str, Handover]:
    """The questions of an assessment handed to someone, by question."""
    rows = db.session.scalars(select(Handover).where(Handover.assessment_id == assessment.id))
    return {row.question_key: row for row in rows}


@dataclass(frozen=True)
class Waiting:
    request: Handover
    assessment: Assessment


def waiting_for(user: User) -> list[Waiting]:
    """The questions handed to this user that are not answered since, in draft assessments."""
    answered_since = (
        select(Answer.id)
        .where(
            and_(
                Answer.assessment_id == Handover.assessment_id,
                Answer.question_key == Handover.question_key,
                Answer.updated_at >= Handover.created_at,
            )
        )
        .exists()
    )
    rows = db.session.execute(
        select(Handover, Assessment)
        .join(Assessment, Assessment.id == Handover.assessment_id)
        .where(
            Handover.colleague_id == user.id,
            Assessment.organisation_id == user.organisation_id,
            Assessment.status == AssessmentStatus.DRAFT,
            ~answered_since,
        )
        .order_by(Handover.created_at)
    ).all()
    return [Waiting(request, assessment) for request, assessment in rows]
