"""Moving a draft to the current version of its questionnaire, answers carried over by key."""

from __future__ import annotations

from dataclasses import dataclass

import questionnaires as engine
from app import audit
from app.assessments.answers import AnswerInput, answer_state, check_answer
from app.assessments.errors import AssessmentClosed, InvalidAnswer
from app.assessments.queries import stored_answers
from app.audit import AuditEvent
from app.content import content
from app.extensions import db
from app.models import Assessment, utcnow
from app.scoping import Principal


def newer_version(assessment: Assessment) -> engine.Questionnaire | None:
    """The current questionnaire a draft could move to, when it is answered on another one."""
    if not assessment.is_draft:
        return None
    current = content().get(assessment.questionnaire_version.key)
    if current is None or current.content_hash == assessment.questionnaire_version.content_hash:
        return None
    return current


@dataclass(frozen=True)
class Move:
    """What moving a draft to the current questionnaire version did."""

    old_version: str
    new_version: str
    carried: int  # answers kept, matched by question key
    dropped: tuple[str, ...]  # question keys whose answers no longer exist or fit
    new_questions: int  # questions of the new version without an answer yet


def move_to_current(assessment: Assessment, principal: Principal) -> Move:
    """Move a draft to the current version of its questionnaire.

    Answers are carried over by question key where the question still exists and the answer
    still fits it (an N/A now refused, an option that is gone, are dropped); questions new in
    this version are left unanswered. The move is recorded in the audit trail. A submitted
    assessment keeps its version: it cannot move.
    """
    if not assessment.is_draft:
        raise AssessmentClosed()
    current = newer_version(assessment)
    if current is None:
        raise InvalidAnswer("This assessment already uses the current questionnaire.")
    old_version = assessment.questionnaire_version.version
    now = utcnow()
    carried = 0
    dropped: list[str] = []
    for key, row in stored_answers(assessment).items():
        question = current.question(key) if current.has_question(key) else None
        try:
            if question is None:
                raise InvalidAnswer("gone")
            checked = check_answer(question, AnswerInput.from_row(row)).state()
        except InvalidAnswer:
            dropped.append(key)
            db.session.delete(row)
            continue
        if checked != answer_state(row):
            for name, value in checked.items():
                setattr(row, name, value)
            row.revision += 1
            row.updated_at = now
        carried += 1
    assessment.questionnaire_version = content().version_row(current)
    assessment.updated_at = now
    answered_keys = {key for key in stored_answers(assessment) if key not in dropped}
    new_questions = sum(1 for q in current.questions if q.scored and q.key not in answered_keys)
    audit.record(
        assessment,
        AuditEvent.MOVED,
        actor=principal,
        questionnaire_version=current.version,
        previous_version=old_version,
        content_hash=current.content_hash,
        carried=carried,
        dropped=sorted(dropped),
    )
    db.session.commit()
    return Move(old_version, current.version, carried, tuple(sorted(dropped)), new_questions)
