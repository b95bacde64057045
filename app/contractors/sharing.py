"""Shared assessments: a contractor with an account answers once and reuses its answers.

A contractor signed in to its own organisation's account keeps a copy of every assessment it
submits through an invitation link (a submitted assessment of its own), and can fill a new
invitation's assessment from any such assessment on the same questionnaire version. Only the
answers travel: never a buyer's review notes, name or assessment, so no buyer learns of
another.
"""

from __future__ import annotations

from sqlalchemy import select

from app import audit
from app.assessments import services as assessments
from app.audit import AuditEvent
from app.extensions import db
from app.models import (
    Answer,
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    ContractorAssessment,
    QuestionnaireVersion,
    User,
    utcnow,
)
from app.scoping import Principal


class CannotReuse(Exception):
    """The assessment cannot be reused for this invitation."""


def _is_outsider(user: User | None, assessment: Assessment) -> bool:
    """A signed-in user of another organisation than the buyer's (the contractor's own)."""
    return user is not None and user.organisation_id != assessment.organisation_id


def reusable_assessments(user: User | None, assessment: Assessment) -> list[Assessment]:
    """The user's organisation's submitted assessments on the same questionnaire version."""
    if not _is_outsider(user, assessment):
        return []
    return list(
        db.session.scalars(
            select(Assessment)
            .join(QuestionnaireVersion)
            .where(
                Assessment.organisation_id == user.organisation_id,
                Assessment.kind == AssessmentKind.SELF,
                Assessment.status == AssessmentStatus.SUBMITTED,
                QuestionnaireVersion.content_hash == assessment.questionnaire_version.content_hash,
            )
            .order_by(Assessment.submitted_at.desc())
        )
    )


def reuse(target: Assessment, source_id: int, principal: Principal) -> int:
    """Fill the invitation's draft assessment with the answers of one of the user's own
    submitted assessments; the contractor then reviews, changes what it must, and submits.

    Returns the number of answers copied. Answers already given in the target are replaced.
    """
    user = principal.user
    if (
        target.id not in principal.granted
        or not target.is_draft
        or target.kind != AssessmentKind.CONTRACTOR
    ):
        raise CannotReuse()
    source = next((a for a in reusable_assessments(user, target) if a.id == source_id), None)
    if source is None:
        raise CannotReuse()
    stored = assessments.stored_answers(target)
    copied = 0
    for key, row in assessments.stored_answers(source).items():
        current = stored.get(key)
        given = assessments.AnswerInput.from_row(row)
        try:
            result = assessments.save_answer(
                target,
                key,
                given,
                base_revision=current.revision if current else 0,
                principal=principal,
            )
        except assessments.InvalidAnswer:
            continue
        copied += 1 if result.saved else 0
    audit.record(target, AuditEvent.REUSED, actor=principal, answers=copied)
    db.session.commit()
    return copied


def keep_copy(target: Assessment, principal: Principal) -> Assessment | None:
    """After a signed-in contractor submits an invitation's assessment, keep a submitted copy
    of its answers in its own organisation, so that it can reuse them for other buyers."""
    user = principal.user
    if not _is_outsider(user, target) or target.is_draft or target.id not in principal.granted:
        return None
    contractor = db.session.scalar(
        select(ContractorAssessment).where(ContractorAssessment.assessment_id == target.id)
    )
    if contractor is None:
        return None
    now = utcnow()
    copy = Assessment(
        organisation_id=user.organisation_id,
        questionnaire_version_id=target.questionnaire_version_id,
        subject=contractor.contractor_name,
        period=contractor.reference,
        kind=AssessmentKind.SELF,
        status=AssessmentStatus.SUBMITTED,
        language=target.language,
        created_by=user,
        created_at=now,
        updated_at=now,
        submitted_at=now,
    )
    db.session.add(copy)
    db.session.flush()
    for key, row in assessments.stored_answers(target).items():
        db.session.add(
            Answer(
                assessment_id=copy.id,
                question_key=key,
                value=row.value,
                na_reason=row.na_reason,
                comment=row.comment,
                basis=row.basis,
                revision=1,
                updated_at=now,
                updated_by_id=user.id,
                updated_by_label=user.name,
            )
        )
    own = Principal(user=user)
    audit.record(copy, AuditEvent.CREATED, actor=own)
    audit.record(copy, AuditEvent.SUBMITTED, actor=own)
    db.session.commit()
    return copy
