"""Questions handed to a colleague: who was asked to answer what, and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.assessment import Assessment
from app.models.types import UTCDateTime, utcnow
from app.models.user import User


class Handover(db.Model):
    """A question of an assessment handed to a colleague of the same organisation to answer."""

    __tablename__ = "handover"
    __table_args__ = (UniqueConstraint("assessment_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    question_key: Mapped[str] = mapped_column(String(100))
    colleague_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assessment: Mapped[Assessment] = relationship()
    colleague: Mapped[User] = relationship(foreign_keys=[colleague_id])
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
