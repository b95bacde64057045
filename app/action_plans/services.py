"""Answering the recommendations of a gap report, marking actions done, and following up.

The plan's rows are the gaps of the submitted assessment, in the report's order (red flags
first); a row has an item once the organisation has responded. Every change is appended to
the assessment's audit trail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

import questionnaires as engine
from app import audit, signals
from app.assessments.queries import scorecard_of, shown_scorecard
from app.audit import AuditEvent
from app.content import content
from app.extensions import db
from app.models import ActionItem, ActionResponse, Assessment, AssessmentKind, User, utcnow
from app.scoping import Principal

# A red flag is declined only with a reason of at least a sentence: a few words, not "n/a".
SENTENCE_MIN_WORDS = 5
SENTENCE_MIN_CHARACTERS = 25


class PlanClosed(Exception):
    """An action plan exists only for a submitted assessment."""


class InvalidResponse(ValueError):
    """The response misses what it needs; the message says what, for the person answering.

    `fields` names the form fields the message concerns, so that it can sit beside them.
    """

    def __init__(self, message: str, fields: tuple[str, ...] = ()):
        super().__init__(message)
        self.fields = fields


def _listed(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s and %(last)s", items=", ".join(items[:-1]), last=items[-1])


@dataclass(frozen=True)
class PlanRow:
    """A gap of the report and the organisation's response to it (None until it responds)."""

    gap: engine.Gap
    item: ActionItem | None

    @property
    def key(self) -> str:
        return self.gap.question_key

    @property
    def is_red_flag(self) -> bool:
        return self.gap.kind == engine.RED_FLAG

    def status(self, today: date) -> str:
        """open (no response), accepted, in-progress, declined, done or overdue."""
        if self.item is None:
            return "open"
        if self.item.is_done:
            return "done"
        if self.item.is_overdue(today):
            return "overdue"
        return self.item.response.value


STATUSES = ("open", "accepted", "in-progress", "declined", "overdue", "done")


def items_of(assessment: Assessment) -> dict[str, ActionItem]:
    """The responses given so far, by question."""
    # Owners in the same round trip: the plan page and the report name each one.
    rows = db.session.scalars(
        select(ActionItem)
        .where(ActionItem.assessment_id == assessment.id)
        .options(selectinload(ActionItem.owner))
    )
    return {item.question_key: item for item in rows}


def plan_of(assessment: Assessment) -> list[PlanRow]:
    """Every gap of the submitted assessment with its response, red flags first."""
    scorecard = shown_scorecard(assessment)
    gaps = engine.find_gaps(scorecard, match=content().match)
    items = items_of(assessment)
    return [PlanRow(gap, items.get(gap.question_key)) for gap in gaps]


def filter_rows(
    rows: list[PlanRow], *, status: str | None, owner: str | None, today: date
) -> list[PlanRow]:
    """The rows with this status (overdue included) and this owner (by name)."""
    found = rows
    if status:
        found = [row for row in found if row.status(today) == status]
    if owner:
        found = [row for row in found if row.item is not None and row.item.owner_label == owner]
    return found


def row_of(assessment: Assessment, question_key: str) -> PlanRow | None:
    """The plan's row of one question (None if the plan has no row for it)."""
    return next((row for row in plan_of(assessment) if row.key == question_key), None)


def owners_of(rows: list[PlanRow]) -> list[str]:
    """The names of the rows' owners, each once, in alphabetical order (the owner filter)."""
    return sorted({row.item.owner_label for row in rows if row.item and row.item.owner_label})


def count_by_status(rows: list[PlanRow], today: date) -> dict[str, int]:
    """How many rows have each status today."""
    counts = dict.fromkeys(STATUSES, 0)
    for row in rows:
        counts[row.status(today)] += 1
    return counts


def answers_by_link(principal: Principal, assessment: Assessment) -> bool:
    """A contractor answering its own assessment's plan through its invitation link."""
    return (
        assessment.id in principal.granted
        and assessment.kind == AssessmentKind.CONTRACTOR
        and not assessment.is_draft
    )


