"""Registration by a link sent to the address, password reset, and the mail behind both.

Neither form tells whether an address has an account: the page answers the same, and only
the mailbox learns more.
"""

from __future__ import annotations

import logging
import re
import threading
import time

import pytest
from sqlalchemy import select

from app import mail
from app.auth import tokens
from app.extensions import db
from app.models import ColleagueEvent, User
from tests import factories, mailbox

NEW_PASSWORD = "fresh kettle harbour"
CSRF = re.compile(r'name="csrf_token"[^>]*value="[^"]*"|value="[^"]*"[^>]*name="csrf_token"')


def _post_with_token(client, path: str, data: dict):
    """Post as a browser does: with the CSRF token of the form page."""
    page = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]*)"', page).group(1)
    return client.post(path, data={**data, "csrf_token": token})


def _without_token(response) -> str:
    return CSRF.sub("", response.get_data(as_text=True))


def _later(monkeypatch, seconds: int) -> None:
    """Move the links' clock on, instead of waiting."""
    now = time.time()
    monkeypatch.setattr(tokens, "_now", lambda: int(now + seconds))


# Registration


@pytest.mark.parametrize("app_settings", [{"WTF_CSRF_ENABLED": True}])
def test_registration_answers_the_same_for_a_known_and_an_unknown_address(app, app_settings):
    email = "ana@example.org"
    unknown = _post_with_token(app.test_client(), "/register", {"email": email})
    factories.make_user(factories.make_organisation("Existing Ltd"), email=email)
    known = _post_with_token(app.test_client(), "/register", {"email": email})

    assert unknown.status_code == known.status_code == 200
    assert _without_token(unknown) == _without_token(known)
    assert "Check your inbox" in _without_token(known)

    first, second = mailbox.messages(app, email)
    assert first.subject == "Finish registering on ddcheck"
    assert [p for p in mailbox.links(first) if p.startswith("/register/confirm/")]
    assert second.subject == "You have a ddcheck account already"
    assert "exists already" in second.body
    assert mailbox.links(second) == ["/sign-in", "/forgot-password"]


def test_a_registration_link_creates_the_account_once(client, app):
    response = mailbox.register(client, app, email="ana@example.org")
    assert response.status_code == 302
    assert db.session.scalar(select(User).where(User.email == "ana@example.org")) is not None

    again = app.test_client()
    again.get(mailbox.registration_link(app, "ana@example.org"))
    page = again.get("/register/confirm")
    assert page.status_code == 410
    assert "has been used already" in page.get_data(as_text=True)
    refused = again.post("/register/confirm", data=mailbox.REGISTRATION)
    assert refused.status_code == 410
    assert db.session.scalar(select(User).where(User.email == "ana@example.org")).name == (
        "Ana Buyer"
    )


def test_an_expired_registration_link_says_so_and_offers_to_start_again(client, app, monkeypatch):
    client.post("/register", data={"email": "ana@example.org"})
    client.get(mailbox.registration_link(app, "ana@example.org"))
    _later(monkeypatch, 25 * 3600)
    response = client.get("/register/confirm")
    assert response.status_code == 410
    page = response.get_data(as_text=True)
    assert "has expired" in page and 'href="/register"' in page
    assert client.post("/register/confirm", data=mailbox.REGISTRATION).status_code == 410
    assert db.session.scalar(select(User)) is None


@pytest.mark.parametrize(
    "change",
    [
        lambda token: token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),
        lambda token: token[: len(token) // 2],
        lambda token: "x" * 5000,
        lambda token: "not-a-token",
        # A reset link is no registration link, however genuine.
        lambda token: tokens.make(tokens.PASSWORD_RESET, {"e": "ana@example.org", "n": None}),
        lambda token: tokens.make(tokens.REGISTRATION, {"e": 7, "n": None}),
        lambda token: tokens.make(tokens.REGISTRATION, ["ana@example.org"]),
    ],
)
def test_a_changed_registration_link_says_so(client, app, change):
    client.post("/register", data={"email": "ana@example.org"})
    token = mailbox.registration_link(app, "ana@example.org").rsplit("/", 1)[1]
    client.get("/register/confirm/" + change(token))
    response = client.get("/register/confirm")
    assert response.status_code == 404
    assert "incomplete or was changed" in response.get_data(as_text=True)
    assert client.post("/register/confirm", data=mailbox.REGISTRATION).status_code == 404
    assert db.session.scalar(select(User)) is None


def test_the_confirmation_page_without_a_link_says_so(client):
    assert client.get("/register/confirm").status_code == 404
    assert client.get("/reset-password").status_code == 404


