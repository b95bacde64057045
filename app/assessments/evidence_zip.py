"""The evidence of an assessment as one ZIP: streamed while it is read, scoped like the
assessment (its organisation, and a contractor through its invitation link); 404 otherwise."""

from __future__ import annotations

import logging

from flask import Response, abort
from flask_babel import gettext as _

import questionnaires as engine
from app.assessments import bp, queries
from app.evidence.archive import evidence_zip
from app.evidence.report import archived_documents
from app.evidence.storage import storage
from app.exports import content_disposition, safe_name
from app.models import AssessmentKind, utc_today
from app.scoping import current_principal, get_assessment, principal_required
from reports.model import question_numbers

log = logging.getLogger(__name__)


def manifest_header() -> list[str]:
    """The manifest's column names, in the reader's language."""
    return [
        _("File"),
        _("Title"),
        _("Date"),
        _("Type"),
        _("Size (bytes)"),
        _("SHA-256"),
        _("Questions"),
    ]


@bp.route("/<int:assessment_id>/evidence.zip")
@principal_required
def evidence_zip_download(assessment_id: int):
    """Every document of the assessment and a manifest, as one ZIP."""
    assessment = get_assessment(current_principal(), assessment_id)
    if assessment.kind == AssessmentKind.WORKSHOP_TEAM:
        abort(404)  # a workshop team has no evidence to hand out
    store = storage()
    # The manifest numbers the questions as the gap report does (only those shown).
    questionnaire = queries.questionnaire_of(assessment)
    numbers = question_numbers(
        questionnaire, engine.score(questionnaire, queries.engine_answers(assessment))
    )
    documents = []
    for document in archived_documents(assessment, numbers):
        if store.exists(document.sha256):
            documents.append(document)
        else:
            log.warning("Evidence blob %s is missing; left out of the ZIP.", document.sha256)
    stream = evidence_zip(documents, store.open, manifest_header())
    name = f"evidence-{safe_name(assessment.subject, 'assessment')}-{utc_today().isoformat()}.zip"
    response = Response(stream, mimetype="application/zip", direct_passthrough=True)
    response.headers["Content-Length"] = str(len(stream))
    response.headers["Content-Disposition"] = content_disposition(name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
