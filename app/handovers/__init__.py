"""Handing a question to a colleague: ask someone of the organisation to answer it."""

from flask import Blueprint

bp = Blueprint("handovers", __name__, url_prefix="/assessments")

from app.handovers import views  # noqa: E402,F401  (registers the routes on bp)
