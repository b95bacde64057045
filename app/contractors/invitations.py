"""Invitation links: opening one moves it from the URL into the session, and the session's
invitation grants its one assessment for as long as the link is valid.

The grant is checked against the database on every request, so a revoked, replaced or
expired link stops working at once, also for a browser that opened it earlier.
"""

from __future__ import annotations

import logging
import re

from flask import session, url_for
from flask_babel import gettext as _

from app import mail
from app.extensions import db
from app.models import ContractorAssessment, ContractorInvitation, utcnow
from app.scoping import Grant

SESSION_KEY = "contractor_invitation_id"
# The path prefix of invitation links; the token follows it.
LINK_PREFIX = "/invitation/"
_TOKEN_IN_PATH = re.compile(re.escape(LINK_PREFIX) + r"[^\s\"?/]+")


def link_url(token: str) -> str:
    """The full address of an invitation link."""
    return url_for("contractors.open_invitation", token=token, _external=True)


def send_link(
    contractor: ContractorAssessment, invitation: ContractorInvitation, link: str
) -> bool:
    """Mail the link to the contractor's contact; False when this site sends no mail."""
    organisation = contractor.assessment.organisation.name
    deadline = contractor.deadline.isoformat() if contractor.deadline else _("no deadline")
    body = _(
        "%(org)s asks %(contractor)s to answer a due-diligence questionnaire on ddcheck.\n\n"
        "Open this link to answer it; no account is needed. The link works until %(expires)s "
        "or until you submit your answers. Deadline: %(deadline)s.\n%(link)s\n",
        org=organisation,
        contractor=contractor.contractor_name,
        expires=invitation.expires_at.strftime("%Y-%m-%d"),
        deadline=deadline,
        link=link,
    )
    return mail.send(
        contractor.contact_email, _("Questionnaire from %(org)s", org=organisation), body
    )


def grant_from_session() -> Grant | None:
    """The principal provider: the session's invitation, while it may open its assessment."""
    invitation_id = session.get(SESSION_KEY)
    if not isinstance(invitation_id, int):
        return None
    invitation = db.session.get(ContractorInvitation, invitation_id)
    if invitation is None or invitation.status != "open":
        return None
    contractor = invitation.contractor
    assessment = contractor.assessment
    # Once submitted, the contractor keeps reading it only if the buyer shares the results.
    if not assessment.is_draft and not contractor.results_visible:
        return None
    return Grant(
        assessment_ids=frozenset({assessment.id}),
        label=contractor.contractor_name,
        results_hidden=frozenset() if contractor.results_visible else frozenset({assessment.id}),
    )


def session_invitation() -> ContractorInvitation | None:
    """The invitation this browser opened, whatever its state (None if it never did)."""
    invitation_id = session.get(SESSION_KEY)
    if not isinstance(invitation_id, int):
        return None
    return db.session.get(ContractorInvitation, invitation_id)


def invitation_language() -> str | None:
    """The language of the assessment this browser's invitation is for (None without one)."""
    invitation = session_invitation()
    return invitation.contractor.assessment.language if invitation is not None else None


def open_link(token: str) -> tuple[ContractorInvitation | None, str]:
    """Check a link's token; a valid one is put in the session. Returns it and its status."""
    invitation = ContractorInvitation.by_token(token) if 20 <= len(token) <= 100 else None
    if invitation is None:
        return None, "unknown"
    status = invitation.status
    if status != "open":
        return invitation, status
    now = utcnow()
    invitation.opened_at = invitation.opened_at or now
    contractor = invitation.contractor
    contractor.opened_at = contractor.opened_at or now
    # Opening the link is activity the buyer's list shows.
    contractor.assessment.updated_at = now
    db.session.commit()
    session[SESSION_KEY] = invitation.id
    return invitation, status


class RedactInvitationTokens(logging.Filter):
    """Replace invitation tokens in request-log lines by a placeholder."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if LINK_PREFIX in message:
            record.msg = _TOKEN_IN_PATH.sub(LINK_PREFIX + "[token]", message)
            record.args = ()
        return True


# The request logs of the development server and of gunicorn (when its access log is on).
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access")


def redact_tokens_in_request_log() -> None:
    """Request logs print each path; keep invitation tokens out of them."""
    for name in REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactInvitationTokens) for f in logger.filters):
            logger.addFilter(RedactInvitationTokens())
