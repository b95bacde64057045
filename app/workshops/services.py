"""The facilitator's operations on workshops: open, reveal, close; and the scoped lookup."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

import questionnaires as engine
from app import signals
from app.assessments import lifecycle
from app.content import content
from app.extensions import db
from app.models import User, Workshop, WorkshopTeam, utcnow
from app.scoping import Principal, get_assessment
from app.workshops.participation import new_code

DEFAULT_QUESTIONNAIRE = "workshop-exercise"


def get_workshop(user: User, workshop_id: int) -> Workshop:
    """The workshop, if it belongs to the user's organisation; otherwise a 404."""
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None or workshop.organisation_id != user.organisation_id:
        abort(404)
    return workshop


def workshops_of(organisation_id: int) -> list[Workshop]:
    """The organisation's workshops, open ones first, newest first."""
    return list(
        db.session.scalars(
            select(Workshop)
            .where(Workshop.organisation_id == organisation_id)
            .order_by(Workshop.closed_at.is_not(None), Workshop.created_at.desc())
        )
    )


def create_workshop(
    *,
    user: User,
    title: str,
    questionnaire: engine.Questionnaire,
    case_text: str | None,
    reveal_at_end: bool,
    max_teams: int | None = None,
    language: str = "en",
) -> Workshop:
    """Open a workshop with a fresh join code against the current questionnaire version."""
    workshop = Workshop(
        organisation_id=user.organisation_id,
        questionnaire_version=content().version_row(questionnaire),
        title=title,
        case_text=case_text or None,
        join_code=new_code(),
        reveal_at_end=reveal_at_end,
        max_teams=max_teams,
        language=language,
        revealed=False,
        created_by=user,
    )
    db.session.add(workshop)
    db.session.commit()
    return workshop


def questionnaire_of(workshop: Workshop) -> engine.Questionnaire:
    return content().of_version_id(workshop.questionnaire_version_id)


def case_of(workshop: Workshop) -> str | None:
    """The case teams work on: the workshop's own text, or the questionnaire's case."""
    return workshop.case_text or questionnaire_of(workshop).case


def set_revealed(workshop: Workshop, revealed: bool) -> None:
    workshop.revealed = revealed
    db.session.commit()


def close(workshop: Workshop, principal: Principal) -> int:
    """Close the workshop and submit every team's draft, freezing its answers.

    Returns how many assessments were submitted now. Closing twice changes nothing.
    """
    if not workshop.is_open:
        return 0
    workshop.closed_at = utcnow()
    if workshop.reveal_at_end:
        workshop.revealed = True
    db.session.commit()
    submitted = 0
    for team in teams_of(workshop):
        assessment = get_assessment(principal, team.assessment_id)
        if assessment.is_draft:
            lifecycle.submit(assessment, principal, require_evidence=False)
            submitted += 1
    signals.workshop_closed.send(workshop)
    return submitted


def teams_of(workshop: Workshop) -> list[WorkshopTeam]:
    return list(
        db.session.scalars(
            select(WorkshopTeam)
            .where(WorkshopTeam.workshop_id == workshop.id)
            .order_by(WorkshopTeam.id)
        )
    )
