"""Account operations shared by the views and the command line."""

from __future__ import annotations

from app.extensions import db
from app.models import ColleagueInvitation, Organisation, OrganisationKind, Role, User, utcnow


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
    """Create an organisation with its first user as admin, and commit."""
    organisation = Organisation(name=organisation_name, kind=OrganisationKind(kind))
    db.session.add(organisation)
    user = create_user(
        organisation=organisation, name=name, email=email, password=password, role=Role.ADMIN
    )
    db.session.commit()
    return user


def accept_invitation(invitation: ColleagueInvitation, name: str, password: str) -> User:
    """Turn an open colleague invitation into an account with the invited role, and commit."""
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
