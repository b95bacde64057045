"""Forms for accounts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from app.auth import passwords
from app.forms import BaseForm
from app.models import ORGANISATION_KIND_LABELS, User

PASSWORD_MIN = passwords.MIN_LENGTH


def _not_easy_to_guess(form, field):
    if not field.data or len(field.data) < PASSWORD_MIN:
        return  # the length check says so
    words = [getattr(form, name).data for name in ("name", "organisation_name") if name in form]
    email = getattr(form, "email", None)
    if email is not None and email.data:
        words.append(str(email.data).split("@")[0])
    words.extend(getattr(form, "known_words", ()))
    message = passwords.problem(field.data, user_inputs=[w for w in words if isinstance(w, str)])
    if message:
        raise ValidationError(message)


def _new_password_fields():
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(),
            Length(
                min=PASSWORD_MIN,
                max=200,
                message=_l("Use at least %(n)s characters.", n=PASSWORD_MIN),
            ),
            _not_easy_to_guess,
        ],
        description=_l(
            "At least %(n)s characters. A few unrelated words work well.", n=PASSWORD_MIN
        ),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    return password, confirm


class RegistrationForm(BaseForm):
    """The first step: the address, to which the link that finishes registration is sent.

    Whether the address has an account is never said here (only in the message it receives).
    """

    email = EmailField(_l("Email address"), validators=[DataRequired(), Email(), Length(max=254)])


class CompleteRegistrationForm(BaseForm):
    """The second step, opened by the link: the organisation, the person, the password."""

    organisation_name = StringField(
        _l("Organisation name"), validators=[DataRequired(), Length(max=200)]
    )
    # No kind is chosen for the user: the kind decides menus and dashboards, so it is asked.
    organisation_kind = SelectField(
        _l("Kind of organisation"),
        choices=[
            SelectChoice("", _l("Choose the kind of organisation")),
            *(SelectChoice(kind.value, label) for kind, label in ORGANISATION_KIND_LABELS.items()),
        ],
        validators=[DataRequired(message=_l("Choose the kind of your organisation."))],
    )
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    password, confirm = _new_password_fields()

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        # The password may not be built from the address either.
        self.known_words = [email.split("@")[0]]


def _looks_like_an_address(form, field):
    local, at, domain = (field.data or "").rpartition("@")
    if not (local and at and domain) or any(c.isspace() for c in field.data):
        raise ValidationError(_l("Invalid email address."))


class ForgotPasswordForm(BaseForm):
    # Any address an account may have (the demo's .test addresses too, which the stricter
    # check for new addresses refuses): a message goes only to an existing account.
    email = EmailField(
        _l("Email address"), validators=[DataRequired(), Length(max=254), _looks_like_an_address]
    )


class ResetPasswordForm(BaseForm):
    password, confirm = _new_password_fields()

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.known_words = [user.name, user.organisation.name, user.email.split("@")[0]]


class SignInForm(BaseForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=200)]
    )
    password, confirm = _new_password_fields()


class AcceptInvitationForm(BaseForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    password, confirm = _new_password_fields()


class SettingsForm(BaseForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    locale = SelectField(_l("Language"), choices=[], validate_choice=True)
