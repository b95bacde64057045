"""Views for accounts. Throttling of sign-in counts failed attempts only."""

from __future__ import annotations

from urllib.parse import urlsplit

from babel import Locale
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.security import check_password_hash
from wtforms import SelectChoice

from app.auth import bp, services, sessions, throttle
from app.auth.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    RegistrationForm,
    SettingsForm,
    SignInForm,
)
from app.extensions import client_address, db
from app.models import ColleagueInvitation, User, utcnow
from app.models.user import dummy_hash
from app.team.forms import EmptyForm

INVITATION_SESSION_KEY = "colleague_invitation_token"


def _safe_next(target: str | None) -> str | None:
    """Follow `next` only to a path on this site, never to another host."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = RegistrationForm()
    if form.validate_on_submit():
        user = services.register_organisation(
            organisation_name=form.organisation_name.data,
            kind=form.organisation_kind.data,
            name=form.name.data,
            email=form.email.data,
            password=form.password.data,
        )
        sessions.sign_in(user)
        flash(_("Welcome. Your organisation is set up and you are its admin."), "success")
        return redirect(_safe_next(request.args.get("next")) or url_for("main.dashboard"))
    return render_template("auth/register.html", form=form)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = SignInForm()
    if form.validate_on_submit():
        scopes = throttle.scopes(User.normalise_email(form.email.data), client_address())
        wait = throttle.wait_seconds(scopes)
        if wait:
            # Nothing is checked while the wait lasts; the right password works after it.
            message = ngettext(
                "Too many failed attempts. Wait %(num)d second, then try again.",
                "Too many failed attempts. Wait %(num)d seconds, then try again.",
                wait,
            )
            form.form_errors.append(message)
            return render_template("auth/sign_in.html", form=form), 429
        user = User.by_email(form.email.data)
        # Without an account the same hash work is done, so timing tells nothing.
        checked = user.check_password(form.password.data) if user else dummy_check(form)
        if user is not None and checked and user.is_active:
            throttle.succeeded(scopes[0])
            user.last_sign_in_at = utcnow()
            db.session.commit()
            sessions.sign_in(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")) or url_for("main.dashboard"))
        throttle.failed(scopes)
        form.form_errors.append(_("The email address or the password is wrong."))
    return render_template("auth/sign_in.html", form=form)


def dummy_check(form) -> bool:
    check_password_hash(dummy_hash(), form.password.data)
    return False


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    """Sign out: a copy of this session's cookies stops working too, wherever it is."""
    if current_user.is_authenticated:
        sessions.sign_out_everywhere(current_user._get_current_object())
    flash(_("You are signed out."), "info")
    return redirect(_safe_next(request.form.get("next")) or url_for("auth.sign_in"))


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    """End every session and "keep me signed in" of this account, on every device."""
    sessions.sign_out_everywhere(current_user._get_current_object())
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def settings():
    form = SettingsForm(obj=current_user)
    form.locale.choices = [SelectChoice("", _("As my browser asks"))] + [
        SelectChoice(code, Locale.parse(code).display_name)
        for code in current_app.config["LANGUAGES"]
    ]
    if form.validate_on_submit():
        current_user.name = form.name.data
        current_user.locale = form.locale.data or None
        db.session.commit()
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("auth.settings"))
    return render_template("auth/settings.html", form=form, everywhere_form=EmptyForm())


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if current_user.check_password(form.current_password.data):
            current_user.set_password(form.password.data)
            # Whoever knew the old password is signed out; this device stays signed in.
            sessions.end_other_sessions(current_user._get_current_object())
            flash(_("Your password is changed. Every other session is signed out."), "success")
            return redirect(url_for("main.dashboard"))
        form.current_password.errors.append(_("This is not your current password."))
    return render_template("auth/change_password.html", form=form)


@bp.route("/accept-invitation/<token>")
def join_with_token(token: str):
    """Move the token out of the address into the session, so it never lands in logs."""
    session[INVITATION_SESSION_KEY] = token[:200]
    return redirect(url_for("auth.join"))


@bp.route("/accept-invitation", methods=["GET", "POST"])
def join():
    token = session.get(INVITATION_SESSION_KEY)
    invitation = ColleagueInvitation.by_token(token) if token else None
    if invitation is None or not invitation.is_open:
        status = invitation.status if invitation else "unknown"
        return render_template("auth/invitation_closed.html", status=status), 410
    if current_user.is_authenticated:
        # Never sign anyone out by a link: offer it, and come back here afterwards.
        return render_template("auth/join_signed_in.html", invitation=invitation, form=EmptyForm())
    form = (
        AcceptInvitationForm(name=invitation.name)
        if request.method == "GET"
        else (AcceptInvitationForm())
    )
    if form.validate_on_submit():
        if User.email_taken(invitation.email):
            form.form_errors.append(
                _(
                    "An account with the address %(email)s exists already. Sign in with it, or "
                    "ask your admin to invite another address.",
                    email=invitation.email,
                )
            )
        else:
            user = services.accept_invitation(invitation, form.name.data, form.password.data)
            session.pop(INVITATION_SESSION_KEY, None)
            sessions.sign_in(user)
            flash(_("Welcome to %(org)s.", org=user.organisation.name), "success")
            return redirect(url_for("main.dashboard"))
    return render_template("auth/join.html", form=form, invitation=invitation)
