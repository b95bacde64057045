"""Evidence: documents attached to answers, checked by buyers, listed in the gap report and
handed out as one ZIP per assessment."""

from flask import Blueprint

bp = Blueprint("evidence", __name__, url_prefix="/assessments")
