"""Invitations for colleagues to join an organisation, by a link that sets their password."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.organisation import Organisation
from app.models.types import UTCDateTime, utcnow
from app.models.user import Role, User, role_enum


def hash_token(token: str) -> str:
    """Tokens are stored only as a hash, so a copy of the database opens no invitation."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ColleagueInvitation(db.Model):
    __tablename__ = "colleague_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[Role] = mapped_column(role_enum())
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
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
        token = secrets.token_urlsafe(32)
        invitation = cls(
            organisation=organisation,
            invited_by=invited_by,
            name=name,
            email=User.normalise_email(email),
            role=role,
            token_hash=hash_token(token),
            expires_at=utcnow() + timedelta(days=days),
        )
        db.session.add(invitation)
        return invitation, token

    @classmethod
    def by_token(cls, token: str) -> ColleagueInvitation | None:
        return db.session.scalar(select(cls).where(cls.token_hash == hash_token(token)))

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
