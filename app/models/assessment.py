"""Assessments, their answers, the questionnaire versions they were answered against, and the
audit trail of every change."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.organisation import Organisation
from app.models.types import UTCDateTime, utcnow, value_enum
from app.models.user import User


class AssessmentStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


class AssessmentKind(enum.StrEnum):
    """Who answers: the organisation itself, a contractor it invited, or a workshop team."""

    SELF = "self"
    CONTRACTOR = "contractor"
    WORKSHOP_TEAM = "workshop-team"


STATUS_LABELS = {
    AssessmentStatus.DRAFT: _l("Draft"),
    AssessmentStatus.SUBMITTED: _l("Submitted"),
}


class QuestionnaireVersion(db.Model):
    """The exact content of a questionnaire an assessment was answered against, by content hash,
    so that its results and report can be rebuilt identically years later."""

    __tablename__ = "questionnaire_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[str] = mapped_column(String(50))
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    audience: Mapped[str] = mapped_column(String(20))
    # The snapshot (a whole questionnaire, some 200 kB of JSON) is read only when the content
    # cache does not know the version by its hash: not on every page that loads the row.
    data: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Assessment(db.Model):
    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    questionnaire_version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_version.id"))
    subject: Mapped[str] = mapped_column(String(200))
    period: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[AssessmentStatus] = mapped_column(
        value_enum(AssessmentStatus), default=AssessmentStatus.DRAFT
    )
    kind: Mapped[AssessmentKind] = mapped_column(
        value_enum(AssessmentKind), default=AssessmentKind.SELF, server_default="self"
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The assessment this one was copied from ("start next year's assessment").
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"))
    # The language its questions, report and exports are shown in, whatever the reader's.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")

    organisation: Mapped[Organisation] = relationship()
    questionnaire_version: Mapped[QuestionnaireVersion] = relationship()
    created_by: Mapped[User | None] = relationship()
    previous: Mapped[Assessment | None] = relationship(remote_side=[id])
    # The contractor's facts of a CONTRACTOR assessment (None for the other kinds). Read-only:
    # they are written through ContractorAssessment.assessment, and go with the assessment
    # by the database's ON DELETE CASCADE.
    # Named, not imported: app.models.contractor imports this module and not the reverse.
    contractor = relationship("ContractorAssessment", uselist=False, viewonly=True)
    answers: Mapped[list[Answer]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT

    @property
    def submitted_by_facilitator(self) -> bool:
        """A workshop team's answers are submitted when the facilitator closes the workshop."""
        return self.kind == AssessmentKind.WORKSHOP_TEAM

    @property
    def answered_by_owner(self) -> bool:
        """Whether the owning organisation answers it itself (a self-assessment)."""
        return self.kind == AssessmentKind.SELF


class Answer(db.Model):
    """One answer to one question. `revision` grows by one with every saved change; a save
    based on an older revision is refused, so two tabs never overwrite each other silently."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("assessment_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    question_key: Mapped[str] = mapped_column(String(100))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    na_reason: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    # How the answer is known (a basis value of the questionnaire), where the question asks.
    basis: Mapped[str | None] = mapped_column(String(40))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Who saved it, in words: a user's name, or a contractor or workshop team without account.
    updated_by_label: Mapped[str | None] = mapped_column(String(200))

    assessment: Mapped[Assessment] = relationship(back_populates="answers")


class AuditEntry(db.Model):
    """The append-only history of an assessment: answers changed, submitted, reopened, ..."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(40))
    question_key: Mapped[str | None] = mapped_column(String(100))
    old: Mapped[Any] = mapped_column(JSON, nullable=True)
    new: Mapped[Any] = mapped_column(JSON, nullable=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_label: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()
