"""Demo data: one organisation of each kind with documented users (see README)."""

from __future__ import annotations

from app.auth import services
from app.extensions import db
from app.models import Organisation, OrganisationKind, Role, User

DEMO_PASSWORD = "ddcheck-demo"

DEMO_ORGANISATIONS = [
    (
        "City of Northbridge Procurement Office",
        OrganisationKind.PUBLIC_BUYER,
        [("Ana Buyer", "buyer@demo.ddcheck.test", Role.ADMIN)],
    ),
    (
        "Harbour Textiles Ltd",
        OrganisationKind.COMPANY,
        [
            ("Carla Company", "company@demo.ddcheck.test", Role.ADMIN),
            ("Sam Assessor", "assessor@demo.ddcheck.test", Role.ASSESSOR),
            ("Vic Viewer", "viewer@demo.ddcheck.test", Role.VIEWER),
        ],
    ),
    (
        "Fair Work Training Centre",
        OrganisationKind.TRAINING_PROVIDER,
        [("Fay Facilitator", "facilitator@demo.ddcheck.test", Role.ADMIN)],
    ),
]


def seed() -> bool:
    """Create the demo organisations and users; returns False when they exist already."""
    if User.email_taken(DEMO_ORGANISATIONS[0][2][0][1]):
        return False
    for org_name, kind, users in DEMO_ORGANISATIONS:
        organisation = Organisation(name=org_name, kind=kind)
        db.session.add(organisation)
        for name, email, role in users:
            services.create_user(
                organisation=organisation,
                name=name,
                email=email,
                password=DEMO_PASSWORD,
                role=role,
            )
    db.session.commit()
    return True


def credentials_text() -> str:
    """The demo sign-ins, for the terminal."""
    lines = [f"Demo sign-in (password for every demo user: {DEMO_PASSWORD}):"]
    for org_name, _kind, users in DEMO_ORGANISATIONS:
        for _name, email, role in users:
            lines.append(f"  {email:<32} {role.value:<9} {org_name}")
    return "\n".join(lines)
