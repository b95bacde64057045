"""Error pages in the app's own layout, for people and for JSON clients."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db

# A 429 says what was tried too often: the request's endpoint names it.
_JOIN = _l(
    "Too many attempts to join a workshop from here in a short time. Check the code on the "
    "screen, wait a few minutes, then try again."
)
TOO_MANY_BY_ENDPOINT = {
    "auth.sign_in": _l(
        "Too many sign-in attempts in a short time. Wait a few minutes, then try again."
    ),
    "auth.register": _l(
        "Too many registrations from here in a short time. Wait a few minutes, then try again."
    ),
    "workshops.join": _JOIN,
    "workshops.join_with_code": _JOIN,
}
TOO_MANY_OTHER = _l("Too many requests in a short time. Wait a few minutes, then try again.")


MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    403: (
        _l("Not allowed"),
        _l("Your role does not allow this. Ask an admin of your organisation."),
    ),
    404: (_l("Page not found"), _l("There is nothing at this address, or you may not see it.")),
    405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
    409: (
        _l("Not possible now"),
        _l("This cannot be done in the assessment's current state, for example once submitted."),
    ),
    413: (_l("Too large"), _l("What you sent is larger than this site accepts.")),
    429: (_l("Too many attempts"), TOO_MANY_OTHER),
    500: (
        _l("Something went wrong"),
        _l("An unexpected error happened on our side. Nothing you saved before is lost."),
    ),
}


def too_many_message() -> str:
    """The 429 message that fits the current request."""
    return str(TOO_MANY_BY_ENDPOINT.get(request.endpoint or "", TOO_MANY_OTHER))


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def render_error(code: int, message: str | None = None):
    """Render the error page (or JSON) for an HTTP status code."""
    title, default_message = MESSAGES.get(code, MESSAGES[400 if code < 500 else 500])
    message = message or str(default_message)
    if _wants_json():
        return jsonify(error=str(title), message=message), code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400,
            str(
                _l(
                    "The form was not accepted because its security token is missing or has "
                    "expired. Reload the page and send it again."
                )
            ),
        )

    @app.errorhandler(429)
    def too_many(error):
        return render_error(429, too_many_message())

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_error(500)
