"""The one way to write history: an assessment's audit trail and the colleague history.

Every area records through `record` (assessment) or `record_colleague` (colleagues), naming
its event from the enums below, so that every entry has the same shape and the history pages,
exports and imports know every name there is.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from app.extensions import db
from app.models import Assessment, AuditEntry, ColleagueEvent, User
from app.models.types import utcnow
from app.scoping import Principal


class AuditEvent(enum.StrEnum):
    """What can happen to an assessment."""

    CREATED = "created"
    LANGUAGE = "language"
    DETAILS = "details"
    ANSWER = "answer"
    SUBMITTED = "submitted"
    REOPENED = "reopened"
    MOVED = "moved"
    IMPORTED = "imported"
    FILE_UPLOADED = "file-uploaded"
    REUSED = "reused"
    LINK_ISSUED = "link-issued"
    LINK_REVOKED = "link-revoked"
    REVIEW = "review"
    RETURNED = "returned"
    REVIEWED = "reviewed"
    ACTION_PLAN_RESPONSE = "action-plan-response"
    ACTION_DONE = "action-done"
    ACTION_PLAN_COMMENT = "action-plan-comment"
    QUESTION_HANDED_OVER = "question-handed-over"
    EVIDENCE_ATTACHED = "evidence-attached"
    EVIDENCE_REMOVED = "evidence-removed"
    EVIDENCE_CHECKED = "evidence-checked"
    EVIDENCE_CONFIRMED = "evidence-confirmed"
    EVIDENCE_QUARANTINED = "evidence-quarantined"


class ColleagueEventKind(enum.StrEnum):
    """What can happen to a member of an organisation's team."""

    ROLE_CHANGED = "role_changed"
    DISABLED = "disabled"
    ENABLED = "enabled"
    REMOVED = "removed"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"


def record(
    assessment: Assessment,
    event: AuditEvent,
    *,
    actor: Principal | None = None,
    actor_label: str | None = None,
    question_key: str | None = None,
    old: Any = None,
    new: Any = None,
    at: datetime | None = None,
    **details: Any,
) -> AuditEntry:
    """Append one entry to an assessment's audit trail (committed with the caller's work).

    `actor` is who acted; `actor_label` names someone without a principal (a workshop team
    joining, an entry carried over from an imported file). Keyword `details` of a lifecycle
    event (submitted, moved, ...) are stored as its new value.
    """
    entry = AuditEntry(
        assessment_id=assessment.id,
        event=AuditEvent(event).value,
        question_key=question_key,
        old=old,
        new=new if new is not None else (details or None),
        actor_id=actor.user.id if actor is not None and actor.user is not None else None,
        actor_label=actor.display_name if actor is not None else actor_label,
        created_at=at or utcnow(),
    )
    db.session.add(entry)
    return entry


def record_colleague(
    user: User,
    event: ColleagueEventKind,
    *,
    actor: User | None,
    actor_label: str,
    **details: Any,
) -> ColleagueEvent:
    """Append one change of `user` to their organisation's colleague history."""
    entry = ColleagueEvent(
        organisation_id=user.organisation_id,
        event=ColleagueEventKind(event).value,
        subject_id=user.id,
        subject_label=user.name,
        actor_id=actor.id if actor is not None else None,
        actor_label=actor_label,
        details=details or None,
    )
    db.session.add(entry)
    return entry
