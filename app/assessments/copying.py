"""Copying one assessment's answers into another: the one rule for next period's draft and for
a contractor's reuse and kept copy of its answers."""

from __future__ import annotations

from collections.abc import Iterator

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
    given = {key: AnswerInput.from_row(row) for key, row in stored_answers(source).items()}
    if as_typed:
        keys = _save_as_typed(target, given, principal)
    else:
        keys = add_first_answers(target, given, principal)
    carry_evidence(source, target, keys)
    return len(keys)


def add_first_answers(
    target: Assessment, given: dict[str, AnswerInput], principal: Principal
) -> list[str]:
    """Add `given` to a new assessment as first revisions, in the caller's transaction, each
    checked against its questionnaire (one that does not fit is left out); returns the keys
    added."""
    now = utcnow()
    keys: list[str] = []
    for key, checked in _fitting(target, given):
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
        keys.append(key)
    return keys


def _save_as_typed(
    target: Assessment, given: dict[str, AnswerInput], principal: Principal
) -> list[str]:
    current = stored_answers(target)
    keys: list[str] = []
    for key, checked in _fitting(target, given):
        base = current[key].revision if key in current else 0
        result = save_answer(
            target, key, checked, base_revision=base, principal=principal, progress=False
        )
        if result.saved:
            keys.append(key)
    return keys


def _fitting(
    target: Assessment, given: dict[str, AnswerInput]
) -> Iterator[tuple[str, AnswerInput]]:
    """Each answer of `given` that fits a question of the target's questionnaire, checked."""
    questionnaire = questionnaire_of(target)
    for key, answer in given.items():
        if not questionnaire.has_question(key):
            continue
        try:
            yield key, check_answer(questionnaire.question(key), answer)
        except InvalidAnswer:
            continue
