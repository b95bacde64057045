"""The contractor's link pages: opening the link, the start page, and reusing an earlier
response. The contractor has no account here; the link's grant opens its one assessment."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.contractors import bp, invitations, presenters, sharing
from app.forms import EmptyForm
from app.scoping import current_principal


def _closed(state: str):
    code = 404 if state == "unknown" else 410
    response = Response(render_template("contractors/closed.html", state=state), status=code)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/invitation/<token>")
def open_invitation(token: str):
    """Check the link, keep the invitation in the session, and leave the token-bearing URL."""
    _invitation, state = invitations.open_link(token)
    if state != "open":
        return _closed(state)
    response = redirect(url_for("contractors.invitation_home"))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/invitation/")
def invitation_home():
    """The contractor's start page: what is asked, by whom, and where things stand."""
    invitation = invitations.session_invitation()
    state = invitation.status if invitation is not None else "unknown"
    if state != "open":
        return _closed(state)
    user = current_user._get_current_object() if current_user.is_authenticated else None
    return render_template(
        "contractors/home.html",
        **presenters.invitation_home(invitation, user),
        action_form=EmptyForm(),
    )


def _reused_message(copied: int) -> str:
    return ngettext(
        "%(num)s answer was filled in from your earlier assessment. Check each theme, change "
        "what differs for this contract, then submit.",
        "%(num)s answers were filled in from your earlier assessment. Check each theme, "
        "change what differs for this contract, then submit.",
        copied,
    )


@bp.route("/invitation/reuse/<int:source_id>", methods=["POST"])
@login_required
def reuse_assessment(source_id: int):
    """Fill the invitation's assessment from one of the contractor's own earlier assessments."""
    invitation = invitations.session_invitation()
    if invitation is None or invitation.status != "open":
        return _closed(invitation.status if invitation is not None else "unknown")
    if not EmptyForm().validate_on_submit():
        abort(400)
    assessment = invitation.contractor.assessment
    try:
        copied = sharing.reuse(assessment, source_id, current_principal())
    except sharing.CannotReuse:
        abort(404)
    flash(_reused_message(copied), "success")
    return redirect(url_for("assessments.overview", assessment_id=assessment.id))
