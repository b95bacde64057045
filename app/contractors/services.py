"""Operations on contractor assessments: create and invite, new links, review, return.

Every review action is appended to the assessment's audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select, update

import questionnaires as engine
from app import audit, signals
from app.audit import AuditEvent
from app.content import content
from app.extensions import db
from app.models import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    AuditEntry,
    ContractorAssessment,
    ContractorInvitation,
    Organisation,
    ReviewNote,
    ReviewStatus,
    User,
    Verdict,
    utcnow,
)
from app.scoping import Principal
from reports.model import ReportedNote, Review


class NotPossibleNow(Exception):
    """The action does not fit the assessment's state (for example, it is not submitted)."""


class PlanIncomplete(Exception):
    """The buyer requires an accepted action for every red flag, and some have none."""

    def __init__(self, red_flags: list):
        super().__init__(f"{len(red_flags)} red flag(s) without an accepted action")
        self.red_flags = red_flags


@dataclass(frozen=True)
class NewContractor:
    """What the buyer gives when inviting a contractor."""

    contractor_name: str
    contact_email: str
    reference: str | None
    questionnaire: engine.Questionnaire
    deadline: date | None
    results_visible: bool
    plan_required: bool = False
    language: str = "en"  # the invitation's, and the contractor's assessment's at start


def create(
    organisation: Organisation, given: NewContractor, *, created_by: User
) -> tuple[ContractorAssessment, str]:
    """A draft contractor assessment and its first invitation link (returned as plain token)."""
    assessment = Assessment(
        organisation=organisation,
        questionnaire_version=content().version_row(given.questionnaire),
        subject=given.contractor_name,
        period=given.reference or None,
        kind=AssessmentKind.CONTRACTOR,
        created_by=created_by,
        language=given.language,
    )
    db.session.add(assessment)
    db.session.flush()
    contractor = ContractorAssessment(
        assessment=assessment,
        contractor_name=given.contractor_name,
        contact_email=given.contact_email.strip().lower(),
        reference=given.reference or None,
        deadline=given.deadline,
        results_visible=given.results_visible,
        plan_required=given.plan_required,
    )
    db.session.add(contractor)
    db.session.flush()
    principal = Principal(user=created_by)
    audit.record(
        assessment,
        AuditEvent.CREATED,
        actor=principal,
        contractor=given.contractor_name,
        email=contractor.contact_email,
    )
    _invitation, token = _issue(contractor, created_by)
    db.session.commit()
    return contractor, token


