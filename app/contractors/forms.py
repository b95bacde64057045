"""Forms for contractor assessments."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from app.forms import BaseForm
from app.models import EVIDENCE_CHECK_LABELS, VERDICT_LABELS, EvidenceCheck, Verdict


class NewContractorForm(BaseForm):
    contractor_name = StringField(
        _l("Contractor's name"), validators=[DataRequired(), Length(max=200)]
    )
    contact_email = EmailField(
        _l("Contact email address"),
        validators=[DataRequired(), Email(), Length(max=254)],
        description=_l("The invitation link is sent here when this site can send mail."),
    )
    reference = StringField(
        _l("Contract or tender reference"), validators=[Optional(), Length(max=200)]
    )
    questionnaire = SelectField(_l("Questionnaire"), validators=[DataRequired()])
    language = SelectField(
        _l("Language of the invitation"),
        validators=[Optional()],
        description=_l("The contractor's questionnaire opens in it; the contractor may switch."),
    )
    deadline = DateField(_l("Deadline"), validators=[Optional()])
    results_visible = BooleanField(
        _l("The contractor may see its results after submitting"),
    )
    plan_required = BooleanField(
        _l("Require an accepted action for every red flag before the review is closed"),
        description=_l(
            "The contractor then answers an action plan after submitting; this needs the "
            "results to be visible to it."
        ),
    )

    def validate_plan_required(self, field):
        if field.data and not self.results_visible.data:
            raise ValidationError(
                _l("An action plan needs the contractor to see its results: tick that too.")
            )


class ReviewNoteForm(BaseForm):
    verdict = RadioField(
        _l("Your review"),
        choices=[SelectChoice(v.value, VERDICT_LABELS[v]) for v in Verdict],
        validators=[DataRequired(message=_l("Choose accepted or needs clarification."))],
    )
    comment = TextAreaField(_l("Note for the contractor"), validators=[Length(max=5000)])

    def validate_comment(self, field):
        if self.verdict.data == Verdict.CLARIFY.value and not (field.data or "").strip():
            raise ValidationError(_l("Say what needs clarifying: the contractor sees this note."))


class EvidenceCheckForm(BaseForm):
    """The buyer's check of one answer's evidence."""

    check = RadioField(
        _l("The evidence of this answer"),
        choices=[SelectChoice(c.value, EVIDENCE_CHECK_LABELS[c]) for c in EvidenceCheck],
        validators=[DataRequired(message=_l("Choose checked, or does not support the answer."))],
    )
    note = TextAreaField(
        _l("Why the evidence does not support the answer"),
        validators=[Length(max=5000)],
        description=_l("The contractor sees this note beside the question when it is returned."),
    )

    def validate_note(self, field):
        if self.check.data == EvidenceCheck.NOT_SUPPORTING.value and not (field.data or "").strip():
            raise ValidationError(
                _l("Say why the evidence does not support the answer: the contractor sees it.")
            )
