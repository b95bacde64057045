"""Forms of the action plan."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.forms import BaseForm
from app.models import RESPONSE_LABELS


class ResponseForm(BaseForm):
    """The response to one recommendation. What each response needs is checked by the service."""

    response = RadioField(
        _l("Your response"),
        choices=[SelectChoice(r.value, label) for r, label in RESPONSE_LABELS.items()],
        validators=[InputRequired(_l("Choose a response."))],
    )
    action = TextAreaField(
        _l("The action you will take (or what is already being done)"),
        validators=[Length(max=4000)],
    )
    owner = SelectField(_l("Owner"), coerce=str, validators=[Optional()])
    owner_name = StringField(_l("Owner"), validators=[Length(max=200)])
    due_on = DateField(_l("Due date"), validators=[Optional()])
    decline_reason = TextAreaField(
        _l("Why you decline it"),
        validators=[Length(max=4000)],
        description=_l("A red flag can only be declined with a reason of at least a sentence."),
    )


class DoneForm(BaseForm):
    note = TextAreaField(_l("What was done"), validators=[Length(max=4000)])


class CommentForm(BaseForm):
    comment = TextAreaField(_l("Your comment"), validators=[Length(max=4000)])


class PlanFilterForm(BaseForm):
    """Filters of the plan page (GET, so no CSRF)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validators=[Optional()])
    owner = SelectField(_l("Owner"), validators=[Optional()])
