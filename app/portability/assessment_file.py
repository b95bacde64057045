"""The portable assessment file: one JSON document per assessment, read by any installation.

It names the questionnaire by key, version and content hash, and carries the answers (value,
basis where known, N/A reason, comment), the audit trail, the action plan and the buyer's
review marks. The format is published as a JSON Schema beside this module
(`assessment-file.schema.json`) and versioned by `schema_version`.

An import is accepted only for a questionnaire whose exact content this installation knows
(the same hash), so scores, gaps and the report come out the same as where it was answered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
from sqlalchemy import select

import questionnaires as engine
from app import audit, legacy
from app.assessments.answers import AnswerInput, check_answer
from app.assessments.autosave import save_answer
from app.assessments.errors import InvalidAnswer
from app.assessments.queries import stored_answers
from app.audit import AuditEvent
from app.content import content
from app.extensions import db
from app.i18n import interface_language
from app.models import (
    ActionItem,
    ActionResponse,
    Answer,
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    AuditEntry,
    Organisation,
    QuestionnaireVersion,
    ReviewNote,
    User,
    Verdict,
    utcnow,
)
from app.portability.backup import app_version
from app.scoping import Principal

FORMAT = "ddcheck-assessment"
SCHEMA_VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("assessment-file.schema.json")
# A file larger than this is no assessment: refuse it before parsing.
MAX_BYTES = 20 * 1024 * 1024


class FileRefused(ValueError):
    """The file cannot be imported; the message says why, for the person uploading it."""


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


# --- export --------------------------------------------------------------------------------


def export(assessment: Assessment, *, for_respondent: bool = False) -> dict[str, Any]:
    """The assessment as a portable document.

    `for_respondent` is the copy a contractor downloads from its link: its answers, their
    history and its own action plan, without the buyer's review marks, comments or events.
    """
    version = assessment.questionnaire_version
    answers = []
    for row in sorted(stored_answers(assessment).values(), key=lambda r: r.question_key):
        item = {
            "question_key": row.question_key,
            "value": row.value,
            "na_reason": row.na_reason,
            "comment": row.comment,
            "updated_at": _iso(row.updated_at),
            "updated_by": row.updated_by_label,
        }
        # How the answer is known, on installations that record it.
        basis = getattr(row, "basis", None)
        if basis is not None:
            item["basis"] = str(basis.value if hasattr(basis, "value") else basis)
        answers.append(item)
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.assessment_id == assessment.id)
        .order_by(AuditEntry.created_at, AuditEntry.id)
    )
    audit = [
        {
            "event": entry.event,
            "question_key": entry.question_key,
            "old": entry.old,
            "new": entry.new,
            "actor": entry.actor_label,
            "at": _iso(entry.created_at),
        }
        for entry in entries
        if not for_respondent or entry.event in (AuditEvent.ANSWER, AuditEvent.SUBMITTED)
    ]
    items = db.session.scalars(
        select(ActionItem)
        .where(ActionItem.assessment_id == assessment.id)
        .order_by(ActionItem.question_key)
    )
    plan = [
        {
            "question_key": item.question_key,
            "response": item.response.value,
            "action": item.action,
            "decline_reason": item.decline_reason,
            "owner": item.owner_label,
            "due_on": _iso(item.due_on),
            "done_at": _iso(item.done_at),
            "done_note": item.done_note,
            "buyer_comment": None if for_respondent else item.buyer_comment,
        }
        for item in items
    ]
    marks = []
    if not for_respondent:
        marks = [
            {
                "question_key": mark.question_key,
                "verdict": mark.verdict.value,
                "comment": mark.comment,
            }
            for mark in db.session.scalars(
                select(ReviewNote)
                .where(ReviewNote.assessment_id == assessment.id)
                .order_by(ReviewNote.question_key)
            )
        ]
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "app_version": app_version(),
        "questionnaire": {
            "key": version.key,
            "version": version.version,
            "content_hash": version.content_hash,
            "title": version.title,
        },
        "assessment": {
            "subject": assessment.subject,
            "period": assessment.period,
            "status": assessment.status.value,
            "kind": assessment.kind.value,
            "organisation": None if for_respondent else assessment.organisation.name,
            "created_at": _iso(assessment.created_at),
            "submitted_at": _iso(assessment.submitted_at),
        },
        "answers": answers,
        "audit": audit,
        "action_plan": plan,
        "review_notes": marks,
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


def file_name(assessment: Assessment) -> str:
    from app.exports import safe_name

    return (
        f"assessment-{safe_name(assessment.subject, 'assessment')}-"
        f"{assessment.questionnaire_version.key}-{assessment.questionnaire_version.version}.json"
    )


# --- reading and checking ------------------------------------------------------------------


@dataclass
class CheckedFile:
    """A file that passed every check: its questionnaire and its answers, ready to store."""

    document: dict[str, Any]
    questionnaire: engine.Questionnaire
    answers: dict[str, AnswerInput] = field(default_factory=dict)
    bases: dict[str, str] = field(default_factory=dict)


def _known_questionnaires():
    """Today's questionnaires, then every stored version (read only when an old file asks)."""
    current = content()
    yield from current.questionnaires.values()
    for row in db.session.scalars(select(QuestionnaireVersion)):
        yield current.of_version(row)


