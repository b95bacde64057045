"""Operations on assessments, shared by the pages, the JSON endpoint and the command line.

Saving an answer is a conditional UPDATE on (assessment, question, revision): it succeeds only
if nobody saved that answer since the revision the browser started from, on SQLite and
PostgreSQL alike, so two tabs can never overwrite each other silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, exists, select, update
from sqlalchemy.exc import IntegrityError

import questionnaires as engine
from app import audit, signals
from app.audit import AuditEvent
from app.content import content
from app.extension_points import ExtensionPoint
from app.extensions import db
from app.i18n import interface_language
from app.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    AuditEntry,
    Organisation,
    User,
    utcnow,
)
from app.scoping import Principal


class AssessmentClosed(Exception):
    """The assessment is submitted: its answers are frozen."""


class InvalidAnswer(ValueError):
    """The answer does not fit the question; the message says why, for the person answering.

    `field` names the part of the answer at fault (value, na_reason or basis), so that the
    message shows next to it.
    """

    def __init__(self, message: str, field: str = "value"):
        super().__init__(message)
        self.field = field


def _clean(text: str) -> str:
    """NUL characters cannot be stored in PostgreSQL and mean nothing to a reader."""
    return text.replace("\x00", "")


@dataclass(frozen=True)
class AnswerInput:
    """An answer as the person gave it, before it is checked."""

    value: Any = None
    na: bool = False
    na_reason: str = ""
    comment: str = ""
    basis: str = ""

    @classmethod
    def from_row(cls, row) -> AnswerInput:
        """A stored answer as input again (to copy it into another assessment)."""
        return cls(
            value=row.value,
            na=row.na_reason is not None,
            na_reason=row.na_reason or "",
            comment=row.comment or "",
            basis=row.basis or "",
        )

    @classmethod
    def from_json(cls, payload: dict[str, Any]) -> AnswerInput:
        """Read the autosave payload; anything of the wrong kind becomes InvalidAnswer."""
        value = payload.get("value")
        if isinstance(value, str):
            value = _clean(value)
        elif isinstance(value, list):
            value = [_clean(v) if isinstance(v, str) else v for v in value]
        elif (value is not None and not isinstance(value, int | float)) or isinstance(value, bool):
            raise InvalidAnswer("The answer could not be read.")
        texts = []
        for name in ("na_reason", "comment", "basis"):
            text = payload.get(name) or ""
            if not isinstance(text, str):
                raise InvalidAnswer("The answer could not be read.")
            texts.append(_clean(text))
        return cls(
            value=value,
            na=payload.get("na") is True,
            na_reason=texts[0],
            comment=texts[1],
            basis=texts[2],
        )

    @classmethod
    def from_form(cls, subform) -> AnswerInput:
        """Read one question's subform of the answering page."""
        value = subform.value.data
        if isinstance(value, str):
            value = _clean(value)
        elif isinstance(value, list):
            value = [_clean(v) for v in value] or None
        return cls(
            value=value,
            na=bool(subform.na.data),
            na_reason=_clean(subform.na_reason.data or ""),
            comment=_clean(subform.comment.data or ""),
            basis=_clean(subform.basis.data or "") if "basis" in subform else "",
        )

    def state(self) -> dict[str, Any]:
        """The stored form: what the audit trail records as old and new."""
        return {
            "value": None if self.na else self.value,
            "na_reason": self.na_reason.strip() if self.na else None,
            "comment": self.comment.strip() or None,
            "basis": None if self.na else (self.basis.strip() or None),
        }


@dataclass(frozen=True)
class SaveResult:
    saved: bool
    revision: int
    conflict: dict[str, Any] | None = None
    # Every answer of the assessment after a successful save, for the progress it reports.
    answers: dict[str, engine.Answer] | None = None


def answer_state(answer: Answer | None) -> dict[str, Any]:
    if answer is None:
        return {"value": None, "na_reason": None, "comment": None, "basis": None}
    return {
        "value": answer.value,
        "na_reason": answer.na_reason,
        "comment": answer.comment,
        "basis": answer.basis,
    }


def questionnaire_of(assessment: Assessment) -> engine.Questionnaire:
    """The exact questionnaire version the assessment is answered against."""
    return content().of_version_id(assessment.questionnaire_version_id)


def shown_questionnaire(assessment: Assessment) -> engine.Questionnaire:
    """The assessment's questionnaire in the assessment's language, where a translation exists.

    Same keys, scores and rules as `questionnaire_of`: only the words differ.
    """
    return content().in_language(questionnaire_of(assessment), assessment.language)


def set_language(assessment: Assessment, language: str, principal: Principal) -> None:
    """Change the language the assessment is shown in; recorded in its history."""
    if assessment.language == language:
        return
    audit.record(assessment, AuditEvent.LANGUAGE, actor=principal, language=language)
    assessment.language = language
    db.session.commit()


def shown_scorecard(assessment: Assessment) -> engine.Scorecard:
    """The scorecard in the assessment's language (the same scores as `scorecard_of`)."""
    return engine.score(shown_questionnaire(assessment), engine_answers(assessment))


