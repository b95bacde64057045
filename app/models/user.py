"""Users and their roles within an organisation."""

from __future__ import annotations

import enum
from datetime import datetime
from functools import cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, Integer, String, bindparam, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models.organisation import Organisation
from app.models.types import DB_INT_MAX, UTCDateTime, utcnow, value_enum


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


# Stored instead of a hash for a removed user: no password matches it.
NO_PASSWORD = "!"


def password_method() -> str:
    """Werkzeug's hashing method; tests configure a fast one."""
    try:
        return current_app.config.get("PASSWORD_HASH_METHOD") or "scrypt"
    except RuntimeError:
        return "scrypt"


_dummy_hashes: dict[str, str] = {}


def dummy_hash() -> str:
    """A hash to check against when there is no account, so that sign-in takes as long."""
    method = password_method()
    if method not in _dummy_hashes:
        _dummy_hashes[method] = generate_password_hash("no account has this", method=method)
    return _dummy_hashes[method]


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # Stored lower-cased so that look-ups and uniqueness ignore case on every database.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(value_enum(Role, 16))
    locale: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of every session's and remember cookie's identity: raising it ends them all.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # A disabled user cannot sign in until an admin enables them again.
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A removed user is gone from the team; the row stays so that answers and the audit trail
    # keep the name (the sign-in address is freed).
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship(back_populates="users")

    def set_password(self, password: str) -> None:
        """Hash with the configured method (scrypt by default); the password is never stored."""
        self.password_hash = generate_password_hash(password, method=password_method())

    def check_password(self, password: str) -> bool:
        if not self.password_hash or self.password_hash == NO_PASSWORD:
            check_password_hash(dummy_hash(), password)  # same time as a real check
            return False
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """The session identity: the user and their session version (see end_sessions)."""
        return f"{self.id}:{self.session_version or 0}"

    def end_sessions(self) -> None:
        """End every session and remember cookie of this user (the caller commits)."""
        self.session_version = (self.session_version or 0) + 1

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None and self.removed_at is None

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
    def from_session_id(cls, session_id: str) -> User | None:
        """The user a session identity names, if that session has not been ended."""
        identity = _session_identity(session_id)
        if identity is None:
            return None
        user = db.session.scalars(_BY_ID, {"user_id": identity[0]}).first()
        return user if _holds_session(user, identity[1]) else None

    @classmethod
    def from_session_id_with_assessment(cls, session_id: str, assessment_id: int):
        """`from_session_id`, and the assessment of that id (or None) read in the same query,
        whoever may see it: the caller still decides that (`app.scoping.get_assessment`)."""
        identity = _session_identity(session_id)
        if identity is None:
            return None, None
        row = db.session.execute(
            _with_assessment(), {"user_id": identity[0], "assessment_id": assessment_id}
        ).first()
        if row is None:
            return None, None
        user, assessment = row
        return (user if _holds_session(user, identity[1]) else None), assessment

    @classmethod
    def by_email(cls, email: str) -> User | None:
        return db.session.scalar(select(cls).where(cls.email == cls.normalise_email(email)))

    @classmethod
    def email_taken(cls, email: str) -> bool:
        stmt = select(func.count()).select_from(cls).where(cls.email == cls.normalise_email(email))
        return bool(db.session.scalar(stmt))

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


# Every request of a signed-in user loads it: the statement is built once, so a request only
# binds the id (the session is new for each request, so `Session.get` would build it anew).
_BY_ID = select(User).where(User.id == bindparam("user_id"))


@cache
def _with_assessment():
    """The user and, beside it, the assessment of another id if there is one (built on first
    use: the assessment model imports this one)."""
    from app.models.assessment import Assessment

    return (
        select(User, Assessment)
        .outerjoin(Assessment, Assessment.id == bindparam("assessment_id"))
        .where(User.id == bindparam("user_id"))
    )


def _session_identity(session_id: str) -> tuple[int, int] | None:
    """(user id, session version) from a session identity, if it is well formed."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()) or len(session_id) > 40:
        return None
    if int(user_id) > DB_INT_MAX:
        return None
    return int(user_id), int(version)


def _holds_session(user: User | None, version: int) -> bool:
    """Whether the user may still use a session of this version (not ended, not disabled)."""
    return user is not None and user.is_active and (user.session_version or 0) == version