def test_registration_keeps_where_the_person_came_from_within_the_site(client, app):
    client.post("/register?next=/invitation/", data={"email": "ana@example.org"})
    client.get(mailbox.registration_link(app, "ana@example.org"))
    response = client.post("/register/confirm", data=mailbox.REGISTRATION)
    assert response.headers["Location"].endswith("/invitation/")

    other = app.test_client()
    other.post("/register?next=https://evil.example/", data={"email": "bo@example.org"})
    other.get(mailbox.registration_link(app, "bo@example.org"))
    response = other.post("/register/confirm", data=mailbox.REGISTRATION)
    assert response.headers["Location"].endswith("/dashboard")


def test_a_registration_link_never_signs_anyone_out(admin_client, app):
    app.test_client().post("/register", data={"email": "new@example.org"})
    admin_client.get(mailbox.registration_link(app, "new@example.org"))
    page = admin_client.get("/register/confirm").get_data(as_text=True)
    assert "Sign out and register" in page
    assert admin_client.get("/dashboard").status_code == 200


# Password reset


def test_password_reset_answers_the_same_and_mails_only_an_active_account(app, admin, assessor):
    from app.colleagues import services as team

    team.disable(assessor, team.COMMAND_LINE)
    answers = [
        app.test_client().post("/forgot-password", data={"email": email})
        for email in (admin.email.upper(), "nobody@example.org", assessor.email)
    ]
    assert {response.status_code for response in answers} == {200}
    pages = [
        response.get_data(as_text=True).replace(email, "ADDRESS")
        for response, email in zip(
            answers, (admin.email, "nobody@example.org", assessor.email), strict=True
        )
    ]
    assert pages[0] == pages[1] == pages[2]
    assert "Check your inbox" in pages[0]
    assert [m.to for m in mailbox.messages(app)] == [admin.email]
    assert mailbox.last(app, admin.email).subject == "Choose a new ddcheck password"


def _reset_link(app, client, user) -> str:
    client.post("/forgot-password", data={"email": user.email})
    (link,) = [p for p in mailbox.links(mailbox.last(app, user.email)) if "/reset-password/" in p]
    return link


def test_a_reset_link_works_once_and_ends_every_other_session(app, admin, admin_client):
    remembered = app.test_client()
    remembered.post(
        "/sign-in",
        data={"email": admin.email, "password": factories.PASSWORD, "remember": "y"},
    )
    assert remembered.get("/dashboard").status_code == 200

    client = app.test_client()
    link = _reset_link(app, client, admin)
    client.get(link)
    page = client.get("/reset-password")
    assert page.status_code == 200 and admin.email in page.get_data(as_text=True)
    response = client.post(
        "/reset-password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")

    user = db.session.get(User, admin.id)
    assert user.check_password(NEW_PASSWORD) and not user.check_password(factories.PASSWORD)
    for other in (admin_client, remembered):
        assert other.get("/dashboard").status_code == 302  # sent to sign in
    event = db.session.scalar(
        select(ColleagueEvent).where(ColleagueEvent.event == "password_reset")
    )
    assert event.subject_id == admin.id and event.actor_label == admin.name

    # The same link again, even from the start: used.
    again = app.test_client()
    again.get(link)
    refused = again.get("/reset-password")
    assert refused.status_code == 410
    assert "used already" in refused.get_data(as_text=True)
    assert (
        again.post(
            "/reset-password", data={"password": "another fine phrase", "confirm": "x"}
        ).status_code
        == 410
    )

    signed_in = app.test_client()
    signed_in.post("/sign-in", data={"email": admin.email, "password": NEW_PASSWORD})
    assert signed_in.get("/dashboard").status_code == 200
    team_page = signed_in.get("/colleagues/").get_data(as_text=True)
    assert "chose a new password by a reset link" in team_page


