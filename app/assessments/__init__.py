"""Assessments: start one, answer it theme by theme with autosave, submit, read the results."""

from flask import Blueprint

bp = Blueprint("assessments", __name__, url_prefix="/assessments")

from app.assessments import views  # noqa: E402,F401  (registers the routes on bp)