def engine_answers(assessment: Assessment) -> dict[str, engine.Answer]:
    """The stored answers in the engine's terms."""
    rows = db.session.scalars(select(Answer).where(Answer.assessment_id == assessment.id))
    return {row.question_key: _engine_answer(row) for row in rows}


def stored_answers(assessment: Assessment) -> dict[str, Answer]:
    rows = db.session.scalars(select(Answer).where(Answer.assessment_id == assessment.id))
    return {row.question_key: row for row in rows}


def scorecard_of(assessment: Assessment) -> engine.Scorecard:
    return engine.score(questionnaire_of(assessment), engine_answers(assessment))


def create_assessment(
    *,
    organisation: Organisation,
    questionnaire: engine.Questionnaire,
    subject: str,
    period: str | None,
    created_by: User | None,
) -> Assessment:
    """Start a draft assessment against the current version of a questionnaire."""
    assessment = Assessment(
        organisation=organisation,
        questionnaire_version=content().version_row(questionnaire),
        subject=subject,
        period=period or None,
        created_by=created_by,
        # Set from the interface at start; changeable on the overview.
        language=interface_language(),
    )
    db.session.add(assessment)
    db.session.flush()
    audit.record(assessment, AuditEvent.CREATED, actor=Principal(user=created_by))
    db.session.commit()
    return assessment


