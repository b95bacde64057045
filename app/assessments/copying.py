"""Copying one assessment's answers into another: the one rule for next period's draft and for
a contractor's reuse and kept copy of its answers."""

from __future__ import annotations

from app.assessments.answers import AnswerInput, check_answer
from app.assessments.autosave import save_answer, user_id_of
from app.assessments.errors import InvalidAnswer
from app.assessments.queries import questionnaire_of, stored_answers
from app.evidence.services import carry_evidence
from app.extensions import db
from app.models import Answer, Assessment, utcnow
from app.scoping import Principal


def copy_answers(
    source: Assessment, target: Assessment, principal: Principal, *, as_typed: bool = False
) -> int:
    """Copy every answer of `source` (value or not-applicable reason, comment, how it is known)
    into `target`, checked against the target's questionnaire: an answer to a question it no
    longer has, or that no longer fits its question, is left out. Returns how many are copied.

    A new assessment gets them as first revisions, in this transaction (the caller records the
    creation and commits). With `as_typed`, a draft being answered gets them saved one by one
    as if typed, each in its history, replacing what it had.

    The documents attached to the copied answers come along: the same files, not copies,
    marked as from the earlier assessment until the owner confirms them.
    """
    questionnaire = questionnaire_of(target)
    current = stored_answers(target) if as_typed else {}
    now = utcnow()
    copied = 0
    keys: list[str] = []
    for key, row in stored_answers(source).items():
        if not questionnaire.has_question(key):
            continue
        try:
            checked = check_answer(questionnaire.question(key), AnswerInput.from_row(row))
        except InvalidAnswer:
            continue
        if as_typed:
            base = current[key].revision if key in current else 0
            result = save_answer(
                target, key, checked, base_revision=base, principal=principal, progress=False
            )
            copied += 1 if result.saved else 0
            if result.saved:
                keys.append(key)
            continue
        db.session.add(
            Answer(
                assessment_id=target.id,
                question_key=key,
                revision=1,
                updated_at=now,
                updated_by_label=principal.display_name,
                updated_by_id=user_id_of(principal),
                **checked.state(),
            )
        )
        copied += 1
        keys.append(key)
    carry_evidence(source, target, keys)
    return copied
