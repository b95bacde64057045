"""The plain form of a theme page (it works without JavaScript): filled from the stored
answers, and saved answer by answer through the autosave path."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app.assessments.answers import AnswerInput
from app.assessments.autosave import save_answer
from app.assessments.errors import InvalidAnswer
from app.models import Answer


def form_data(stored: dict[str, Answer]) -> dict[str, dict[str, Any]]:
    """The answering form's data from the stored answers."""
    return {
        key: {
            "value": row.value,
            "na": row.na_reason is not None,
            "na_reason": row.na_reason or "",
            "comment": row.comment or "",
            "basis": row.basis or "",
            "revision": str(row.revision),
        }
        for key, row in stored.items()
    }


def save_theme(
    assessment, questionnaire, theme_key: str, form, principal
) -> dict[str, tuple[str, str]]:
    """Save every changed answer of a theme page (the plain form submit).

    Returns, per question that was not saved (invalid, or changed elsewhere since the page
    was loaded), the field at fault and the message. Every other answer is saved.
    """
    problems: dict[str, tuple[str, str]] = {}
    for question in questionnaire.questions_in(theme_key):
        subform = form[question.key].form
        given = AnswerInput.from_form(subform)
        try:
            base_revision = int(subform.revision.data or 0)
        except ValueError:
            base_revision = -1
        try:
            result = save_answer(
                assessment,
                question.key,
                given,
                base_revision=base_revision,
                principal=principal,
                progress=False,
            )
        except InvalidAnswer as error:
            problems[question.key] = (error.field, str(error))
            continue
        if not result.saved:
            problems[question.key] = (
                "value",
                _(
                    "Someone else changed this answer since you opened the page; your version "
                    "was not saved. The latest answer is shown."
                ),
            )
    return problems


def show_problems(form, problems: dict[str, tuple[str, str]]) -> None:
    """Put each unsaved answer's message next to the field at fault, for the page re-shown."""
    for key, (field, message) in problems.items():
        subform = form[key].form
        target = subform._fields.get(field, subform.value)
        target.errors = [*target.errors, message]
