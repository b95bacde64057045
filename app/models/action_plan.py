"""The action plan of a submitted assessment: the organisation's response to each gap."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.assessment import Assessment
from app.models.types import UTCDateTime, utcnow, value_enum
from app.models.user import User


class ActionResponse(enum.StrEnum):
    """How the organisation answers a recommendation of its gap report."""

    ACCEPTED = "accepted"
    IN_PROGRESS = "in-progress"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return str(RESPONSE_LABELS[self])


RESPONSE_LABELS = {
    ActionResponse.ACCEPTED: _l("Accepted"),
    ActionResponse.IN_PROGRESS: _l("Already in progress"),
    ActionResponse.DECLINED: _l("Declined"),
}


class ActionItem(db.Model):
    """One gap of a submitted assessment and what the organisation will do about it."""

    __tablename__ = "action_item"
    __table_args__ = (UniqueConstraint("assessment_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    question_key: Mapped[str] = mapped_column(String(100))
    response: Mapped[ActionResponse] = mapped_column(value_enum(ActionResponse))
    # What the organisation will do (accepted, in progress) or why not (declined).
    action: Mapped[str | None] = mapped_column(Text)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # A contractor answering through an invitation link names its owner in words.
    owner_name: Mapped[str | None] = mapped_column(String(200))
    due_on: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # For a contractor assessment: the buyer's comment on the contractor's response.
    buyer_comment: Mapped[str | None] = mapped_column(Text)
    buyer_comment_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    buyer_comment_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    assessment: Mapped[Assessment] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    buyer_comment_by: Mapped[User | None] = relationship(foreign_keys=[buyer_comment_by_id])

    @property
    def owner_label(self) -> str | None:
        """Who owns the action, in words."""
        return self.owner.name if self.owner is not None else self.owner_name

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today: date) -> bool:
        """Accepted or in progress, not done, and past its due date."""
        return (
            self.response != ActionResponse.DECLINED
            and not self.is_done
            and self.due_on is not None
            and self.due_on < today
        )
