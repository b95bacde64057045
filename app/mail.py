"""Sending mail, off the request path.

`send()` is the one way out. With MAIL_SERVER set, the message goes to a small pool of
background threads that talk SMTP, so that no request waits for the mail server, and the time
an answer takes tells nothing about whether a message was sent. Failures are logged.

Without MAIL_SERVER nothing is sent: in development the whole message (with its links) is
written to the server log, so that `make run` can register and reset passwords; elsewhere the
log names only the recipient and subject. Under TESTING every message is kept, at once, in an
in-memory outbox (`outbox()`) that tests read.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import EmailMessage

from flask import Flask, current_app

OUTBOX = "ddcheck.mail.outbox"
# Two threads: mail is rare, and one slow server should not hold up the next message.
WORKERS = 2
SMTP_TIMEOUT = 10

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


@dataclass(frozen=True)
class SentMail:
    """A message as the outbox keeps it."""

    to: str
    subject: str
    body: str


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def outbox(app: Flask | None = None) -> list[SentMail]:
    """The messages sent so far under TESTING, oldest first."""
    app = app or current_app._get_current_object()
    return app.extensions.setdefault(OUTBOX, [])


def send(to: str, subject: str, body: str) -> bool:
    """Send a plain-text message without waiting for it.

    Returns whether the message was handed on for sending (False without MAIL_SERVER, where
    callers show links on screen instead). Never raises for a mail problem.
    """
    config = current_app.config
    if config.get("TESTING"):
        outbox().append(SentMail(to, subject, body))
        return mail_configured()
    if not mail_configured():
        if config.get("ENV_NAME") == "development":
            current_app.logger.warning(
                "Mail is not configured; this message was not sent.\nTo: %s\nSubject: %s\n\n%s",
                to,
                subject,
                body,
            )
        else:
            current_app.logger.warning(
                "Mail is not configured (MAIL_SERVER); a message to %s was not sent: %s",
                to,
                subject,
            )
        return False
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    settings = {
        key: config.get(key)
        for key in (
            "MAIL_SERVER",
            "MAIL_PORT",
            "MAIL_USE_TLS",
            "MAIL_USE_SSL",
            "MAIL_USERNAME",
            "MAIL_PASSWORD",
        )
    }
    _pool().submit(_deliver, message, settings, current_app.logger)
    return True


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="ddcheck-mail")
        return _executor


def _deliver(message: EmailMessage, settings: dict, logger: logging.Logger) -> bool:
    """Talk SMTP (in a background thread); log instead of raising."""
    smtp_class = smtplib.SMTP_SSL if settings["MAIL_USE_SSL"] else smtplib.SMTP
    try:
        with smtp_class(
            settings["MAIL_SERVER"], settings["MAIL_PORT"], timeout=SMTP_TIMEOUT
        ) as smtp:
            if settings["MAIL_USE_TLS"] and not settings["MAIL_USE_SSL"]:
                smtp.starttls()
            if settings["MAIL_USERNAME"]:
                smtp.login(settings["MAIL_USERNAME"], settings["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("Mail to %s was not sent: %s", message["To"], error)
        return False
    except Exception:  # a thread has no one to raise to
        logger.exception("Mail to %s was not sent", message["To"])
        return False
    return True