def may_edit(principal: Principal, assessment: Assessment) -> bool:
    """The organisation's admins and assessors answer the plan of its own assessments; a
    contractor answers the plan of the assessment it was invited to."""
    if answers_by_link(principal, assessment):
        return True
    user = principal.user
    return (
        user is not None
        and user.organisation_id == assessment.organisation_id
        and user.can_answer
        and assessment.answered_by_owner
        and not assessment.is_draft
    )


def may_comment(principal: Principal, assessment: Assessment) -> bool:
    """The buyer comments on the plan of a contractor assessment it owns."""
    user = principal.user
    return (
        user is not None
        and user.organisation_id == assessment.organisation_id
        and user.can_answer
        and assessment.kind == AssessmentKind.CONTRACTOR
        and not assessment.is_draft
    )


def possible_owners(assessment: Assessment) -> list[User]:
    """The members of the assessment's organisation who may own an action, by name."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.organisation_id == assessment.organisation_id, User.removed_at.is_(None))
            .order_by(User.name)
        )
    )


def chosen_owner(user_id: str | None) -> User | None:
    """The user an owner choice names (None for no choice); `respond` checks the organisation."""
    return db.session.get(User, int(user_id)) if (user_id or "").isdigit() else None


def _is_a_sentence(text: str) -> bool:
    words = re.findall(r"\w+", text)
    return len(words) >= SENTENCE_MIN_WORDS and len(text.strip()) >= SENTENCE_MIN_CHARACTERS


def _state(item: ActionItem | None) -> dict | None:
    if item is None:
        return None
    return {
        "response": item.response.value,
        "action": item.action,
        "decline_reason": item.decline_reason,
        "owner": item.owner_label,
        "due_on": item.due_on.isoformat() if item.due_on else None,
        "done": item.is_done,
        "done_note": item.done_note,
    }


def respond(
    assessment: Assessment,
    row: PlanRow,
    *,
    response: ActionResponse,
    action: str,
    owner: User | None,
    due_on: date | None,
    decline_reason: str,
    principal: Principal,
    owner_name: str = "",
) -> ActionItem:
    """Record the organisation's response to one gap, checking it has what it needs.

    The owner is a member of the organisation (`owner`) or, for a contractor answering
    through its invitation link, a name (`owner_name`).
    """
    if assessment.is_draft:
        raise PlanClosed()
    action = action.strip()
    owner_name = owner_name.strip()[:200]
    decline_reason = decline_reason.strip()
    if owner is not None and owner.organisation_id != assessment.organisation_id:
        raise InvalidResponse(_("The owner must be a member of your organisation."), ("owner",))
    if response == ActionResponse.ACCEPTED:
        missing = [
            (field, label)
            for field, label, value in (
                ("action", _("the action you will take"), action),
                ("owner", _("an owner"), owner or owner_name),
                ("due_on", _("a due date"), due_on),
            )
            if not value
        ]
        if missing:
            raise InvalidResponse(
                _("To accept, give %(missing)s.", missing=_listed([str(m) for _f, m in missing])),
                tuple(field for field, _label in missing),
            )
    elif response == ActionResponse.IN_PROGRESS:
        if not action:
            raise InvalidResponse(_("Say what is already being done."), ("action",))
    elif response == ActionResponse.DECLINED:
        if row.is_red_flag and not _is_a_sentence(decline_reason):
            raise InvalidResponse(
                _(
                    "A red flag can only be declined with a reason of at least a sentence: "
                    "say why this practice is not a risk or why you will not act on it."
                ),
                ("decline_reason",),
            )
        if not decline_reason:
            raise InvalidResponse(_("Give the reason for declining it."), ("decline_reason",))

    item = row.item
    old = _state(item)
    if item is None:
        item = ActionItem(assessment_id=assessment.id, question_key=row.key)
        db.session.add(item)
    item.response = response
    item.action = action or None
    item.decline_reason = decline_reason if response == ActionResponse.DECLINED else None
    item.owner = owner
    item.owner_name = None if owner is not None else (owner_name or None)
    item.due_on = due_on if response != ActionResponse.DECLINED else None
    if response == ActionResponse.DECLINED:
        item.done_at = None
        item.done_note = None
    item.updated_at = utcnow()
    item.updated_by = principal.user
    db.session.flush()
    _record(assessment, AuditEvent.ACTION_PLAN_RESPONSE, row.key, old, _state(item), principal)
    db.session.commit()
    signals.action_plan_changed.send(assessment)
    return item


def mark_done(
    assessment: Assessment, row: PlanRow, *, note: str, principal: Principal
) -> ActionItem:
    """Mark an accepted or in-progress action done, with a note of what was done."""
    item = row.item
    if item is None or item.response == ActionResponse.DECLINED:
        raise InvalidResponse(_("Only an accepted action, or one in progress, can be done."))
    old = _state(item)
    item.done_at = utcnow()
    item.done_note = note.strip() or None
    item.updated_at = item.done_at
    item.updated_by = principal.user
    _record(assessment, AuditEvent.ACTION_DONE, row.key, old, _state(item), principal)
    db.session.commit()
    signals.action_plan_changed.send(assessment)
    return item


def _record(assessment, event, question_key, old, new, principal: Principal) -> None:
    audit.record(assessment, event, actor=principal, question_key=question_key, old=old, new=new)


@dataclass(frozen=True)
class FollowUp:
    """An earlier gap, seen from the next assessment: did the answer improve, was it done?"""

    gap: engine.Gap
    item: ActionItem | None
    score_now: float | None
    answered_now: bool

    @property
    def improved(self) -> bool | None:
        """None when it cannot be told (no answer now)."""
        if not self.answered_now or self.score_now is None:
            return None
        return self.score_now > (self.gap.score or 0.0) if self.gap.score is not None else True

    @property
    def action_done(self) -> bool:
        return self.item is not None and self.item.is_done


def follow_up(assessment: Assessment, previous: Assessment | None) -> list[FollowUp]:
    """For each gap of the previous submitted assessment, what changed in this one."""
    if previous is None:
        return []
    scorecard = scorecard_of(assessment)
    earlier = engine.find_gaps(scorecard_of(previous), include_no_information=False)
    items = items_of(previous)
    found = []
    for gap in earlier:
        result = scorecard.questions.get(gap.question_key)
        found.append(
            FollowUp(
                gap=gap,
                item=items.get(gap.question_key),
                score_now=result.score if result is not None else None,
                answered_now=bool(result is not None and result.answered),
            )
        )
    return found


def comment(assessment: Assessment, row: PlanRow, *, text: str, principal: Principal) -> ActionItem:
    """The buyer's comment on a contractor's response to one gap."""
    item = row.item
    if item is None:
        raise InvalidResponse(_("The contractor has not responded to this one yet."))
    old = {"buyer_comment": item.buyer_comment}
    item.buyer_comment = text.strip() or None
    item.buyer_comment_at = utcnow()
    item.buyer_comment_by = principal.user
    _record(
        assessment,
        AuditEvent.ACTION_PLAN_COMMENT,
        row.key,
        old,
        {"buyer_comment": item.buyer_comment},
        principal,
    )
    db.session.commit()
    signals.action_plan_changed.send(assessment)
    return item


ACTION_RESPONSES = (ActionResponse.ACCEPTED, ActionResponse.IN_PROGRESS)


def red_flags_without_action(assessment: Assessment) -> list[PlanRow]:
    """The red flags of the plan that have no accepted (or already running) action."""
    return [
        row
        for row in plan_of(assessment)
        if row.is_red_flag and (row.item is None or row.item.response not in ACTION_RESPONSES)
    ]
