"""Assessments: start one, answer it theme by theme with autosave, submit, read the results."""

from flask import Blueprint

bp = Blueprint("assessments", __name__, url_prefix="/assessments")

from app.assessments import views  # noqa: E402,F401  (registers the routes on bp)


@bp.app_template_global("results_shown")
def results_shown(assessment) -> bool:
    """Whether the current principal may read this assessment's results (for the links)."""
    from app.scoping import current_principal, may_see_results

    return may_see_results(current_principal(), assessment)
