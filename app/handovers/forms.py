"""The form to hand a question to a colleague."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.forms import BaseForm


class HandOverForm(BaseForm):
    colleague = SelectField(
        _l("Colleague"), validators=[InputRequired(_l("Choose the colleague to ask."))]
    )
    note = TextAreaField(
        _l("Note for your colleague (optional)"),
        validators=[Length(max=2000)],
        description=_l("For example, which records or evidence the answer needs."),
    )
