"""One-line builders of test data."""

from __future__ import annotations

import itertools

from app.auth import services
from app.extensions import db
from app.models import Organisation, OrganisationKind, Role, User

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def make_organisation(name: str = "Test Org", kind: str = "public_buyer") -> Organisation:
    organisation = Organisation(name=name, kind=OrganisationKind(kind))
    db.session.add(organisation)
    db.session.commit()
    return organisation


def make_user(
    organisation: Organisation,
    role: str = "admin",
    *,
    name: str | None = None,
    email: str | None = None,
    password: str = PASSWORD,
) -> User:
    number = next(_counter)
    user = services.create_user(
        organisation=organisation,
        name=name or f"{role.title()} {number}",
        email=email or f"{role}{number}@example.org",
        password=password,
        role=Role(role),
    )
    db.session.commit()
    return user


def signed_in(client, user: User):
    """Sign a test client in as `user` without going through the form."""
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    return client