def test_an_expired_reset_link_says_so(app, admin, client, monkeypatch):
    client.get(_reset_link(app, client, admin))
    _later(monkeypatch, 61 * 60)
    response = client.post(
        "/reset-password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 410
    assert "has expired" in response.get_data(as_text=True)
    assert db.session.get(User, admin.id).check_password(factories.PASSWORD)


def test_a_reset_link_dies_when_the_password_changes_otherwise(app, admin, admin_client):
    client = app.test_client()
    link = _reset_link(app, client, admin)
    admin_client.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    client.get(link)
    assert client.get("/reset-password").status_code == 410


def test_a_changed_reset_link_says_so(app, admin, client):
    link = _reset_link(app, client, admin)
    client.get(link[:-4] + "AAAA")
    response = client.get("/reset-password")
    assert response.status_code == 404
    assert "incomplete or was changed" in response.get_data(as_text=True)
    forged = tokens.make(tokens.PASSWORD_RESET, {"u": 99999999999999999999, "f": "x"})
    client.get("/reset-password/" + forged)
    assert client.get("/reset-password").status_code == 404


def test_a_new_password_by_reset_follows_the_password_rules(app, admin, client):
    client.get(_reset_link(app, client, admin))
    response = client.post(
        "/reset-password", data={"password": "password1234", "confirm": "password1234"}
    )
    assert response.status_code == 200
    assert "easy to guess" in response.get_data(as_text=True)
    assert db.session.get(User, admin.id).check_password(factories.PASSWORD)


@pytest.mark.parametrize(
    "app_settings",
    [{"ACCOUNT_MAIL_LIMIT_PER_EMAIL": "2 per hour", "ACCOUNT_MAIL_LIMIT_PER_ADDRESS": "5/hour"}],
)
def test_the_address_forms_are_throttled_alike_for_every_address(app, admin, app_settings):
    # Per address typed, across both forms: a known and an unknown address fare the same.
    for email in (admin.email, "nobody@example.org"):
        client = app.test_client()
        statuses = [
            client.post("/forgot-password", data={"email": email}).status_code,
            client.post("/register", data={"email": email}).status_code,
            client.post("/forgot-password", data={"email": email}).status_code,
        ]
        assert statuses == [200, 200, 429]
    # Per client address, whatever is typed; a form refused for a typing mistake does not count.
    client = app.test_client()
    assert client.post("/register", data={"email": "typo"}).status_code == 200
    assert client.post("/register", data={"email": "c@example.org"}).status_code == 200
    refused = client.post("/forgot-password", data={"email": "d@example.org"})
    assert refused.status_code == 429
    assert "Too many attempts" in refused.get_data(as_text=True)


# Mail


class _SlowServer:
    """An SMTP server that answers only when the test lets it."""

    go = threading.Event()
    delivered = threading.Event()
    fail = False
    sent: list = []

    def __init__(self, host, port, timeout):
        assert _SlowServer.go.wait(5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def send_message(self, message):
        if _SlowServer.fail:
            _SlowServer.delivered.set()
            raise OSError("connection refused")
        _SlowServer.sent.append(message)
        _SlowServer.delivered.set()


class _Recorder(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.seen = threading.Event()

    def emit(self, record):
        self.messages.append(record.getMessage())
        self.seen.set()


@pytest.mark.parametrize("fail", [False, True])
def test_mail_is_sent_off_the_request_path_and_failures_are_logged(app, monkeypatch, fail):
    monkeypatch.setattr(mail.smtplib, "SMTP", _SlowServer)
    monkeypatch.setattr(_SlowServer, "go", threading.Event())
    monkeypatch.setattr(_SlowServer, "delivered", threading.Event())
    monkeypatch.setattr(_SlowServer, "fail", fail)
    monkeypatch.setattr(_SlowServer, "sent", [])
    recorder = _Recorder()
    app.logger.addHandler(recorder)
    app.config.update(TESTING=False, MAIL_SERVER="mail.example")
    try:
        with app.test_request_context():
            # The server has not even answered yet: the caller goes on.
            assert mail.send("ana@example.org", "Hello", "A body") is True
        assert not _SlowServer.delivered.is_set()
        _SlowServer.go.set()
        assert _SlowServer.delivered.wait(5)
        if fail:
            assert recorder.seen.wait(5)
            assert recorder.messages == ["Mail to ana@example.org was not sent: connection refused"]
        else:
            (message,) = _SlowServer.sent
            assert message["To"] == "ana@example.org"
            assert message.get_content().strip() == "A body"
    finally:
        _SlowServer.go.set()
        app.logger.removeHandler(recorder)


def test_without_mail_development_logs_the_message_and_production_only_its_address(app, caplog):
    app.config.update(TESTING=False, MAIL_SERVER=None, ENV_NAME="development")
    with app.test_request_context(), caplog.at_level(logging.WARNING):
        assert mail.send("ana@example.org", "Finish", "Open https://x.example/link") is False
    assert "https://x.example/link" in caplog.text
    caplog.clear()
    app.config["ENV_NAME"] = "production"
    with app.test_request_context(), caplog.at_level(logging.WARNING):
        mail.send("ana@example.org", "Finish", "Open https://x.example/link")
    assert "ana@example.org" in caplog.text and "https://x.example/link" not in caplog.text
