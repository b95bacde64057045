"""Handing a question to a colleague: ask someone of the organisation to answer it."""

from flask import Blueprint, Flask

bp = Blueprint("question_requests", __name__, url_prefix="/assessments")

from app.question_requests import views  # noqa: E402,F401  (registers the routes on bp)


def init_app(app: Flask) -> None:
    """Show on the answering pages which questions were handed to someone."""
    from app.assessments import presenters
    from app.question_requests import services

    presenters.handed_questions.register(app, services.requests_in)