def _issue(contractor: ContractorAssessment, user: User | None) -> tuple[ContractorInvitation, str]:
    now = utcnow()
    db.session.execute(
        update(ContractorInvitation)
        .where(
            ContractorInvitation.contractor_assessment_id == contractor.id,
            ContractorInvitation.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    invitation, token = ContractorInvitation.issue(
        contractor, created_by=user, days=current_app.config["CONTRACTOR_INVITATION_DAYS"]
    )
    # A new link keeps the language the contractor answers in.
    invitation.language = contractor.assessment.language
    db.session.flush()
    audit.record(
        contractor.assessment,
        AuditEvent.LINK_ISSUED,
        actor=Principal(user=user),
        expires=invitation.expires_at.date().isoformat(),
    )
    return invitation, token


def new_link(contractor: ContractorAssessment, user: User) -> tuple[ContractorInvitation, str]:
    """Reissue the link: the old link stops working at once."""
    invitation, token = _issue(contractor, user)
    db.session.commit()
    return invitation, token


def revoke(contractor: ContractorAssessment, user: User) -> None:
    """Stop every link of this contractor assessment from working."""
    db.session.execute(
        update(ContractorInvitation)
        .where(
            ContractorInvitation.contractor_assessment_id == contractor.id,
            ContractorInvitation.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )
    audit.record(contractor.assessment, AuditEvent.LINK_REVOKED, actor=Principal(user=user))
    db.session.commit()


def current_invitation(contractor: ContractorAssessment) -> ContractorInvitation | None:
    """The newest link of the contractor assessment."""
    return db.session.scalar(
        select(ContractorInvitation)
        .where(ContractorInvitation.contractor_assessment_id == contractor.id)
        .order_by(ContractorInvitation.created_at.desc(), ContractorInvitation.id.desc())
        .limit(1)
    )


def review_notes(assessment_id: int) -> dict[str, ReviewNote]:
    """The buyer's marks on the answers, by question key."""
    rows = db.session.scalars(select(ReviewNote).where(ReviewNote.assessment_id == assessment_id))
    return {row.question_key: row for row in rows}


def mark_answer(
    contractor: ContractorAssessment,
    question_key: str,
    verdict: Verdict,
    comment: str,
    user: User,
) -> None:
    """Accept an answer or ask for clarification, with a comment (recorded in the history)."""
    assessment = contractor.assessment
    if contractor.review_status == ReviewStatus.REVIEWED:
        raise NotPossibleNow()
    mark = review_notes(assessment.id).get(question_key)
    old = {"verdict": mark.verdict.value, "comment": mark.comment} if mark else None
    comment = comment.strip()[:5000] or None
    if mark is None:
        mark = ReviewNote(assessment_id=assessment.id, question_key=question_key)
        db.session.add(mark)
    mark.verdict = verdict
    mark.comment = comment
    mark.updated_at = utcnow()
    mark.updated_by_id = user.id
    new = {"verdict": verdict.value, "comment": comment}
    if old != new:
        audit.record(
            assessment,
            AuditEvent.REVIEW,
            actor=Principal(user=user),
            question_key=question_key,
            old=old,
            new=new,
        )
    db.session.commit()
    signals.review_changed.send(assessment)


def accept_unmarked(contractor: ContractorAssessment, question_keys: list[str], user: User) -> int:
    """Accept every answer of `question_keys` not marked yet; returns how many were accepted.

    Marks already given (accepted or needing clarification) are left as they are.
    """
    assessment = contractor.assessment
    if not contractor.under_review:
        raise NotPossibleNow()
    marks = review_notes(assessment.id)
    accepted = 0
    for key in question_keys:
        if key in marks:
            continue
        db.session.add(
            ReviewNote(
                assessment_id=assessment.id,
                question_key=key,
                verdict=Verdict.ACCEPTED,
                comment=None,
                updated_at=utcnow(),
                updated_by_id=user.id,
            )
        )
        audit.record(
            assessment,
            AuditEvent.REVIEW,
            actor=Principal(user=user),
            question_key=key,
            new={"verdict": Verdict.ACCEPTED.value, "comment": None},
        )
        accepted += 1
    db.session.commit()
    signals.review_changed.send(assessment)
    return accepted


def return_to_contractor(contractor: ContractorAssessment, user: User) -> None:
    """Reopen a submitted assessment for the contractor, recorded with the review notes."""
    assessment = contractor.assessment
    if not contractor.under_review:
        raise NotPossibleNow()
    notes = ReviewNote.clarification_notes(assessment.id)
    assessment.status = AssessmentStatus.DRAFT
    assessment.submitted_at = None
    assessment.updated_at = utcnow()
    contractor.review_status = ReviewStatus.RETURNED
    audit.record(assessment, AuditEvent.RETURNED, actor=Principal(user=user), notes=notes)
    db.session.commit()


def mark_reviewed(contractor: ContractorAssessment, user: User) -> None:
    """Close the review of a submitted assessment."""
    if not contractor.under_review:
        raise NotPossibleNow()
    if contractor.plan_required:
        from app.action_plans.services import red_flags_without_action

        missing = red_flags_without_action(contractor.assessment)
        if missing:
            raise PlanIncomplete(missing)
    contractor.review_status = ReviewStatus.REVIEWED
    contractor.reviewed_at = utcnow()
    audit.record(contractor.assessment, AuditEvent.REVIEWED, actor=Principal(user=user))
    db.session.commit()
    signals.review_changed.send(contractor.assessment)


def report_review(assessment: Assessment) -> Review | None:
    """The review status and the per-answer marks, for the gap report of a contractor
    assessment; None before the contractor first submits (there is nothing to review yet)."""
    if assessment.kind != AssessmentKind.CONTRACTOR:
        return None
    contractor = assessment.contractor
    if contractor is None:
        return None
    if assessment.is_draft and contractor.review_status != ReviewStatus.RETURNED:
        return None
    status = contractor.review_status
    if status == ReviewStatus.RETURNED and not assessment.is_draft:
        status = ReviewStatus.IN_REVIEW  # returned, answered and submitted again
    status = status.value
    reviewer = ""
    if contractor.review_status == ReviewStatus.REVIEWED:
        reviewer = (
            db.session.scalar(
                select(AuditEntry.actor_label)
                .where(
                    AuditEntry.assessment_id == assessment.id,
                    AuditEntry.event == AuditEvent.REVIEWED.value,
                )
                .order_by(AuditEntry.id.desc())
                .limit(1)
            )
            or ""
        )
    marks = review_notes(assessment.id)
    return Review(
        reviewer=reviewer,
        reviewed_on=contractor.reviewed_at.date() if contractor.reviewed_at else None,
        note="",
        status=status,
        notes=tuple(
            ReportedNote(key, mark.verdict.value, mark.comment)
            for key, mark in sorted(marks.items())
        ),
    )
