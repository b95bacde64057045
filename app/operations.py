"""What an operator needs to run the app: health and readiness checks, request ids, JSON logs.

`/healthz` answers as long as the process serves requests (for a process supervisor);
`/readyz` also checks that the database (and Redis, when `REDIS_URL` is set) answers, so a
load balancer sends no traffic to an instance that cannot serve it. Every request gets an id,
taken from a trusted `X-Request-ID` header or made here, returned in the response and written
on every log line, so that one request can be followed through the logs of several servers.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
from datetime import UTC, datetime

from flask import Blueprint, Flask, Response, g, has_request_context, jsonify, request
from sqlalchemy import text

from app.extensions import db

bp = Blueprint("operations", __name__)

# A client-chosen id is kept only when it is short and plain, so it cannot forge log lines.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


@bp.get("/healthz")
def healthz() -> Response:
    """The process is up and serving requests."""
    return _no_store(jsonify(status="ok"))


@bp.get("/readyz")
def readyz():
    """The database (and Redis, when configured) can be reached: ready for traffic."""
    checks = {"database": _database_ready()}
    redis_url = _redis_url()
    if redis_url:
        checks["redis"] = _redis_ready(redis_url)
    ready = all(value == "ok" for value in checks.values())
    response = jsonify(status="ok" if ready else "unavailable", checks=checks)
    response.status_code = 200 if ready else 503
    return _no_store(response)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def _database_ready() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # any failure means "not ready"; say which kind, not the details
        db.session.rollback()
        return f"error: {type(error).__name__}"
    return "ok"


def _redis_url() -> str | None:
    from flask import current_app

    return current_app.config.get("REDIS_URL")


def _redis_ready(url: str) -> str:
    try:
        import redis
    except ImportError:
        return "error: the redis client library is not installed"
    try:
        redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1).ping()
    except Exception as error:
        return f"error: {type(error).__name__}"
    return "ok"


def current_request_id() -> str | None:
    """The id of the request being served, or None outside a request."""
    if not has_request_context():
        return None
    return g.get("request_id")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class JsonLineFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, exception."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def init_app(app: Flask) -> None:
    """Register the checks, give every request an id, and set up the log format."""
    app.register_blueprint(bp)

    @app.before_request
    def assign_request_id() -> None:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if _REQUEST_ID.match(given) else secrets.token_hex(8)

    @app.after_request
    def return_request_id(response: Response) -> Response:
        request_id = g.get("request_id")
        if request_id:
            response.headers["X-Request-ID"] = request_id
        return response

    if app.config.get("LOG_FORMAT") == "json":
        _use_json_logs(app)


def _use_json_logs(app: Flask) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLineFormatter())
    handler.addFilter(RequestIdFilter())
    # The app's own logger and the request loggers of the servers write through the handler.
    for name in (app.logger.name, "werkzeug", "gunicorn.error", "gunicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.propagate = False