def parse(data: bytes) -> dict[str, Any]:
    """The document in an uploaded file, checked against the JSON Schema; or FileRefused."""
    if not data:
        raise FileRefused("The file is empty.")
    if len(data) > MAX_BYTES:
        raise FileRefused("The file is too large to be an assessment file.")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise FileRefused(
            f"The file is not an assessment file: it is not JSON text ({error.__class__.__name__})."
        ) from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise FileRefused("The file is not a ddcheck assessment file.")
    if document.get("schema_version") != SCHEMA_VERSION:
        raise FileRefused(
            f"The file is of assessment file version {document.get('schema_version')!r}; this "
            f"installation reads version {SCHEMA_VERSION}."
        )
    legacy.modernise_file(document, _known_questionnaires())
    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "the document"
        raise FileRefused(
            f"The file does not fit the assessment file format at {where}: {error.message[:300]}"
        )
    return document


def known_questionnaire(document: dict[str, Any]) -> engine.Questionnaire:
    """The questionnaire the file answers, if this installation knows its exact content."""
    facts = document["questionnaire"]
    wanted = facts["content_hash"]
    current = content()
    found = current._by_hash.get(wanted)
    if found is None:
        row = db.session.scalar(
            select(QuestionnaireVersion).where(QuestionnaireVersion.content_hash == wanted)
        )
        if row is not None:
            found = current.of_version(row)
    if found is not None:
        return found
    named = f"“{facts['title'] or facts['key']}” version {facts['version']}"
    here = current.get(facts["key"])
    if here is None:
        raise FileRefused(
            f"The file answers the questionnaire {named} (key {facts['key']}), which this "
            "installation does not have. Nothing was imported."
        )
    if here.version == facts["version"]:
        raise FileRefused(
            f"The file answers the questionnaire {named}, but its content differs from version "
            f"{here.version} here (content hash {wanted[:12]}… against {here.content_hash[:12]}…). "
            "Nothing was imported."
        )
    raise FileRefused(
        f"The file answers the questionnaire {named}; this installation has version "
        f"{here.version} of it and does not know the content of version {facts['version']}. "
        "Nothing was imported."
    )


