"""Workshops: a facilitator's training exercise that teams join with a code, and its teams.

Each team answers its own assessment (kind workshop-team) owned by the facilitator's
organisation, so the answering pages, autosave and the audit trail are the assessment's own.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.assessment import Assessment, QuestionnaireVersion
from app.models.organisation import Organisation
from app.models.types import UTCDateTime, utcnow
from app.models.user import User


class Workshop(db.Model):
    __tablename__ = "workshop"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    questionnaire_version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_version.id"))
    title: Mapped[str] = mapped_column(String(200))
    case_text: Mapped[str | None] = mapped_column(Text)
    # Unique among open workshops (checked when a code is drawn); a closed one keeps its code.
    join_code: Mapped[str] = mapped_column(String(6), index=True)
    # Teams see their result against the group once the workshop closes.
    reveal_at_end: Mapped[bool] = mapped_column(Boolean, default=True)
    revealed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The most teams that may join (None: no limit), set by the facilitator.
    max_teams: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # The teams' language: their pages, questions and results.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")

    organisation: Mapped[Organisation] = relationship()
    questionnaire_version: Mapped[QuestionnaireVersion] = relationship()
    created_by: Mapped[User | None] = relationship()
    teams: Mapped[list[WorkshopTeam]] = relationship(
        back_populates="workshop", order_by="WorkshopTeam.id"
    )

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class WorkshopTeam(db.Model):
    """A team of participants, without accounts; it answers its one assessment."""

    __tablename__ = "workshop_team"
    __table_args__ = (UniqueConstraint("workshop_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(60))
    # The name folded to lower case and single spaces: "Team A" and "team  a" are one name.
    name_key: Mapped[str] = mapped_column(String(60))
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    workshop: Mapped[Workshop] = relationship(back_populates="teams")
    assessment: Mapped[Assessment] = relationship()
