"""Action plans: the organisation's response to every gap of a submitted assessment."""

from flask import Blueprint

bp = Blueprint("action_plans", __name__, url_prefix="/assessments")

from app.action_plans import views  # noqa: E402,F401  (registers the routes on bp)
