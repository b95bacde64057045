"""What the buyer's review page shows: each visible question with its answer in words, the
buyer's mark, and the form to change the mark."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.assessments import services as assessments
from app.assessments.presenters import describe_state
from app.contractors import services
from app.models import Assessment


def visible_question_keys(assessment: Assessment) -> list[str]:
    """The questions the contractor was shown (conditional ones only where they apply)."""
    scorecard = assessments.scorecard_of(assessment)
    questionnaire = assessments.questionnaire_of(assessment)
    return [q.key for q in questionnaire.questions if scorecard.questions[q.key].visible]


def review_items(assessment: Assessment, form_for: Callable[[str, dict], Any]) -> list[dict]:
    """The visible questions in questionnaire order; `form_for(key, data)` gives each form."""
    questionnaire = assessments.questionnaire_of(assessment)
    stored = assessments.stored_answers(assessment)
    scorecard = assessments.scorecard_of(assessment)
    marks = services.review_notes(assessment.id)
    items = []
    for theme in questionnaire.themes:
        for question in questionnaire.questions_in(theme.key):
            if not scorecard.questions[question.key].visible:
                continue
            mark = marks.get(question.key)
            data = {
                "verdict": mark.verdict.value if mark else None,
                "comment": mark.comment if mark else "",
            }
            state = assessments.answer_state(stored.get(question.key))
            result = scorecard.questions[question.key]
            if result.na and not state.get("na_reason"):
                # Not applicable through an earlier answer: the gate's reason, not the value.
                state = {**state, "value": None, "basis": None, "na_reason": result.na_reason}
            items.append(
                {
                    "theme": theme,
                    "question": question,
                    "answer": describe_state(question, state),
                    "mark": mark,
                    "form": form_for(question.key, data),
                }
            )
    return items