def check(document: dict[str, Any], expected_hash: str | None = None) -> CheckedFile:
    """Check a parsed document against its questionnaire: every answer must fit its question.

    `expected_hash`: the questionnaire version the answers must be for (an invitation's).
    """
    questionnaire = known_questionnaire(document)
    if expected_hash is not None and questionnaire.content_hash != expected_hash:
        facts = document["questionnaire"]
        raise FileRefused(
            f"The file answers “{facts['title']}” version {facts['version']}, not the "
            "questionnaire version asked for here. Nothing was imported."
        )
    checked = CheckedFile(document=document, questionnaire=questionnaire)
    problems = []
    for item in document["answers"]:
        key = item["question_key"]
        if not questionnaire.has_question(key):
            problems.append(f"{key}: no such question in this questionnaire")
            continue
        fields = {
            "value": item.get("value"),
            "na": item.get("na_reason") is not None,
            "na_reason": item.get("na_reason") or "",
            "comment": item.get("comment") or "",
        }
        # How the answer is known travels where this installation records it.
        if "basis" in AnswerInput.__dataclass_fields__:
            fields["basis"] = item.get("basis") or ""
        given = AnswerInput(**fields)
        try:
            checked.answers[key] = check_answer(questionnaire.question(key), given)
        except InvalidAnswer as error:
            problems.append(f"{key}: {error}")
        if item.get("basis"):
            checked.bases[key] = item["basis"]
    for item in document.get("action_plan", ()):
        if not questionnaire.has_question(item["question_key"]):
            problems.append(f"{item['question_key']}: action plan for no such question")
    for name in ("created_at", "submitted_at"):
        _parse_time(document["assessment"].get(name), problems, name)
    for entry in document.get("audit", ()):
        _parse_time(entry.get("at"), problems, "audit")
        if entry["event"] not in AuditEvent.__members__.values():
            problems.append(f"audit: unknown event {entry['event']!r}")
    if problems:
        shown = "; ".join(problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise FileRefused(
            f"Some answers in the file do not fit the questionnaire: {shown}{more}. "
            "Nothing was imported."
        )
    return checked


def _parse_time(text: str | None, problems: list[str], where: str) -> datetime | None:
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        problems.append(f"{where}: {text[:40]!r} is not a date and time")
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _time(text: str | None) -> datetime | None:
    return _parse_time(text, [], "")


# --- import --------------------------------------------------------------------------------


def import_assessment(
    data: bytes, *, organisation: Organisation, user: User | None, submitted: bool = False
) -> Assessment:
    """A new self-assessment of `organisation` from a file: a draft, or (`submitted`) a
    submitted copy with its dates, audit trail, action plan and review marks, marked imported
    in its history. Refuses with FileRefused; nothing is stored unless all of it fits."""
    checked = check(parse(data))
    document = checked.document
    facts = document["assessment"]
    keep_submitted = submitted and facts["status"] == AssessmentStatus.SUBMITTED.value
    principal = Principal(user=user)
    now = utcnow()
    assessment = Assessment(
        organisation=organisation,
        questionnaire_version=content().version_row(checked.questionnaire),
        subject=facts["subject"][:200],
        period=(facts.get("period") or None),
        kind=AssessmentKind.SELF,
        language=interface_language(),
        created_by=user,
        created_at=(_time(facts.get("created_at")) or now) if keep_submitted else now,
        updated_at=now,
    )
    if keep_submitted:
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.submitted_at = _time(facts.get("submitted_at")) or now
    db.session.add(assessment)
    db.session.flush()
    by_key = {item["question_key"]: item for item in document["answers"]}
    has_basis = hasattr(Answer, "basis")
    for key, given in checked.answers.items():
        row = Answer(
            assessment_id=assessment.id,
            question_key=key,
            revision=1,
            updated_at=(_time(by_key[key].get("updated_at")) if keep_submitted else None) or now,
            updated_by_label=by_key[key].get("updated_by") or principal.display_name,
            updated_by_id=None,
            **given.state(),
        )
        if has_basis and key in checked.bases:
            row.basis = checked.bases[key]
        db.session.add(row)
    if keep_submitted:
        for entry in document.get("audit", ()):
            audit.record(
                assessment,
                AuditEvent(entry["event"]),
                actor_label=entry.get("actor"),
                question_key=entry.get("question_key"),
                old=entry.get("old"),
                new=entry.get("new"),
                at=_time(entry["at"]),
            )
        _import_plan(assessment, document.get("action_plan", ()))
        _import_review_notes(assessment, document.get("review_notes", ()))
    audit.record(
        assessment,
        AuditEvent.IMPORTED,
        actor=principal,
        questionnaire_version=checked.questionnaire.version,
        content_hash=checked.questionnaire.content_hash,
        status=assessment.status.value,
        answers=len(checked.answers),
    )
    db.session.commit()
    return assessment


def _import_plan(assessment: Assessment, items) -> None:
    for item in items:
        db.session.add(
            ActionItem(
                assessment_id=assessment.id,
                question_key=item["question_key"],
                response=ActionResponse(item["response"]),
                action=item.get("action"),
                decline_reason=item.get("decline_reason"),
                # People of another installation are not users here: the owner is kept in words.
                owner_name=(item.get("owner") or None),
                due_on=date.fromisoformat(item["due_on"]) if item.get("due_on") else None,
                done_at=_time(item.get("done_at")),
                done_note=item.get("done_note"),
                buyer_comment=item.get("buyer_comment"),
            )
        )


def _import_review_notes(assessment: Assessment, marks) -> None:
    for mark in marks:
        db.session.add(
            ReviewNote(
                assessment_id=assessment.id,
                question_key=mark["question_key"],
                verdict=Verdict(mark["verdict"]),
                comment=mark.get("comment"),
            )
        )


def fill_from_file(target: Assessment, data: bytes, principal: Principal) -> int:
    """Answer a draft (a contractor's invitation) with the answers of a file for the same
    questionnaire version, through the ordinary save so each change is audited.

    Returns the number of answers saved. Refuses with FileRefused before saving anything.
    """
    if not target.is_draft:
        raise FileRefused("These answers are submitted already and cannot change.")
    checked = check(parse(data), expected_hash=target.questionnaire_version.content_hash)
    stored = stored_answers(target)
    saved = 0
    for key, given in checked.answers.items():
        current = stored.get(key)
        result = save_answer(
            target,
            key,
            given,
            base_revision=current.revision if current else 0,
            principal=principal,
            progress=False,
        )
        saved += int(result.saved)
    audit.record(target, AuditEvent.FILE_UPLOADED, actor=principal, answers=saved)
    db.session.commit()
    return saved
