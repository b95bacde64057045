"""Invitations for colleagues to join an organisation, by a link that sets their password."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.link_token import LinkToken
from app.models.organisation import Organisation
from app.models.types import UTCDateTime, utcnow, value_enum
from app.models.user import Role, User


class ColleagueInvitation(LinkToken, db.Model):
    __tablename__ = "colleague_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[Role] = mapped_column(value_enum(Role, 16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()
    invited_by: Mapped[User | None] = relationship()

    @classmethod
    def issue(
        cls,
        *,
        organisation: Organisation,
        invited_by: User,
        name: str,
        email: str,
        role: Role,
        days: int,
    ) -> tuple[ColleagueInvitation, str]:
        """Create an invitation; returns it with the plain token, which is shown only once."""
        return cls.with_new_token(
            days=days,
            organisation=organisation,
            invited_by=invited_by,
            name=name,
            email=User.normalise_email(email),
            role=role,
        )

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= utcnow():
            return "expired"
        return "open"

    @property
    def is_open(self) -> bool:
        return self.status == "open"
