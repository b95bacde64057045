"""Contractor assessments: the contractor's facts beside an assessment of kind CONTRACTOR, the
invitation links that open it without an account, and the buyer's review of each answer."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.assessment import Assessment
from app.models.link_token import LinkToken
from app.models.types import UTCDateTime, utcnow, value_enum
from app.models.user import User


class ReviewStatus(enum.StrEnum):
    """Where the buyer's review stands: in review until the buyer returns or closes it."""

    IN_REVIEW = "in-review"
    RETURNED = "returned"
    REVIEWED = "reviewed"


class Verdict(enum.StrEnum):
    ACCEPTED = "accepted"
    CLARIFY = "clarify"

    @property
    def label(self) -> str:
        return str(VERDICT_LABELS[self])


VERDICT_LABELS = {
    Verdict.ACCEPTED: _l("Accepted"),
    Verdict.CLARIFY: _l("Needs clarification"),
}


class ContractorStatus(enum.StrEnum):
    """What the buyer's list shows, worked out from the assessment and its invitation."""

    INVITED = "invited"
    OPENED = "opened"
    IN_PROGRESS = "in-progress"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    REVIEWED = "reviewed"

    @property
    def label(self) -> str:
        return str(CONTRACTOR_STATUS_LABELS[self])


CONTRACTOR_STATUS_LABELS = {
    ContractorStatus.INVITED: _l("Invited"),
    ContractorStatus.OPENED: _l("Opened"),
    ContractorStatus.IN_PROGRESS: _l("In progress"),
    ContractorStatus.SUBMITTED: _l("Submitted"),
    ContractorStatus.RETURNED: _l("Returned"),
    ContractorStatus.REVIEWED: _l("Reviewed"),
}


class ContractorAssessment(db.Model):
    """The contractor's facts for one contractor assessment (1:1 with `assessment`)."""

    __tablename__ = "contractor_assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), unique=True
    )
    contractor_name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(254))
    reference: Mapped[str | None] = mapped_column(String(200))
    deadline: Mapped[date | None] = mapped_column(Date)
    results_visible: Mapped[bool] = mapped_column(Boolean, default=False)
    # The buyer marks it reviewed only once every red flag has an accepted action.
    plan_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    review_status: Mapped[ReviewStatus] = mapped_column(
        value_enum(ReviewStatus), default=ReviewStatus.IN_REVIEW
    )
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Assessment.contractor is the way back (read-only).
    assessment: Mapped[Assessment] = relationship()

    @property
    def under_review(self) -> bool:
        """Submitted and not yet marked reviewed: the buyer may mark, return or close it."""
        return not self.assessment.is_draft and self.review_status != ReviewStatus.REVIEWED

    def status(self, answered: bool) -> ContractorStatus:
        """The list status; `answered` says whether any answer is saved."""
        if self.assessment.is_draft:
            if self.review_status == ReviewStatus.RETURNED:
                return ContractorStatus.RETURNED
            if answered:
                return ContractorStatus.IN_PROGRESS
            if self.opened_at is not None:
                return ContractorStatus.OPENED
            return ContractorStatus.INVITED
        if self.review_status == ReviewStatus.REVIEWED:
            return ContractorStatus.REVIEWED
        return ContractorStatus.SUBMITTED


class ContractorInvitation(LinkToken, db.Model):
    """One link to a contractor assessment. A new link replaces the old one, which dies."""

    __tablename__ = "contractor_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    contractor_assessment_id: Mapped[int] = mapped_column(
        ForeignKey("contractor_assessment.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The language the buyer chose for the contractor; its assessment starts in it.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")

    contractor: Mapped[ContractorAssessment] = relationship()
    created_by: Mapped[User | None] = relationship()

    @classmethod
    def issue(
        cls, contractor: ContractorAssessment, *, created_by: User | None, days: int
    ) -> tuple[ContractorInvitation, str]:
        """A new link; returns it with the plain token, which is shown only now."""
        return cls.with_new_token(days=days, contractor=contractor, created_by=created_by)

    @property
    def status(self) -> str:
        """ "open", "revoked" or "expired"."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= utcnow():
            return "expired"
        return "open"


class ReviewNote(db.Model):
    """The buyer's verdict on one answer: accepted, or needs clarification with a note."""

    __tablename__ = "review_note"
    __table_args__ = (UniqueConstraint("assessment_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    question_key: Mapped[str] = mapped_column(String(100))
    verdict: Mapped[Verdict] = mapped_column(value_enum(Verdict, 16))
    comment: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    updated_by: Mapped[User | None] = relationship()

    @classmethod
    def clarification_notes(cls, assessment_id: int) -> dict[str, str]:
        """The buyer's "needs clarification" notes on an assessment's answers, by question."""
        rows = db.session.execute(
            select(cls.question_key, cls.comment).where(
                cls.assessment_id == assessment_id, cls.verdict == Verdict.CLARIFY
            )
        )
        return {key: comment or "" for key, comment in rows}
