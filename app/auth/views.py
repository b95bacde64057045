"""Views for accounts. Throttling of sign-in counts failed attempts only."""

from __future__ import annotations

from urllib.parse import urlsplit

from babel import Locale
from flask import (
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, logout_user
from werkzeug.security import check_password_hash
from wtforms import SelectChoice

from app.auth import bp, links, services, sessions, throttle, tokens
from app.auth.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    CompleteRegistrationForm,
    ForgotPasswordForm,
    RegistrationForm,
    ResetPasswordForm,
    SettingsForm,
    SignInForm,
)
from app.colleagues.forms import EmptyForm
from app.extensions import client_address, db, limiter
from app.models import ColleagueInvitation, User, utcnow
from app.models.user import dummy_hash

INVITATION_SESSION_KEY = "colleague_invitation_token"
REGISTRATION_SESSION_KEY = "registration_token"
RESET_SESSION_KEY = "password_reset_token"


def _safe_next(target: str | None) -> str | None:
    """Follow `next` only to a path on this site, never to another host."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


# Registration and password reset send mail to any address typed: each accepted form counts
# per client address and per address typed (shared by both forms), so that neither can be used
# to flood a mailbox. Every accepted form counts, whether or not a message was sent, so the
# limit tells nothing about accounts either.
def _accepted(_response) -> bool:
    return bool(g.get("account_mail_form_accepted"))


def _typed_address_key() -> str:
    return "account-mail-email:" + User.normalise_email(request.form.get("email") or "")[:254]


def _client_address_key() -> str:
    return "account-mail-address:" + client_address()


_account_mail_limits = [
    limiter.shared_limit(
        lambda: current_app.config["ACCOUNT_MAIL_LIMIT_PER_ADDRESS"],
        scope="account-mail-address",
        key_func=_client_address_key,
        methods=["POST"],
        deduct_when=_accepted,
    ),
    limiter.shared_limit(
        lambda: current_app.config["ACCOUNT_MAIL_LIMIT_PER_EMAIL"],
        scope="account-mail-email",
        key_func=_typed_address_key,
        methods=["POST"],
        deduct_when=_accepted,
    ),
]


@bp.route("/register", methods=["GET", "POST"])
@_account_mail_limits[0]
@_account_mail_limits[1]
def register():
    """Ask for the address; the message sent there carries the rest of registration.

    The answer is the same whether or not the address has an account; only the message differs.
    """
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = RegistrationForm()
    if form.validate_on_submit():
        g.account_mail_form_accepted = True
        email = User.normalise_email(form.email.data)
        links.send_registration_mail(email, _safe_next(request.args.get("next")))
        return render_template("auth/register_sent.html", email=email)
    return render_template("auth/register.html", form=form)


@bp.route("/register/confirm/<token>")
def confirm_with_token(token: str):
    """Move the token out of the address into the session, so it never lands in logs."""
    return _keep_token(REGISTRATION_SESSION_KEY, token, "auth.confirm")


def _keep_token(key: str, token: str, endpoint: str):
    session[key] = token[: tokens.MAX_LENGTH + 1]
    return redirect(url_for(endpoint))


@bp.route("/register/confirm", methods=["GET", "POST"])
def confirm():
    """The rest of registration, opened by the link in the message: creates the account once."""
    try:
        link = links.read_registration_link(session.get(REGISTRATION_SESSION_KEY))
    except links.LinkRefused as refusal:
        return _refused(refusal, "registration")
    if current_user.is_authenticated:
        # Never sign anyone out by a link: offer it, and come back here afterwards.
        return render_template(
            "auth/link_signed_in.html",
            title=_("Register your organisation"),
            message=_(
                "This link registers a new organisation for %(email)s. You are signed in as "
                "%(me)s.",
                email=link.email,
                me=current_user.email,
            ),
            button=_("Sign out and register"),
            back=url_for("auth.confirm"),
            form=EmptyForm(),
        )
    form = CompleteRegistrationForm(email=link.email)
    if form.validate_on_submit():
        try:
            user = services.register_organisation(
                organisation_name=form.organisation_name.data,
                kind=form.organisation_kind.data,
                name=form.name.data,
                email=link.email,
                password=form.password.data,
            )
        except services.AddressTaken:
            # The same link sent twice at once: the first one created the account.
            return _refused(links.LinkRefused("used"), "registration")
        session.pop(REGISTRATION_SESSION_KEY, None)
        sessions.sign_in(user)
        flash(_("Welcome. Your organisation is set up and you are its admin."), "success")
        return redirect(link.next or url_for("main.dashboard"))
    return render_template("auth/confirm.html", form=form, email=link.email)


def _refused(refusal, kind: str):
    """The page for a link that no longer works (expired, used or not one of ours)."""
    status = 404 if refusal.reason == "invalid" else 410
    return render_template("auth/link_refused.html", reason=refusal.reason, kind=kind), status


@bp.route("/forgot-password", methods=["GET", "POST"])
@_account_mail_limits[0]
@_account_mail_limits[1]
def forgot_password():
    """Ask for the address; a reset link goes there only for an active account.

    The answer is the same for every address, with an account or without.
    """
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        g.account_mail_form_accepted = True
        email = User.normalise_email(form.email.data)
        links.send_reset_mail(email)
        return render_template("auth/forgot_sent.html", email=email)
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset-password/<token>")
def reset_with_token(token: str):
    """Move the token out of the address into the session, so it never lands in logs."""
    return _keep_token(RESET_SESSION_KEY, token, "auth.reset_password")


@bp.route("/reset-password", methods=["GET", "POST"])
def reset_password():
    """Choose a new password by the link in the message; it works once."""
    try:
        user = links.read_reset_link(session.get(RESET_SESSION_KEY))
    except links.LinkRefused as refusal:
        return _refused(refusal, "reset")
    form = ResetPasswordForm(user=user)
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        session.pop(RESET_SESSION_KEY, None)
        # Every session of this account ended, this browser's too if it was signed in as it.
        if current_user.is_authenticated and current_user.id == user.id:
            logout_user()
        flash(
            _("Your password is changed and every session was signed out. Sign in with it."),
            "success",
        )
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form, email=user.email)


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
            user = current_user._get_current_object()
            services.change_password(user, form.password.data)
            # Whoever knew the old password is signed out; this device stays signed in.
            sessions.continue_session(user)
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
