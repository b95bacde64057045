"""Action plans: the organisation's response to every gap of a submitted assessment."""

from flask import Blueprint, Flask

bp = Blueprint("action_plans", __name__, url_prefix="/assessments")

from app.action_plans import views  # noqa: E402,F401  (registers the routes on bp)


def init_app(app: Flask) -> None:
    """Put the action plan into the gap report and the follow-up of the results page."""
    from app.action_plans import services
    from app.assessments import presenters, reporting

    reporting.action_plan_items.register(app, services.items_of)
    presenters.follow_up.register(app, services.follow_up)
