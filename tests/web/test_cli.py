"""Commands an operator runs: create-user and seed-demo."""

from __future__ import annotations

from sqlalchemy import func, select

from app.demo import DEMO_PASSWORD
from app.extensions import db
from app.models import Organisation, Role, User


def test_create_user_creates_the_organisation_and_the_user(runner):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Op@Example.org",
            "--name",
            "Operator",
            "--organisation",
            "Ministry of Works",
            "--kind",
            "public_buyer",
            "--password",
            "operator password",
        ],
    )
    assert result.exit_code == 0, result.output
    user = User.by_email("op@example.org")
    assert user.role == Role.ADMIN
    assert user.organisation.name == "Ministry of Works"
    assert user.check_password("operator password")


def test_create_user_refuses_a_taken_address_and_a_short_password(runner, admin):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            admin.email,
            "--name",
            "X",
            "--organisation",
            "Y",
            "--password",
            "long enough pw",
        ]
    )
    assert result.exit_code != 0
    assert "exists already" in result.output
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "a@b.org",
            "--name",
            "X",
            "--organisation",
            "Y",
            "--password",
            "short",
        ]
    )
    assert result.exit_code != 0
    assert "at least 10" in result.output


def test_seed_demo_creates_one_organisation_of_each_kind_and_prints_the_sign_in(runner, client):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0
    assert "buyer@demo.ddcheck.test" in result.output
    kinds = set(db.session.scalars(select(Organisation.kind)))
    assert {k.value for k in kinds} == {"public_buyer", "company", "training_provider"}
    response = client.post(
        "/sign-in", data={"email": "company@demo.ddcheck.test", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    # Running it again changes nothing.
    count = db.session.scalar(select(func.count()).select_from(User))
    result = runner.invoke(args=["seed-demo"])
    assert "exists already" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == count
