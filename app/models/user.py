"""Users and their roles within an organisation."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, String, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models.organisation import Organisation
from app.models.types import UTCDateTime, utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"
    ASSESSOR = "assessor"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.ADMIN: _l("Admin"),
    Role.ASSESSOR: _l("Assessor"),
    Role.VIEWER: _l("Viewer"),
}


def role_enum() -> Enum:
    return Enum(
        Role,
        native_enum=False,
        length=16,
        validate_strings=True,
        values_callable=lambda roles: [r.value for r in roles],
    )


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # Stored lower-cased so that look-ups and uniqueness ignore case on every database.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(role_enum())
    locale: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship(back_populates="users")

    def set_password(self, password: str) -> None:
        """Hash with Werkzeug's current default (scrypt); the password itself is never stored."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def can_answer(self) -> bool:
        """Admins and assessors answer and start assessments; viewers only read."""
        return self.role in (Role.ADMIN, Role.ASSESSOR)

    @staticmethod
    def normalise_email(email: str) -> str:
        return email.strip().lower()

    @classmethod
    def by_email(cls, email: str) -> User | None:
        return db.session.scalar(select(cls).where(cls.email == cls.normalise_email(email)))

    @classmethod
    def email_taken(cls, email: str) -> bool:
        stmt = select(func.count()).select_from(cls).where(cls.email == cls.normalise_email(email))
        return bool(db.session.scalar(stmt))

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"
