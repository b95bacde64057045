"""The landing page for visitors and the dashboard after sign-in."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from app.assessments.queries import assessment_list
from app.contractors.queries import contractor_summary
from app.extensions import db
from app.handovers.services import waiting_for
from app.main import bp
from app.models import ColleagueInvitation, OrganisationKind, User


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return render_template("main/index.html")


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico on pages without an icon link (the report page)."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.route("/dashboard")
@login_required
def dashboard():
    organisation_id = current_user.organisation_id
    member_count = db.session.scalar(
        select(func.count()).select_from(User).where(User.organisation_id == organisation_id)
    )
    open_invitations = db.session.scalar(
        select(func.count())
        .select_from(ColleagueInvitation)
        .where(
            ColleagueInvitation.organisation_id == organisation_id,
            ColleagueInvitation.accepted_at.is_(None),
            ColleagueInvitation.revoked_at.is_(None),
        )
    )
    recent = assessment_list(organisation_id, limit=5)
    is_buyer = current_user.organisation.kind == OrganisationKind.BUYER
    return render_template(
        "main/dashboard.html",
        contractors=contractor_summary(organisation_id) if is_buyer else None,
        waiting_count=len(waiting_for(current_user)),
        member_count=member_count,
        open_invitations=open_invitations,
        recent=recent,
    )
