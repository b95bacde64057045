"""Handing a question to a colleague: ask someone of the organisation to answer it."""

from flask import Blueprint

bp = Blueprint("question_requests", __name__, url_prefix="/assessments")

from app.question_requests import views  # noqa: E402,F401  (registers the routes on bp)
