"""The messages that prove an address: finishing registration, and resetting a password.

Registration sends a message to every address typed: a new address gets the link that opens
the rest of registration, an address with an account is told so (with sign-in and reset
links). A password reset link goes only to an active account, and says nothing otherwise.
The pages that ask for the address answer the same either way; only the mailbox learns more.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import gettext as _

from app import mail
from app.auth import tokens
from app.extensions import db
from app.limits import database_id
from app.models import User


class LinkRefused(Exception):
    """A link that does not work: `reason` is "expired", "used" or "invalid"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class RegistrationLink:
    """What a genuine registration link carries: the proven address, and where to go after."""

    email: str
    next: str | None


def _registration_seconds() -> int:
    return current_app.config["REGISTRATION_LINK_HOURS"] * 3600


def _reset_seconds() -> int:
    return current_app.config["PASSWORD_RESET_LINK_MINUTES"] * 60


def send_registration_mail(email: str, next_path: str | None = None) -> None:
    """Send `email` the link that finishes registration, or, when it has an account, say so."""
    user = User.by_email(email)
    if user is None:
        token = tokens.make(tokens.REGISTRATION, {"e": email, "n": next_path})
        hours = current_app.config["REGISTRATION_LINK_HOURS"]
        body = _(
            "Someone, probably you, asked to register an organisation on ddcheck with this "
            "address.\n\n"
            "Open this link to finish: you choose the organisation's name, your name and your "
            "password. It works for %(hours)s hours:\n%(link)s\n\n"
            "If this was not you, ignore this message: no account is created.\n",
            hours=hours,
            link=url_for("auth.confirm_with_token", token=token, _external=True),
        )
        mail.send(email, _("Finish registering on ddcheck"), body)
        return
    body = _(
        "Someone, probably you, asked to register on ddcheck with this address. An account "
        "with this address exists already.\n\n"
        "Sign in:\n%(sign_in)s\n\n"
        "Forgotten your password? Choose a new one:\n%(reset)s\n\n"
        "If this was not you, ignore this message: nothing has changed.\n",
        sign_in=url_for("auth.sign_in", _external=True),
        reset=url_for("auth.forgot_password", _external=True),
    )
    if not user.is_active:
        body += "\n" + _(
            "The account is disabled: ask an admin of your organisation to enable it.\n"
        )
    mail.send(email, _("You have a ddcheck account already"), body)


def read_registration_link(token: str | None) -> RegistrationLink:
    """The registration a link opens, or LinkRefused (expired, used, or invalid)."""
    payload = _payload(tokens.REGISTRATION, token, _registration_seconds())
    email, next_path = payload.get("e"), payload.get("n")
    if not isinstance(email, str) or not isinstance(next_path, str | None):
        raise LinkRefused("invalid")
    if User.email_taken(email):
        raise LinkRefused("used")
    return RegistrationLink(email=email, next=next_path)


def send_reset_mail(email: str) -> None:
    """Send a password reset link to `email` if it names an active account; nothing otherwise."""
    user = User.by_email(email)
    if user is None or not user.is_active:
        return
    token = tokens.make(
        tokens.PASSWORD_RESET, {"u": user.id, "f": tokens.password_fingerprint(user)}
    )
    body = _(
        "Someone, probably you, asked to reset the password of your ddcheck account.\n\n"
        "Open this link to choose a new password. It works once, for %(minutes)s minutes:\n"
        "%(link)s\n\n"
        "Choosing a new password signs your account out everywhere. If this was not you, "
        "ignore this message: your password stays as it is.\n",
        minutes=current_app.config["PASSWORD_RESET_LINK_MINUTES"],
        link=url_for("auth.reset_with_token", token=token, _external=True),
    )
    mail.send(user.email, _("Choose a new ddcheck password"), body)


def read_reset_link(token: str | None) -> User:
    """The account a reset link is for, or LinkRefused (expired, used, or invalid)."""
    payload = _payload(tokens.PASSWORD_RESET, token, _reset_seconds())
    user_id, fingerprint = database_id(payload.get("u")), payload.get("f")
    if user_id is None or not isinstance(fingerprint, str):
        raise LinkRefused("invalid")
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        raise LinkRefused("invalid")
    # The password changed since: the link was used, or overtaken by another change.
    if not hmac.compare_digest(fingerprint, tokens.password_fingerprint(user)):
        raise LinkRefused("used")
    return user


def _payload(kind: str, token: str | None, max_age: int) -> dict:
    """The signed content of a link, or LinkRefused saying why it no longer works."""
    try:
        return tokens.read(kind, token, max_age)
    except tokens.LinkExpired:
        raise LinkRefused("expired") from None
    except tokens.LinkInvalid:
        raise LinkRefused("invalid") from None
