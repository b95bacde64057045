"""Account operations shared by the views and the command line."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from app import audit
from app.audit import ColleagueEventKind
from app.extensions import db
from app.models import (
    ColleagueInvitation,
    Organisation,
    OrganisationKind,
    Role,
    User,
    utcnow,
)


class AddressTaken(Exception):
    """An account with this address exists (it was created a moment ago)."""


def create_user(
    *, organisation: Organisation, name: str, email: str, password: str, role: Role
) -> User:
    """Add a user to an organisation (the caller commits)."""
    user = User(organisation=organisation, name=name, email=User.normalise_email(email), role=role)
    user.set_password(password)
    db.session.add(user)
    return user


def register_organisation(
    *, organisation_name: str, kind: str, name: str, email: str, password: str
) -> User:
    """Create an organisation with its first user as admin, and commit.

    Raises AddressTaken when the address has an account (nothing is created then).
    """
    organisation = Organisation(name=organisation_name, kind=OrganisationKind(kind))
    db.session.add(organisation)
    user = create_user(
        organisation=organisation, name=name, email=email, password=password, role=Role.ADMIN
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AddressTaken from None
    return user


def _record_own(user: User, event: ColleagueEventKind) -> None:
    """An event of a person's own account, in the colleague history (they are the actor)."""
    audit.record_colleague(user, event, actor=user, actor_label=user.name)


def change_password(user: User, password: str) -> None:
    """Set a new password the person chose while signed in; every session ends, and commit."""
    user.set_password(password)
    user.end_sessions()
    _record_own(user, ColleagueEventKind.PASSWORD_CHANGED)
    db.session.commit()


def reset_password(user: User, password: str) -> None:
    """Set a new password by a reset link; every session ends, the link dies, and commit."""
    user.set_password(password)
    user.end_sessions()
    _record_own(user, ColleagueEventKind.PASSWORD_RESET)
    db.session.commit()


def accept_invitation(invitation: ColleagueInvitation, name: str, password: str) -> User:
    """Turn an open colleague invitation into an account with the invited role, and commit.

    Raises AddressTaken when the invited address has an account already (nothing changes).
    """
    if User.email_taken(invitation.email):
        raise AddressTaken()
    user = create_user(
        organisation=invitation.organisation,
        name=name,
        email=invitation.email,
        password=password,
        role=invitation.role,
    )
    invitation.accepted_at = utcnow()
    db.session.commit()
    return user
