"""Registration, sign-in, sign-out, passwords and throttling."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Organisation, Role, User
from tests import factories, mailbox


def test_registration_creates_the_organisation_and_its_first_admin(client, app):
    response = mailbox.register(client, app, email="Ana@Example.org")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")
    user = db.session.scalar(select(User).where(User.email == "ana@example.org"))
    assert user.role == Role.ADMIN
    assert user.organisation.name == "Northbridge Council"
    assert user.organisation.kind.value == "buyer"
    assert user.password_hash != factories.PASSWORD
    page = client.get("/dashboard")
    assert b"Northbridge Council" in page.data


def _confirmed(client, app, email="ana@example.org"):
    """A client that opened the registration link sent to `email`."""
    client.post("/register", data={"email": email})
    client.get(mailbox.registration_link(app, email))
    return client


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("password", "short", b"at least 12 characters"),
        ("confirm", "something else entirely", b"The passwords differ"),
        ("organisation_kind", "pirate_ship", b"Not a valid choice"),
        ("organisation_name", "", b"This field is required"),
    ],
)
def test_registration_errors_are_listed_at_the_top_and_beside_the_field(
    client, app, field, value, message
):
    _confirmed(client, app)
    response = client.post("/register/confirm", data={**mailbox.REGISTRATION, field: value})
    assert response.status_code == 200
    assert b'id="error-summary"' in response.data
    assert message in response.data
    assert db.session.scalar(select(User)) is None


def test_registration_asks_for_a_real_address_first(client, app):
    response = client.post("/register", data={"email": "not-an-address"})
    assert response.status_code == 200
    assert b'id="error-summary"' in response.data and b"Invalid email address" in response.data
    assert mailbox.messages(app) == []


def test_the_kind_of_organisation_is_asked_not_chosen_for_the_user(client, app):
    page = _confirmed(client, app).get("/register/confirm").get_data(as_text=True)
    select_tag = re.search(r'<select[^>]*name="organisation_kind"[^>]*>(.*?)</select>', page, re.S)
    assert "required" in select_tag.group(0)
    assert re.match(r'<option value="">', select_tag.group(1))  # an empty placeholder first
    assert "selected" not in select_tag.group(1)

    response = client.post(
        "/register/confirm", data={**mailbox.REGISTRATION, "organisation_kind": ""}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Choose the kind of your organisation." in html
    assert 'value="Northbridge Council"' in html  # nothing typed is lost
    assert db.session.scalar(select(Organisation)) is None


def test_sign_in_and_sign_out(client, admin):
    response = client.post("/sign-in", data={"email": admin.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    response = client.post("/sign-out")
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 302  # back to sign-in


def test_sign_in_ignores_the_case_of_the_address(client, admin):
    response = client.post(
        "/sign-in", data={"email": admin.email.upper(), "password": factories.PASSWORD}
    )
    assert response.status_code == 302


def test_wrong_password_says_so_without_telling_which_part_is_wrong(client, admin):
    response = client.post("/sign-in", data={"email": admin.email, "password": "wrong password!"})
    assert response.status_code == 200
    assert b"The email address or the password is wrong." in response.data
    assert client.get("/dashboard").status_code == 302


def test_sign_in_follows_next_only_within_the_site(client, admin):
    data = {"email": admin.email, "password": factories.PASSWORD}
    response = client.post("/sign-in?next=https://evil.example/phish", data=data)
    assert response.headers["Location"].endswith("/dashboard")
    client.post("/sign-out")
    response = client.post("/sign-in?next=/colleagues/", data=data)
    assert response.headers["Location"].endswith("/colleagues/")


def test_remember_me_sets_a_lasting_cookie(client, admin):
    client.post(
        "/sign-in", data={"email": admin.email, "password": factories.PASSWORD, "remember": "y"}
    )
    assert client.get_cookie("remember_token") is not None


def test_pages_need_sign_in(client):
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_failed_sign_ins_are_throttled_per_account_with_a_clear_message(client, admin, monkeypatch):
    from app.auth import throttle

    # The clock stands still: a second boundary crossed between the fifth failure and the next
    # attempt (on a busy machine) would make the wait read 29 seconds.
    monkeypatch.setattr(throttle, "_now", lambda: 1_800_000_000)
    for _ in range(5):
        response = client.post(
            "/sign-in", data={"email": admin.email, "password": "nope nope nope"}
        )
        assert response.status_code == 200
    response = client.post("/sign-in", data={"email": admin.email, "password": factories.PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed attempts. Wait 30 seconds" in response.data
    # Another account from the same address is not locked by this one's failures.
    other = factories.make_user(admin.organisation, "viewer")
    response = client.post("/sign-in", data={"email": other.email, "password": factories.PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("app_settings", [{"SIGNIN_FREE_FAILURES_PER_ADDRESS": 3}])
def test_failed_sign_ins_are_throttled_per_address(client, admin, app_settings):
    for number in range(3):
        client.post("/sign-in", data={"email": f"nobody{number}@example.org", "password": "x" * 12})
    response = client.post("/sign-in", data={"email": admin.email, "password": factories.PASSWORD})
    assert response.status_code == 429


def test_successful_sign_ins_do_not_count_towards_the_limit(client, admin):
    for _ in range(8):
        response = client.post(
            "/sign-in", data={"email": admin.email, "password": factories.PASSWORD}
        )
        assert response.status_code == 302
        client.post("/sign-out")


def test_change_password(admin_client, admin):
    response = admin_client.post(
        "/account/password",
        data={
            "current_password": "wrong one!",
            "password": "new password 123",
            "confirm": "new password 123",
        },
    )
    assert b"This is not your current password." in response.data
    response = admin_client.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "password": "new password 123",
            "confirm": "new password 123",
        },
    )
    assert response.status_code == 302
    db.session.refresh(admin)
    assert admin.check_password("new password 123")
    assert not admin.check_password(factories.PASSWORD)
    assert "changed their password" in admin_client.get("/colleagues/").get_data(as_text=True)


def test_settings_save_the_name_and_language(admin_client, admin):
    response = admin_client.post("/account", data={"name": "Ana B.", "locale": "en"})
    assert response.status_code == 302
    db.session.refresh(admin)
    assert admin.name == "Ana B."
    assert admin.locale == "en"
    response = admin_client.post("/account", data={"name": "Ana B.", "locale": "xx"})
    assert b"Not a valid choice" in response.data
