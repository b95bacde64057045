"""Forms for assessments. The answering form is built from the questionnaire: one subform per
question, named `<question key>__value`, `__na`, `__na_reason`, `__comment`, `__revision`, and
`__basis` for a question that asks how its answer is known."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FloatField,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget, NumberInput

from app.forms import BaseForm

SEPARATOR = "__"


class NewAssessmentForm(BaseForm):
    questionnaire = SelectField(_l("Questionnaire"), validators=[DataRequired()])
    subject = StringField(
        _l("What is assessed"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("The organisation, site or contract this assessment is about."),
    )
    period = StringField(
        _l("Reference period (optional)"),
        validators=[Optional(), Length(max=100)],
        description=_l("For example: financial year 2026."),
    )


class AssessmentFilterForm(Form):
    """The filters of the assessment list (a GET form: no CSRF needed)."""

    status = SelectField(_l("Status"), validators=[Optional()])
    questionnaire = SelectField(_l("Questionnaire"), validators=[Optional()])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(html_tag="ul", prefix_label=False)
    option_widget = CheckboxInput()


def _value_field(question, options):
    choices = [SelectChoice(option.value, option.label) for option in options]
    if question.type == "multiple":
        return MultiCheckboxField(question.text, choices=choices, validate_choice=True)
    if question.type == "number":
        render = {"step": "any", "inputmode": "decimal"}
        if question.min is not None:
            render["min"] = question.min
        if question.max is not None:
            render["max"] = question.max
        return FloatField(
            question.text, validators=[Optional()], widget=NumberInput(), render_kw=render
        )
    if question.type == "text":
        return TextAreaField(question.text, validators=[Optional(), Length(max=10000)])
    return RadioField(question.text, choices=choices, validators=[Optional()])


def _question_form(question, options):
    class QuestionForm(Form):
        value = _value_field(question, options)
        na = BooleanField(_l("Not applicable"))
        na_reason = TextAreaField(_l("Why it does not apply"), validators=[Length(max=2000)])
        comment = TextAreaField(_l("Comment or evidence"), validators=[Length(max=5000)])
        revision = HiddenField(default="0")

    if question.ask_basis:
        # Checked by the service (a clear message next to the field), not by WTForms.
        QuestionForm.basis = RadioField(
            _l("How do you know?"),
            choices=[SelectChoice(level.value, level.label) for level in question.basis_levels],
            validators=[Optional()],
            validate_choice=False,
        )
    return QuestionForm


_FORM_CLASSES: dict[tuple[str, str], type] = {}


def theme_form_class(questionnaire, theme_key: str):
    """The form class for one theme's page; cached because a questionnaire never changes."""
    cache_key = (questionnaire.content_hash, theme_key)
    if cache_key in _FORM_CLASSES:
        return _FORM_CLASSES[cache_key]
    attributes = {}
    for question in questionnaire.questions_in(theme_key):
        subform = _question_form(question, questionnaire.options_for(question))
        attributes[question.key] = FormField(subform, separator=SEPARATOR)
    form_class = _FORM_CLASSES[cache_key] = type("ThemeForm", (BaseForm,), attributes)
    return form_class
