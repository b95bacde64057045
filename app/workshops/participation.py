"""Joining a workshop as a team, and the signed cookie that remembers the team.

Flask's session is a signed cookie: it holds only the team's id, checked against the database
on every request, and is made permanent so that a team returning later continues.
"""

from __future__ import annotations

import re
import secrets

from flask import g, session
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from app import audit
from app.audit import AuditEvent
from app.extensions import db
from app.models import (
    Assessment,
    AssessmentKind,
    Workshop,
    WorkshopTeam,
)
from app.models.types import DB_INT_MAX
from app.scoping import Grant

SESSION_KEY = "workshop_team"
# No 0/O, 1/I/L: a code read off a projector screen is typed without guessing.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
TEAM_NAME_LENGTH = 60


class JoinRefused(Exception):
    """The code or the team name cannot be used; the message says why, for the participant."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def normalise_code(text: str | None) -> str:
    """A join code as typed (any case, spaces or dashes) in its stored form."""
    return re.sub(r"[\s\-]+", "", text or "").upper()


def new_code() -> str:
    """A random join code not used by any open workshop."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if open_workshop_by_code(code) is None:
            return code


def open_workshop_by_code(code: str) -> Workshop | None:
    return db.session.scalar(
        select(Workshop).where(Workshop.join_code == code, Workshop.closed_at.is_(None)).limit(1)
    )


# Closed and unknown codes answer alike, so that trying codes tells nothing about them.
def _no_open_workshop() -> JoinRefused:
    return JoinRefused(
        "code",
        _(
            "No open workshop has this code. Check the code on the screen (6 characters), "
            "or ask the facilitator."
        ),
    )


def workshop_to_join(code_text: str | None) -> Workshop:
    """The open workshop with this code; JoinRefused says why there is none."""
    code = normalise_code(code_text)
    workshop = open_workshop_by_code(code) if len(code) == CODE_LENGTH else None
    if workshop is None:
        raise _no_open_workshop()
    return workshop


def name_key(name: str) -> str:
    """Team names compare without case and extra spaces."""
    return " ".join(name.split()).casefold()


def join(code_text: str, team_name: str) -> WorkshopTeam:
    """Create a team in the open workshop with this code, with its own draft assessment."""
    workshop = workshop_to_join(code_text)
    name = " ".join(team_name.split())[:TEAM_NAME_LENGTH]
    if not name:
        raise JoinRefused("team", _("Enter a team name."))
    key = name_key(name)
    taken = db.session.scalar(
        select(WorkshopTeam.id).where(
            WorkshopTeam.workshop_id == workshop.id, WorkshopTeam.name_key == key
        )
    )
    if taken:
        raise _name_taken()
    if workshop.max_teams is not None:
        # Holds the workshop row (PostgreSQL), so that two last joins cannot both get in.
        db.session.execute(select(Workshop.id).where(Workshop.id == workshop.id).with_for_update())
        teams = db.session.scalar(
            select(func.count())
            .select_from(WorkshopTeam)
            .where(WorkshopTeam.workshop_id == workshop.id)
        )
        if teams >= workshop.max_teams:
            raise JoinRefused(
                "code",
                _(
                    "This workshop has all the teams it takes. Join one of them, "
                    "or ask the facilitator."
                ),
            )
    assessment = Assessment(
        organisation_id=workshop.organisation_id,
        questionnaire_version_id=workshop.questionnaire_version_id,
        subject=name,
        period=workshop.title[:100],
        kind=AssessmentKind.WORKSHOP_TEAM,
        language=workshop.language,
    )
    db.session.add(assessment)
    db.session.flush()
    team = WorkshopTeam(workshop=workshop, name=name, name_key=key, assessment=assessment)
    db.session.add(team)
    audit.record(assessment, AuditEvent.CREATED, actor_label=name)
    try:
        db.session.commit()
    except IntegrityError as error:
        # Another phone took the same name a moment earlier.
        db.session.rollback()
        raise _name_taken() from error
    return team


def _name_taken() -> JoinRefused:
    return JoinRefused(
        "team", _("Another team in this workshop already has this name. Choose another one.")
    )


def remember(team: WorkshopTeam) -> None:
    """Keep the team in the signed session cookie, across browser restarts."""
    session[SESSION_KEY] = team.id
    session.permanent = True


# Built once: a request only binds the id (`Session.get` with options would build it anew). The
# workshop (for the grant) and the assessment (for the scoping look-up, which then finds it in
# the session) come in the same row: one round trip on every answer.
_TEAM_BY_ID = (
    select(WorkshopTeam, Workshop, Assessment)
    .join(Workshop, Workshop.id == WorkshopTeam.workshop_id)
    .join(Assessment, Assessment.id == WorkshopTeam.assessment_id)
    .where(WorkshopTeam.id == bindparam("team_id"))
)


def current_team() -> WorkshopTeam | None:
    """The team this browser joined as, if it still exists."""
    if "workshop_team" in g:
        return g.workshop_team
    team_id = session.get(SESSION_KEY)
    row = (
        db.session.execute(_TEAM_BY_ID, {"team_id": team_id}).first()
        if isinstance(team_id, int) and 0 < team_id <= DB_INT_MAX
        else None
    )
    team = None
    if row is not None:
        team, workshop, assessment = row
        # The team holds them for the request (the session holds what it loaded only weakly).
        set_committed_value(team, "workshop", workshop)
        set_committed_value(team, "assessment", assessment)
    g.workshop_team = team
    return team


def team_language() -> str | None:
    """The language of the workshop this browser's team works in (None without a team)."""
    team = current_team()
    return team.workshop.language if team is not None else None


def team_grant() -> Grant | None:
    """The principal provider: the team's own assessment, and nothing else.

    After the workshop closes the assessment is submitted, so the grant only reads. The team's
    results (scores, red flags, gap report) stay hidden until the facilitator reveals them.
    """
    team = current_team()
    if team is None:
        return None
    hidden = frozenset() if team.workshop.revealed else frozenset({team.assessment_id})
    return Grant(
        assessment_ids=frozenset({team.assessment_id}), label=team.name, results_hidden=hidden
    )
