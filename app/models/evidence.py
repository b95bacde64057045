"""Evidence: the documents an organisation attaches to its answers, and the buyer's check.

A document (`EvidenceFile`) belongs to one assessment's document library and names its content
by sha256; the content itself (the blob) lives in the evidence storage under that hash and is
shared by every row with the same hash, in any assessment. A document is attached to answers
through `EvidenceLink`, one row per answer, so one upload can back several answers.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow, value_enum
from app.models.user import User


class EvidenceCheck(enum.StrEnum):
    """The buyer's verdict on one answer's evidence."""

    CHECKED = "checked"
    NOT_SUPPORTING = "not-supporting"

    @property
    def label(self) -> str:
        return str(EVIDENCE_CHECK_LABELS[self])


EVIDENCE_CHECK_LABELS = {
    EvidenceCheck.CHECKED: _l("Evidence checked"),
    EvidenceCheck.NOT_SUPPORTING: _l("Evidence does not support the answer"),
}


class EvidenceFile(db.Model):
    """One document in an assessment's document library."""

    __tablename__ = "evidence_file"
    # The same content is one document per assessment.
    __table_args__ = (UniqueConstraint("assessment_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    # The blob's name in storage: content-addressed and shared across assessments (a reused
    # response or next year's assessment gets new rows pointing at the same blob, never a copy).
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(200))
    document_date: Mapped[date | None] = mapped_column(Date)
    filename: Mapped[str] = mapped_column(String(255))  # sanitised original name
    media_type: Mapped[str] = mapped_column(String(100))  # detected from the content
    size: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Who uploaded it without an account (a contractor's invitation link).
    uploaded_by_label: Mapped[str | None] = mapped_column(String(200))
    # The assessment it came from with a reused response or "start next year's assessment";
    # shown "from the earlier assessment" until the owner confirms it (confirming clears it).
    carried_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment.id", ondelete="SET NULL")
    )

    uploaded_by: Mapped[User | None] = relationship()
    links: Mapped[list[EvidenceLink]] = relationship(
        back_populates="evidence",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="EvidenceLink.id",
    )

    @property
    def carried(self) -> bool:
        """Came from an earlier assessment and is not confirmed yet."""
        return self.carried_from_id is not None


class EvidenceLink(db.Model):
    """One document attached to one answer, with the buyer's check of it."""

    __tablename__ = "evidence_link"
    __table_args__ = (UniqueConstraint("evidence_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_file.id", ondelete="CASCADE"), index=True
    )
    # Denormalised from the document, so that per-assessment questions need no join.
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    question_key: Mapped[str] = mapped_column(String(100))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    check: Mapped[EvidenceCheck | None] = mapped_column(value_enum(EvidenceCheck, 16))
    check_note: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    evidence: Mapped[EvidenceFile] = relationship(back_populates="links")
    checked_by: Mapped[User | None] = relationship()