def check_answer(question, given: AnswerInput) -> AnswerInput:
    """Normalise and check an answer against its question; raises InvalidAnswer."""
    value = given.value
    if given.na:
        if not question.allow_na:
            raise InvalidAnswer("This question cannot be marked not applicable.")
        problem = engine.na_reason_problem(given.na_reason)
        if problem:
            raise InvalidAnswer(problem, field="na_reason")
        return AnswerInput(None, True, given.na_reason.strip()[:2000], given.comment[:5000])
    # Only a question that asks how its answer is known keeps a basis.
    basis = given.basis.strip() if question.ask_basis else ""
    if basis and question.basis_level(basis) is None:
        raise InvalidAnswer("Choose how you know from the options given.", field="basis")
    if question.type == "number" and value is not None:
        try:
            value = float(str(value).replace(",", ".").strip())
        except ValueError as error:
            raise InvalidAnswer("Enter a number.") from error
        if value != value or value in (float("inf"), float("-inf")):
            raise InvalidAnswer("Enter a number.")
    elif question.type == "multiple" and value is not None:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidAnswer("Choose from the options given.")
        value = sorted(set(value)) or None
    elif value is not None:
        if not isinstance(value, str):
            raise InvalidAnswer("Choose from the options given.")
        value = value.strip()[:10000] or None
    if value is not None:
        problem = engine.validate_answer(question, engine.Answer(value=value))
        if problem:
            raise InvalidAnswer(problem)
    return AnswerInput(value, False, "", given.comment[:5000], basis)


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
_TOUCH_ASSESSMENT = (
    Assessment.__table__.update()
    .where(Assessment.__table__.c.id == bindparam("assessment_id"))
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
) -> SaveResult:
    """Save one answer if nobody changed it since `base_revision`, with an audit entry."""
    if not assessment.is_draft:
        raise AssessmentClosed()
    question = questionnaire_of(assessment).question(question_key)
    checked = check_answer(question, given)
    new = checked.state()
    # One read of every answer serves the revision check and the progress sent back.
    rows = {
        row.question_key: row
        for row in db.session.execute(_SELECT_ANSWERS, {"assessment_id": assessment.id})
    }
    current = rows.get(question_key)
    current_revision = current.revision if current else 0
    if base_revision != current_revision:
        return SaveResult(False, current_revision, conflict=_conflict(current))
    old = answer_state(current)
    answers = {key: _engine_answer(row) for key, row in rows.items()}
    if old == new:
        return SaveResult(True, current_revision, answers=answers)
    now = utcnow()
    actor = principal.display_name
    actor_id = _user_id(principal)
    if current is None:
        # Nothing else is written yet in this transaction, so a plain rollback is enough when
        # another tab inserted the same answer first (no savepoint: pysqlite mishandles them).
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
            inserted = db.session.execute(
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
        result = db.session.execute(
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
    db.session.execute(
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
    if assessment.updated_at is None or now - assessment.updated_at >= TOUCH_INTERVAL:
        db.session.execute(_TOUCH_ASSESSMENT, {"assessment_id": assessment.id, "now": now})
    db.session.commit()
    answers[question_key] = engine.Answer(
        value=new["value"], na_reason=new["na_reason"], comment=new["comment"], basis=new["basis"]
    )
    return SaveResult(True, revision, answers=answers)


def _status(assessment_id: int) -> AssessmentStatus | None:
    return db.session.scalar(select(Assessment.status).where(Assessment.id == assessment_id))


def _closed_meanwhile(assessment: Assessment) -> None:
    """The write found the assessment no longer a draft: nothing is saved."""
    db.session.rollback()
    raise AssessmentClosed()


def _engine_answer(row) -> engine.Answer:
    return engine.Answer(
        value=row.value, na_reason=row.na_reason, comment=row.comment, basis=row.basis
    )


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


def _user_id(principal: Principal) -> int | None:
    return principal.user.id if principal.user is not None else None


kept_copy = ExtensionPoint("kept_copy")
"""After a submit, a copy of the answers kept for the one who submitted (app.contractors keeps
one for a contractor with an account): provider(assessment, principal) -> Assessment | None."""


def submit(assessment: Assessment, principal: Principal) -> None:
    """Freeze the answers; the questionnaire version and hash are already recorded."""
    if not assessment.is_draft:
        raise AssessmentClosed()
    # Close it in the database first: this waits for answers being written right now (and
    # makes later ones fail), so every answer is in before `submitted_at`.
    closed = db.session.execute(
        update(Assessment)
        .where(Assessment.id == assessment.id, Assessment.status == AssessmentStatus.DRAFT)
        .values(status=AssessmentStatus.SUBMITTED)
        .execution_options(synchronize_session=False)
    )
    if closed.rowcount != 1:
        db.session.rollback()
        raise AssessmentClosed()
    db.session.expire(assessment, ["answers"])
    scorecard = scorecard_of(assessment)
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = utcnow()
    assessment.updated_at = assessment.submitted_at
    audit.record(
        assessment,
        AuditEvent.SUBMITTED,
        actor=principal,
        completeness=round(scorecard.completeness * 100)
        if scorecard.completeness is not None
        else None,
        questionnaire_version=assessment.questionnaire_version.version,
        content_hash=assessment.questionnaire_version.content_hash,
    )
    db.session.commit()
    signals.assessment_submitted.send(assessment)


def reopen(assessment: Assessment, principal: Principal) -> None:
    """Back to draft so that answers can change again (admins only; recorded)."""
    assessment.status = AssessmentStatus.DRAFT
    assessment.submitted_at = None
    assessment.updated_at = utcnow()
    audit.record(assessment, AuditEvent.REOPENED, actor=principal)
    db.session.commit()


def next_period(period: str | None) -> str | None:
    """The period after this one, by moving every year in it on by one ("FY 2025/26" gives
    "FY 2026/27"); None when the period names no year."""
    if not period:
        return None

    def later(match: re.Match) -> str:
        text = match.group(0)
        return str(int(text) + 1).zfill(len(text))[-len(text) :]

    moved, count = re.subn(r"(?<!\d)(\d{4}|(?<=/)\d{2})(?!\d)", later, period)
    return moved if count else None


def update_details(
    assessment: Assessment, subject: str, period: str | None, principal: Principal
) -> None:
    """Change what a draft is about and its period, recorded in the history."""
    if not assessment.is_draft:
        raise ValueError("only a draft's details change")
    old = {"subject": assessment.subject, "period": assessment.period}
    new = {"subject": subject, "period": period or None}
    if old == new:
        return
    assessment.subject = subject
    assessment.period = period or None
    audit.record(assessment, AuditEvent.DETAILS, actor=principal, old=old, new=new)
    db.session.commit()


def start_next(assessment: Assessment, principal: Principal) -> Assessment:
    """A new draft for the same subject with the previous answers filled in.

    It uses the current questionnaire version; answers to questions that no longer exist, or
    that no longer fit their question, are left out.
    """
    questionnaire = content().get(assessment.questionnaire_version.key) or questionnaire_of(
        assessment
    )
    successor = Assessment(
        organisation_id=assessment.organisation_id,
        questionnaire_version=content().version_row(questionnaire),
        subject=assessment.subject,
        # Proposed, and editable while the new assessment is a draft.
        period=next_period(assessment.period),
        created_by=principal.user,
        previous_id=assessment.id,
        language=assessment.language,
    )
    db.session.add(successor)
    db.session.flush()
    now = utcnow()
    for key, row in stored_answers(assessment).items():
        question = questionnaire.question(key) if questionnaire.has_question(key) else None
        if question is None:
            continue
        given = AnswerInput.from_row(row)
        try:
            checked = check_answer(question, given)
        except InvalidAnswer:
            continue
        db.session.add(
            Answer(
                assessment_id=successor.id,
                question_key=key,
                revision=1,
                updated_at=now,
                updated_by_label=principal.display_name,
                updated_by_id=_user_id(principal),
                **checked.state(),
            )
        )
    audit.record(successor, AuditEvent.CREATED, actor=principal, copied_from=assessment.id)
    db.session.commit()
    return successor


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
                assessment, question.key, given, base_revision=base_revision, principal=principal
            )
        except InvalidAnswer as error:
            problems[question.key] = (error.field, str(error))
            continue
        if not result.saved:
            problems[question.key] = (
                "value",
                "Someone else changed this answer since you opened the page; your version was "
                "not saved. The latest answer is shown.",
            )
    return problems


def unanswered(questionnaire, scorecard) -> list:
    """The visible, applicable questions without an answer, in questionnaire order."""
    return [
        questionnaire.question(result.key)
        for result in scorecard.questions.values()
        if result.visible
        and result.applicable
        and not result.answered
        and questionnaire.question(result.key).type != "text"
    ]
