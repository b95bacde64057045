"""Assessments: start one, answer it theme by theme with autosave, submit, read the results."""

from flask import Blueprint, Flask

bp = Blueprint("assessments", __name__, url_prefix="/assessments")

from app.assessments import evidence_zip, views  # noqa: E402,F401  (registers the routes on bp)


def init_app(app: Flask) -> None:
    """Render gap reports ahead of their download after a change (see app.signals)."""
    from app.assessments import reporting

    reporting.init_app(app)


@bp.app_template_global("results_shown")
def results_shown(assessment) -> bool:
    """Whether the current principal may read this assessment's results (for the links)."""
    from app.scoping import current_principal, may_see_results

    return may_see_results(current_principal(), assessment)
