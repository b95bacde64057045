"""What the buyer's review page shows: each visible question with its answer in words, the
buyer's mark, and the form to change the mark."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.assessments.answers import answer_state
from app.assessments.presenters import describe_state
from app.assessments.queries import questionnaire_of, scorecard_of, stored_answers
from app.contractors import services, sharing
from app.evidence import verdicts
from app.models import (
    Assessment,
    ContractorInvitation,
    ReviewNote,
    ReviewStatus,
    User,
    Verdict,
)


def visible_question_keys(assessment: Assessment) -> list[str]:
    """The questions the contractor was shown (conditional ones only where they apply)."""
    scorecard = scorecard_of(assessment)
    questionnaire = questionnaire_of(assessment)
    return [q.key for q in questionnaire.questions if scorecard.questions[q.key].visible]


def review_items(
    assessment: Assessment,
    form_for: Callable[[str, dict], Any],
    evidence_form_for: Callable[[str, dict], Any] | None = None,
) -> list[dict]:
    """The visible questions in questionnaire order; `form_for(key, data)` gives each review
    form, `evidence_form_for(key, data)` the form that checks an answer's evidence."""
    questionnaire = questionnaire_of(assessment)
    stored = stored_answers(assessment)
    scorecard = scorecard_of(assessment)
    marks = services.review_notes(assessment.id)
    documents = verdicts.links_by_question(assessment)
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
            state = answer_state(stored.get(question.key))
            result = scorecard.questions[question.key]
            if result.na and not state.get("na_reason"):
                # Not applicable through an earlier answer: the gate's reason, not the value.
                state = {**state, "value": None, "basis": None, "na_reason": result.na_reason}
            links = documents.get(question.key, [])
            check = verdicts.answer_check(links)
            note = next((link.check_note for link in links if link.check_note), "")
            items.append(
                {
                    "theme": theme,
                    "question": question,
                    "answer": describe_state(question, state),
                    "mark": mark,
                    "form": form_for(question.key, data),
                    "evidence": links,
                    "evidence_check": check,
                    "evidence_note": note,
                    "evidence_form": evidence_form_for(
                        question.key, {"check": check.value if check else None, "note": note}
                    )
                    if links and evidence_form_for is not None
                    else None,
                }
            )
    return items


def review_counts(assessment: Assessment) -> dict[str, int]:
    """How many visible answers the buyer marked to clarify, accepted, or left unmarked."""
    marks = services.review_notes(assessment.id)
    keys = visible_question_keys(assessment)
    verdicts = [marks[key].verdict for key in keys if key in marks]
    return {
        "clarify": sum(1 for v in verdicts if v == Verdict.CLARIFY),
        "accepted": sum(1 for v in verdicts if v == Verdict.ACCEPTED),
        "unmarked": len(keys) - len(verdicts),
    }


def invitation_home(invitation: ContractorInvitation, user: User | None) -> dict[str, Any]:
    """What the contractor's start page shows: the assessment, the buyer's notes when it was
    returned, and the contractor's own earlier assessments it may reuse (signed in only)."""
    contractor = invitation.contractor
    assessment = contractor.assessment
    notes = []
    if assessment.is_draft and contractor.review_status == ReviewStatus.RETURNED:
        questionnaire = questionnaire_of(assessment)
        given = ReviewNote.clarification_notes(assessment.id)
        notes = [(q, given[q.key]) for q in questionnaire.questions if q.key in given]
    return {
        "contractor": contractor,
        "assessment": assessment,
        "invitation": invitation,
        "notes": notes,
        "signed_in_elsewhere": user is not None
        and user.organisation_id != assessment.organisation_id,
        "reusable": sharing.reusable_assessments(user, assessment) if assessment.is_draft else [],
    }
