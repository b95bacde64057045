"""Forms for the team pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from app.forms import BaseForm
from app.models import ROLE_LABELS, Role


class InviteColleagueForm(BaseForm):
    name = StringField(_l("Colleague's name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        _l("Colleague's email address"), validators=[DataRequired(), Email(), Length(max=254)]
    )
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice(role.value, ROLE_LABELS[role])
            for role in (Role.ASSESSOR, Role.VIEWER, Role.ADMIN)
        ],
        description=_l(
            "Assessors answer assessments; viewers read them; admins also manage the team."
        ),
    )


class RoleForm(BaseForm):
    """An admin gives a member another role."""

    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice(role.value, ROLE_LABELS[role])
            for role in (Role.ADMIN, Role.ASSESSOR, Role.VIEWER)
        ],
    )
