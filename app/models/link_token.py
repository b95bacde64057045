"""Links that work by a random token stored only as its hash: colleague and contractor
invitations. (Registration and password-reset links store nothing: see app/auth/tokens.py.)"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any, Self

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow

# 32 random bytes, URL-safe: 43 characters in the link.
TOKEN_BYTES = 32


def hash_token(token: str) -> str:
    """Tokens are stored only as a hash, so a copy of the database opens no link."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class LinkToken:
    """A row opened by a link: the token's hash and when the link stops working."""

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    @classmethod
    def with_new_token(cls, *, days: int, **fields: Any) -> tuple[Self, str]:
        """A new row (added to the session) valid for `days`, and its plain token, which is
        shown only now."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        row = cls(
            token_hash=hash_token(token), expires_at=utcnow() + timedelta(days=days), **fields
        )
        db.session.add(row)
        return row, token

    @classmethod
    def by_token(cls, token: str) -> Self | None:
        """The row the token opens, whatever its state; None for a token that is not ours."""
        return db.session.scalar(select(cls).where(cls.token_hash == hash_token(token)))
