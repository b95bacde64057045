"""Shared assessments: a contractor with an account answers once and reuses its answers.

A contractor signed in to its own organisation's account keeps a copy of every assessment it
submits through an invitation link (a submitted assessment of its own), and can fill a new
invitation's assessment from any such assessment on the same questionnaire version. Only the
answers travel: never a buyer's review notes, name or assessment, so no buyer learns of
another.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.assessments.copying import copy_answers
from app.audit import AuditEvent
from app.extensions import db
from app.models import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
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
    copied = copy_answers(source, target, principal, as_typed=True)
    audit.record(target, AuditEvent.REUSED, actor=principal, answers=copied)
    db.session.commit()
    return copied


def keep_copy(target: Assessment, principal: Principal) -> Assessment | None:
    """After a signed-in contractor submits an invitation's assessment, keep a submitted copy
    of its answers in its own organisation, so that it can reuse them for other buyers."""
    user = principal.user
    if not _is_outsider(user, target) or target.is_draft or target.id not in principal.granted:
        return None
    contractor = target.contractor
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
    own = Principal(user=user)
    copy_answers(target, copy, own)
    audit.record(copy, AuditEvent.CREATED, actor=own)
    audit.record(copy, AuditEvent.SUBMITTED, actor=own)
    db.session.commit()
    return copy


def keep_copy_on_submit(target: Assessment, principal: Principal) -> str | None:
    """Listens to every submission: a signed-in contractor keeps a copy (see `keep_copy`), and
    is told so."""
    if keep_copy(target, principal) is None:
        return None
    return _("A copy of your answers is kept in your account for reuse.")
