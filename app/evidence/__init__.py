"""Evidence: documents attached to answers, checked by buyers, listed in the gap report and
handed out as one ZIP per assessment."""

from flask import Blueprint, Flask

bp = Blueprint("evidence", __name__, url_prefix="/assessments")

from app.evidence import downloads  # noqa: E402,F401  (registers the routes on bp)


def init_app(app: Flask) -> None:
    """Put each assessment's evidence into its gap report."""
    from app.assessments import reporting
    from app.evidence.report import report_evidence

    reporting.evidence.register(app, report_evidence)
