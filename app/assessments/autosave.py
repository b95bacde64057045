"""Saving one answer as the person types (the autosave path, also used by the plain form).

Saving an answer is a conditional UPDATE on (assessment, question, revision): it succeeds only
if nobody saved that answer since the revision the browser started from, on SQLite and
PostgreSQL alike, so two tabs can never overwrite each other silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, exists, or_, select
from sqlalchemy.exc import IntegrityError

import questionnaires as engine
from app.assessments.answers import AnswerInput, answer_state, check_answer, engine_answer
from app.assessments.errors import AssessmentClosed
from app.assessments.queries import questionnaire_of
from app.audit import AuditEvent
from app.extensions import db
from app.models import Answer, Assessment, AssessmentStatus, AuditEntry, utcnow
from app.scoping import Principal


@dataclass(frozen=True)
class SaveResult:
    """Whether the answer was saved, its revision now, and what a conflict found instead."""

    saved: bool
    revision: int
    conflict: dict[str, Any] | None = None
    # Every answer of the assessment after a successful save, for the progress it reports.
    answers: dict[str, engine.Answer] | None = None


# The autosave path runs on every change of every answer: its statements are built once, as
# plain Core statements with bound parameters, so a request only binds values and executes.
_ANSWER = Answer.__table__
_SELECT_ANSWERS = select(
    _ANSWER.c.id,
    _ANSWER.c.question_key,
    _ANSWER.c.value,
    _ANSWER.c.na_reason,
    _ANSWER.c.comment,
    _ANSWER.c.basis,
    _ANSWER.c.revision,
    _ANSWER.c.updated_by_label,
    _ANSWER.c.updated_at,
).where(_ANSWER.c.assessment_id == bindparam("assessment_id"))
# A save without the progress reply (a theme page, an import, a copy) needs only its own row.
_SELECT_ONE_ANSWER = _SELECT_ANSWERS.where(_ANSWER.c.question_key == bindparam("question_key"))
# Submission is final in the database: every write of an answer requires, in the same
# statement, that the assessment is still a draft (SQLite serialises writers, so the check and
# the write see the same state), and on PostgreSQL takes a share lock on the assessment row,
# which `submit` must wait for (and which waits for `submit`), so no answer lands after it.
_ASSESSMENT = Assessment.__table__
_IS_DRAFT = exists(
    select(_ASSESSMENT.c.id)
    .where(
        _ASSESSMENT.c.id == bindparam("draft_id"),
        _ASSESSMENT.c.status == AssessmentStatus.DRAFT.value,
    )
    .with_for_update(read=True)
)
_INSERT_COLUMNS = (
    "assessment_id",
    "question_key",
    "value",
    "na_reason",
    "comment",
    "basis",
    "revision",
    "updated_at",
    "updated_by_label",
    "updated_by_id",
)
_INSERT_ANSWER = (
    _ANSWER.insert()
    .from_select(
        list(_INSERT_COLUMNS),
        select(
            *(bindparam(f"new_{name}", type_=_ANSWER.c[name].type) for name in _INSERT_COLUMNS)
        ).where(_IS_DRAFT),
    )
    .returning(_ANSWER.c.id)
)
_UPDATE_ANSWER = (
    _ANSWER.update()
    .where(
        _ANSWER.c.id == bindparam("answer_id"),
        _ANSWER.c.revision == bindparam("base"),
        _IS_DRAFT,
    )
    .values(
        revision=bindparam("new_revision"),
        value=bindparam("new_value"),
        na_reason=bindparam("new_na_reason"),
        comment=bindparam("new_comment"),
        basis=bindparam("new_basis"),
        updated_at=bindparam("now"),
        updated_by_label=bindparam("actor_label"),
        updated_by_id=bindparam("actor_id"),
    )
)
_INSERT_AUDIT = AuditEntry.__table__.insert()
# Only when nobody touched it within the interval meanwhile (another save may have).
_TOUCH_ASSESSMENT = (
    Assessment.__table__.update()
    .where(
        Assessment.__table__.c.id == bindparam("assessment_id"),
        or_(
            Assessment.__table__.c.updated_at.is_(None),
            Assessment.__table__.c.updated_at < bindparam("cutoff"),
        ),
    )
    .values(updated_at=bindparam("now"))
)
# An assessment's "last change" is kept to the minute: most autosaves need not rewrite it.
TOUCH_INTERVAL = timedelta(minutes=1)


def save_answer(
    assessment: Assessment,
    question_key: str,
    given: AnswerInput,
    *,
    base_revision: int,
    principal: Principal,
    progress: bool = True,
) -> SaveResult:
    """Save one answer if nobody changed it since `base_revision`, with an audit entry.

    With `progress`, the result carries every answer of the assessment (read in the same query
    as the revision check) for the progress an autosave reports; callers that save many answers
    in a row pass False, so each save reads only its own row.
    """
    if not assessment.is_draft:
        raise AssessmentClosed()
    question = questionnaire_of(assessment).question(question_key)
    checked = check_answer(question, given)
    new = checked.state()
    # The statements below are Core ones: they run on the session's connection (its
    # transaction), without the ORM's layer of execution around each.
    connection = db.session.connection()
    # One read of every answer serves the revision check and the progress sent back.
    statement = _SELECT_ANSWERS if progress else _SELECT_ONE_ANSWER
    parameters = {"assessment_id": assessment.id, "question_key": question_key}
    rows = {row.question_key: row for row in connection.execute(statement, parameters)}
    current = rows.get(question_key)
    current_revision = current.revision if current else 0
    if base_revision != current_revision:
        return SaveResult(False, current_revision, conflict=_conflict(current))
    old = answer_state(current)
    answers = {key: engine_answer(row) for key, row in rows.items()} if progress else None
    if old == new:
        return SaveResult(True, current_revision, answers=answers)
    now = utcnow()
    actor = principal.display_name
    actor_id = user_id_of(principal)
    if assessment.updated_at is None or now - assessment.updated_at >= TOUCH_INTERVAL:
        # First, before the answer's write takes its share lock on the assessment row: two
        # saves that each held that share lock and then wanted to update the row would wait
        # for each other (a deadlock on PostgreSQL). Taken first, the update only queues.
        connection.execute(
            _TOUCH_ASSESSMENT,
            {"assessment_id": assessment.id, "now": now, "cutoff": now - TOUCH_INTERVAL},
        )
    if current is None:
        # Only the touch may be written yet in this transaction, so a plain rollback is enough
        # when another tab inserted the same answer first (no savepoint: pysqlite mishandles
        # them).
        try:
            values = dict(
                new,
                assessment_id=assessment.id,
                question_key=question_key,
                revision=1,
                updated_at=now,
                updated_by_label=actor,
                updated_by_id=actor_id,
            )
            inserted = connection.execute(
                _INSERT_ANSWER,
                {f"new_{name}": values[name] for name in _INSERT_COLUMNS}
                | {"draft_id": assessment.id},
            )
        except IntegrityError:
            db.session.rollback()
            latest = _reload(assessment.id, question_key)
            return SaveResult(False, latest.revision, conflict=_conflict(latest))
        if inserted.first() is None:
            _closed_meanwhile(assessment)
        revision = 1
    else:
        result = connection.execute(
            _UPDATE_ANSWER,
            {
                "answer_id": current.id,
                "base": base_revision,
                "new_revision": base_revision + 1,
                "new_value": new["value"],
                "new_na_reason": new["na_reason"],
                "new_comment": new["comment"],
                "new_basis": new["basis"],
                "now": now,
                "actor_label": actor,
                "actor_id": actor_id,
                "draft_id": assessment.id,
            },
        )
        if result.rowcount != 1:
            db.session.rollback()
            if _status(assessment.id) != AssessmentStatus.DRAFT:
                raise AssessmentClosed()
            latest = _reload(assessment.id, question_key)
            return SaveResult(False, latest.revision, conflict=_conflict(latest))
        revision = base_revision + 1
    connection.execute(
        _INSERT_AUDIT,
        {
            "assessment_id": assessment.id,
            "event": AuditEvent.ANSWER.value,
            "question_key": question_key,
            "old": old,
            "new": new,
            "actor_id": actor_id,
            "actor_label": actor,
            "created_at": now,
        },
    )
    db.session.commit()
    if answers is not None:
        answers[question_key] = engine.Answer(
            value=new["value"],
            na_reason=new["na_reason"],
            comment=new["comment"],
            basis=new["basis"],
        )
    return SaveResult(True, revision, answers=answers)


def _status(assessment_id: int) -> AssessmentStatus | None:
    return db.session.scalar(select(Assessment.status).where(Assessment.id == assessment_id))


def _closed_meanwhile(assessment: Assessment) -> None:
    """The write found the assessment no longer a draft: nothing is saved."""
    db.session.rollback()
    raise AssessmentClosed()


def _reload(assessment_id: int, question_key: str) -> Answer:
    db.session.expire_all()
    return db.session.scalar(
        select(Answer).where(
            Answer.assessment_id == assessment_id, Answer.question_key == question_key
        )
    )


def _conflict(current: Answer | None) -> dict[str, Any]:
    state = answer_state(current)
    state["revision"] = current.revision if current else 0
    state["updated_by"] = current.updated_by_label if current else None
    state["updated_at"] = current.updated_at.isoformat() if current else None
    return state


def user_id_of(principal: Principal) -> int | None:
    """The user recorded as having changed an answer (None for a link or a workshop team)."""
    return principal.user.id if principal.user is not None else None
