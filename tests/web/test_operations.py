"""What an operator relies on: health and readiness checks, request ids, JSON log lines."""

from __future__ import annotations

import json
import logging

import pytest

from app.operations import JsonLineFormatter, RequestIdFilter
from tests.conftest import make_test_app


def test_health_answers_while_the_process_serves(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_ready_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"] == {"database": "ok"}


def test_not_ready_when_the_database_cannot_be_reached(tmp_path):
    broken = make_test_app(f"sqlite:///{tmp_path}/no-such-folder/db.sqlite")
    with broken.app_context():
        response = broken.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert response.json["checks"]["database"].startswith("error")


def test_not_ready_when_the_configured_redis_cannot_be_reached(database_url):
    # Port 9 (discard) on loopback: nothing listens there, so the connection is refused.
    app = make_test_app(database_url, REDIS_URL="redis://127.0.0.1:9/0")
    with app.app_context():
        response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["redis"].startswith("error")


def test_every_response_carries_a_request_id(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert first and second and first != second


@pytest.mark.parametrize(
    ("given", "kept"),
    [("edge-4f2a9c1b", True), ("x" * 65, False), ('bad "id" <script>', False)],
)
def test_a_plain_request_id_from_the_proxy_is_kept_and_a_strange_one_replaced(client, given, kept):
    returned = client.get("/healthz", headers={"X-Request-ID": given}).headers["X-Request-ID"]
    assert (returned == given) is kept


def test_json_log_lines_carry_the_request_id(app):
    formatter = JsonLineFormatter()
    id_filter = RequestIdFilter()
    with app.test_request_context("/"):
        from flask import g

        g.request_id = "req-12345678"
        record = logging.LogRecord("app", logging.INFO, __file__, 1, "Saved %s", ("x",), None)
        id_filter.filter(record)
    line = json.loads(formatter.format(record))
    assert line["message"] == "Saved x"
    assert line["request_id"] == "req-12345678"
    assert line["level"] == "INFO"
    assert line["time"].endswith("+00:00")


@pytest.fixture
def loggers_put_back():
    """JSON logging takes over the server loggers for the whole process; later tests (the
    browser journeys read the request log) get them back as they were."""
    names = ("app", "werkzeug", "gunicorn.error", "gunicorn.access")
    saved = {name: logging.getLogger(name) for name in names}
    state = {name: (list(logger.handlers), logger.propagate) for name, logger in saved.items()}
    yield
    for name, logger in saved.items():
        logger.handlers, logger.propagate = state[name]


def test_the_app_writes_json_lines_when_asked(database_url, capsys, loggers_put_back):
    app = make_test_app(database_url, LOG_FORMAT="json")
    with app.test_request_context("/"):
        from flask import g

        g.request_id = "req-abcdefgh"
        app.logger.warning("Something to see")
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line == {
        "time": line["time"],
        "level": "WARNING",
        "logger": app.logger.name,
        "message": "Something to see",
        "request_id": "req-abcdefgh",
    }
