"""Views for the team: every query is scoped to the signed-in user's organisation."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import mail
from app.access import admin_required
from app.auth import sessions
from app.colleagues import bp, services
from app.colleagues.forms import InviteColleagueForm, RoleForm
from app.extensions import db
from app.forms import EmptyForm
from app.models import ColleagueInvitation, Role, User, utcnow


def _own_invitation(invitation_id: int) -> ColleagueInvitation:
    invitation = db.session.get(ColleagueInvitation, invitation_id)
    if invitation is None or invitation.organisation_id != current_user.organisation_id:
        abort(404)
    return invitation


def _invitation_link(token: str) -> str:
    return url_for("auth.join_with_token", token=token, _external=True)


def _send_invitation(invitation: ColleagueInvitation, link: str) -> bool:
    body = _(
        "%(inviter)s invites you to join %(org)s on ddcheck as %(role)s.\n\n"
        "Open this link to choose your password (it works until %(date)s):\n%(link)s\n",
        inviter=current_user.name,
        org=invitation.organisation.name,
        role=invitation.role.label,
        date=invitation.expires_at.strftime("%Y-%m-%d"),
        link=link,
    )
    return mail.send(
        invitation.email, _("Join %(org)s on ddcheck", org=invitation.organisation.name), body
    )


@bp.route("/")
@login_required
def members():
    organisation_id = current_user.organisation_id
    users = services.active_members(organisation_id)
    invitations = []
    history = []
    if current_user.is_admin:
        invitations = db.session.scalars(
            select(ColleagueInvitation)
            .where(
                ColleagueInvitation.organisation_id == organisation_id,
                ColleagueInvitation.accepted_at.is_(None),
            )
            .order_by(ColleagueInvitation.created_at.desc())
        ).all()
        history = services.history(organisation_id)
    return render_template(
        "colleagues/members.html",
        users=users,
        invitations=invitations,
        history=history,
        action_form=EmptyForm(),
        role_form=RoleForm,
    )


def _own_member(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if (
        user is None
        or user.organisation_id != current_user.organisation_id
        or user.removed_at is not None
    ):
        abort(404)
    return user


def _change(action, *args) -> None:
    try:
        action(*args)
    except services.ColleagueChangeRefused as refused:
        db.session.rollback()
        flash(str(refused), "danger")
        return False
    return True


def _after_change(user: User | None = None):
    if user is not None and user.id == current_user.id:
        # A change to one's own role ended one's sessions: carry on in this one.
        sessions.continue_session(user)
    return redirect(url_for("colleagues.members"))


@bp.route("/members/<int:user_id>/role", methods=["POST"])
@admin_required
def set_role(user_id: int):
    user = _own_member(user_id)
    form = RoleForm()
    if form.validate_on_submit():
        if _change(services.set_role, user, Role(form.role.data), services.Actor.of(current_user)):
            flash(_("%(name)s is now %(role)s.", name=user.name, role=user.role.label), "success")
    else:
        flash(_("Choose one of the roles."), "danger")
    return _after_change(user)


@bp.route("/members/<int:user_id>/make-admin", methods=["POST"])
@admin_required
def transfer_admin(user_id: int):
    """Hand the admin role to a colleague; the current admin becomes an assessor."""
    user = _own_member(user_id)
    me = current_user._get_current_object()
    if EmptyForm().validate_on_submit() and _change(
        services.transfer_admin, me, user, services.Actor.of(me)
    ):
        flash(_("%(name)s is now an admin; you are an assessor.", name=user.name), "success")
    return _after_change(me)


@bp.route("/members/<int:user_id>/disable", methods=["POST"])
@admin_required
def disable(user_id: int):
    user = _own_member(user_id)
    if EmptyForm().validate_on_submit() and _change(
        services.disable, user, services.Actor.of(current_user)
    ):
        flash(_("%(name)s can no longer sign in.", name=user.name), "success")
    return _after_change()


@bp.route("/members/<int:user_id>/enable", methods=["POST"])
@admin_required
def enable(user_id: int):
    user = _own_member(user_id)
    if EmptyForm().validate_on_submit() and _change(
        services.enable, user, services.Actor.of(current_user)
    ):
        flash(_("%(name)s can sign in again.", name=user.name), "success")
    return _after_change()


@bp.route("/members/<int:user_id>/remove", methods=["GET", "POST"])
@admin_required
def remove(user_id: int):
    """Confirm, then remove a member; their answers and history keep their name."""
    user = _own_member(user_id)
    form = EmptyForm()
    if form.validate_on_submit():
        if _change(services.remove, user, services.Actor.of(current_user)):
            flash(_("%(name)s is removed from the team.", name=user.name), "success")
            if user.id == current_user.id:
                return redirect(url_for("auth.sign_in"))
        return _after_change()
    return render_template("colleagues/remove.html", member=user, form=form)


@bp.route("/invite", methods=["GET", "POST"])
@admin_required
def invite():
    form = InviteColleagueForm()
    if form.validate_on_submit():
        if User.email_taken(form.email.data):
            form.email.errors.append(_("This address has an account already."))
        else:
            invitation, token = ColleagueInvitation.issue(
                organisation=current_user.organisation,
                invited_by=current_user,
                name=form.name.data,
                email=form.email.data,
                role=Role(form.role.data),
                days=current_app.config["COLLEAGUE_INVITATION_DAYS"],
            )
            db.session.commit()
            return _show_link(invitation, token)
    return render_template("colleagues/invite.html", form=form)


def _show_link(invitation: ColleagueInvitation, token: str):
    link = _invitation_link(token)
    sent = _send_invitation(invitation, link)
    return render_template(
        "colleagues/invitation_link.html", invitation=invitation, link=link, sent=sent
    )


@bp.route("/invitations/<int:invitation_id>/reissue", methods=["POST"])
@admin_required
def reissue(invitation_id: int):
    """Replace the link of an unaccepted invitation: the old link stops working."""
    old = _own_invitation(invitation_id)
    if old.accepted_at:
        abort(404)
    old.revoked_at = old.revoked_at or utcnow()
    invitation, token = ColleagueInvitation.issue(
        organisation=current_user.organisation,
        invited_by=current_user,
        name=old.name,
        email=old.email,
        role=old.role,
        days=current_app.config["COLLEAGUE_INVITATION_DAYS"],
    )
    db.session.delete(old)
    db.session.commit()
    return _show_link(invitation, token)


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
@admin_required
def revoke(invitation_id: int):
    invitation = _own_invitation(invitation_id)
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        db.session.commit()
    flash(
        _(
            "The invitation for %(email)s is revoked; its link no longer works.",
            email=invitation.email,
        ),
        "success",
    )
    return redirect(url_for("colleagues.members"))
