"""Signed, time-limited links for registration and password reset.

A token is a payload signed with SECRET_KEY and the time it was made (itsdangerous), salted by
its purpose so that a token for one job never passes for another. Nothing is stored: a
registration link is spent once its address has an account, a reset link once the password
it was made for changes (see `password_fingerprint`).

Invitation links (colleagues, contractors) are different: each is a row that can be revoked or
replaced, opened by a random token stored only as its hash; app/models/link_token.py issues,
hashes and finds them for both kinds.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any

from flask import current_app
from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

REGISTRATION = "registration"
PASSWORD_RESET = "password-reset"
# Anything longer than this is not one of our tokens (and is not worth verifying).
MAX_LENGTH = 400


class LinkExpired(Exception):
    """The link was genuine but is too old."""


class LinkInvalid(Exception):
    """The link is incomplete, changed or not one of ours."""


def _now() -> int:
    return int(time.time())


class _Signer(TimestampSigner):
    # The clock is read through _now so that tests can move it instead of sleeping.
    def get_timestamp(self) -> int:
        return _now()


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt="ddcheck." + purpose, signer=_Signer
    )


def make(purpose: str, payload: dict[str, Any]) -> str:
    """A signed token carrying `payload`, valid for `purpose` only."""
    return _serializer(purpose).dumps(payload)


def read(purpose: str, token: str | None, max_age_seconds: int) -> dict[str, Any]:
    """The payload of a token made for `purpose` at most `max_age_seconds` ago.

    Raises LinkExpired for a genuine token that is too old, LinkInvalid for anything else.
    """
    if not token or len(token) > MAX_LENGTH:
        raise LinkInvalid
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age_seconds)
    except SignatureExpired:
        raise LinkExpired from None
    except (BadData, UnicodeError, ValueError):
        raise LinkInvalid from None
    if not isinstance(payload, dict):
        raise LinkInvalid
    return payload


def password_fingerprint(user) -> str:
    """Changes whenever the user's password changes (each hash has a fresh salt).

    A reset link carries it, so the link dies once used, or once the password changed in any
    other way. It is not tied to the session version: signing out elsewhere or a role change
    leaves a reset link working. Keyed by SECRET_KEY, so the token reveals nothing of the hash.
    """
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    return hmac.new(key, user.password_hash.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
