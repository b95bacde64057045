"""Reading the mail the app sent (the test outbox), and registering through it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from app import mail
from tests import factories

REGISTRATION = {
    "organisation_name": "Northbridge Council",
    "organisation_kind": "buyer",
    "name": "Ana Buyer",
    "password": factories.PASSWORD,
    "confirm": factories.PASSWORD,
}


def messages(app, to: str | None = None) -> list[mail.SentMail]:
    """The messages sent so far (to one address, if given), oldest first."""
    return [m for m in mail.outbox(app) if to is None or m.to == to]


def last(app, to: str) -> mail.SentMail:
    sent = messages(app, to)
    assert sent, f"no message was sent to {to}"
    return sent[-1]


def links(message: mail.SentMail) -> list[str]:
    """The links in a message, as paths on this site (what a test client opens)."""
    found = re.findall(r"https?://\S+", message.body)
    return [urlsplit(url)._replace(scheme="", netloc="").geturl() for url in found]


def registration_link(app, to: str) -> str:
    """The link that finishes registration, from the last message to `to`."""
    (link,) = [path for path in links(last(app, to)) if path.startswith("/register/confirm/")]
    return link


def register(client, app, email: str = "ana@example.org", **fields):
    """Register through the confirmation message; returns the answer to the last form."""
    client.post("/register", data={"email": email})
    client.get(registration_link(app, email.strip().lower()))
    return client.post("/register/confirm", data={**REGISTRATION, **fields})
