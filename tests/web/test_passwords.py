"""New passwords: at least 12 characters and not easy to guess, judged offline."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth import passwords
from app.extensions import db
from app.models import User
from tests import factories, mailbox

WEAK = ["aaaaaaaaaaaa", "123456789012", "password1234", "qwertyuiopas", "aaaaaaaaaa", "password12"]


@pytest.mark.parametrize("password", WEAK)
def test_registration_refuses_an_easy_password(client, app, password):
    response = mailbox.register(
        client,
        app,
        email="wendy@weak.example",
        organisation_name="Weak Passwords Ltd",
        organisation_kind="company",
        name="Wendy Weak",
        password=password,
        confirm=password,
    )
    assert response.status_code == 200
    assert db.session.scalar(select(User).where(User.email == "wendy@weak.example")) is None
    text = response.get_data(as_text=True)
    assert "easy to guess" in text or "at least 12 characters" in text


def test_a_password_made_of_the_persons_own_name_is_easy_to_guess():
    assert passwords.problem("Wendy Weakling", user_inputs=["Wendy Weakling"]) is not None


@pytest.mark.parametrize(
    "password", [factories.PASSWORD, "plum orchard ferry 1987", "ddcheck-demo"]
)
def test_good_passwords_and_the_demo_password_are_accepted(password):
    assert passwords.problem(password) is None


def test_a_password_change_refuses_an_easy_password(admin_client, admin):
    response = admin_client.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "password": "password1234",
            "confirm": "password1234",
        },
    )
    assert response.status_code == 200
    assert "easy to guess" in response.get_data(as_text=True)
    assert db.session.get(User, admin.id).check_password(factories.PASSWORD)
