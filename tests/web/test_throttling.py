"""Sign-in throttling with exponential back-off, per account and per address."""

from __future__ import annotations

import os

import pytest

from app.auth import throttle
from tests import factories
from tests.conftest import make_test_app


class Clock:
    def __init__(self, monkeypatch):
        self.now = 1_900_000_000
        monkeypatch.setattr(throttle, "_now", lambda: self.now)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def _try(client, email, password, **environ):
    return client.post(
        "/sign-in", data={"email": email, "password": password}, environ_base=environ
    )


def test_the_right_password_gets_in_once_the_wait_has_passed(client, admin, clock):
    for _ in range(5):
        assert _try(client, admin.email, "wrong wrong wrong").status_code == 200
    assert _try(client, admin.email, factories.PASSWORD).status_code == 429
    clock.now += 31
    assert _try(client, admin.email, factories.PASSWORD).status_code == 302


def test_the_wait_doubles_with_each_further_failure(client, admin, clock):
    waits = []
    for _ in range(4):
        for _ in range(5 if not waits else 1):
            _try(client, admin.email, "wrong wrong wrong")
        response = _try(client, admin.email, factories.PASSWORD)
        assert response.status_code == 429
        text = response.get_data(as_text=True)
        waits.append(int(text.split("Wait ")[1].split(" second")[0]))
        clock.now += waits[-1] + 1
    assert waits == [30, 60, 120, 240]


def test_a_success_forgets_the_accounts_failures(client, admin, clock):
    for _ in range(4):
        _try(client, admin.email, "wrong wrong wrong")
    assert _try(client, admin.email, factories.PASSWORD).status_code == 302
    client.post("/sign-out")
    for _ in range(4):
        assert _try(client, admin.email, "wrong wrong wrong").status_code == 200
    assert _try(client, admin.email, factories.PASSWORD).status_code == 302


@pytest.mark.parametrize("app_settings", [{"SIGNIN_FREE_FAILURES_PER_ADDRESS": 3}])
def test_x_forwarded_for_is_ignored_without_a_configured_proxy(client, admin, app_settings):
    for number in range(3):
        _try(client, f"n{number}@example.org", "x" * 12, HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    # A forged header does not escape the address's wait.
    response = _try(client, admin.email, factories.PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429


@pytest.mark.parametrize(
    "app_settings", [{"SIGNIN_FREE_FAILURES_PER_ADDRESS": 3, "PROXY_COUNT": 1}]
)
def test_behind_the_configured_proxy_each_client_address_counts_on_its_own(
    database_url, admin, app_settings
):
    app = make_test_app(database_url, **app_settings)
    client = app.test_client()
    for number in range(3):
        _try(client, f"n{number}@example.org", "x" * 12, HTTP_X_FORWARDED_FOR="203.0.113.7")
    blocked = _try(client, admin.email, factories.PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert blocked.status_code == 429
    # Everyone else behind the same proxy signs in as usual.
    other = _try(client, admin.email, factories.PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 302


REDIS_URL = os.environ.get("DDCHECK_TEST_REDIS_URL") or os.environ.get("REDIS_URL")


@pytest.mark.skipif(not REDIS_URL, reason="set DDCHECK_TEST_REDIS_URL (or REDIS_URL) to a Redis")
def test_workers_sharing_redis_count_failures_together(database_url, admin):
    """Two apps stand for two gunicorn workers; with memory:// each would count alone."""
    import secrets

    from limits.storage import storage_from_string

    settings = {"RATELIMIT_STORAGE_URI": REDIS_URL}
    worker_a = make_test_app(database_url, **settings)
    worker_b = make_test_app(database_url, **settings)
    email = f"shared-{secrets.token_hex(4)}@example.org"
    try:
        for worker in (worker_a, worker_b, worker_a, worker_b, worker_a):
            assert _try(worker.test_client(), email, "wrong wrong wrong").status_code == 200
        assert _try(worker_b.test_client(), email, "wrong wrong wrong").status_code == 429
    finally:
        store = storage_from_string(REDIS_URL)
        for scope in ("account:" + email, "address:127.0.0.1"):
            store.clear("signin-failures:" + scope)
            store.clear("signin-wait:" + scope)


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/sign-in", "Too many sign-in attempts"),
        ("/register", "Too many registrations"),
        ("/join", "Too many attempts to join a workshop"),
        ("/account", "Too many requests"),
    ],
)
def test_a_429_names_what_was_tried_too_often(app, path, words):
    from app.errors import too_many_message

    with app.test_request_context(path):
        assert words in too_many_message()
