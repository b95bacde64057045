"""Forms for workshops: opening one, and joining one as a team."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.forms import BaseForm
from app.workshops.participation import TEAM_NAME_LENGTH


class NewWorkshopForm(BaseForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("For example: Buyers' training, Ostrevan, 12 March."),
    )
    questionnaire = SelectField(_l("Questionnaire"), validators=[DataRequired()])
    language = SelectField(
        _l("Language of the workshop"),
        validators=[Optional()],
        description=_l("The teams' pages, questions and results are in this language."),
    )
    case_text = TextAreaField(
        _l("Case (optional)"),
        validators=[Optional(), Length(max=20000)],
        description=_l(
            "The case the teams assess. Leave it empty to use the questionnaire's own case."
        ),
    )
    reveal_at_end = BooleanField(
        _l("Teams see their result against the group when the workshop closes"), default=True
    )
    max_teams = IntegerField(
        _l("Most teams (optional)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=1000, message=_l("Between 1 and 1000 teams.")),
        ],
        description=_l("Joining stops once this many teams have joined. Empty: no limit."),
    )


class JoinForm(BaseForm):
    code = StringField(
        _l("Workshop code"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("The 6 characters shown on the screen."),
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
    team = StringField(
        _l("Team name"),
        validators=[DataRequired(), Length(max=TEAM_NAME_LENGTH)],
        description=_l("The facilitator's board shows this name."),
    )
