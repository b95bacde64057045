"""Handing a question to a colleague: ask someone of the organisation to answer it."""

from flask import Blueprint, Flask

bp = Blueprint("handovers", __name__, url_prefix="/assessments")

from app.handovers import views  # noqa: E402,F401  (registers the routes on bp)


def init_app(app: Flask) -> None:
    """Show on the answering pages which questions were handed to someone."""
    from app.assessments import presenters
    from app.handovers import services

    presenters.handed_questions.register(app, services.handovers_in)
