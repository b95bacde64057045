"""Evidence pages: attach, link and remove documents on an answer, the document library, and
the download of one document. Every page goes through the assessment's scoping gate."""

from __future__ import annotations

import logging

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from app.content import content
from app.errors import render_error
from app.evidence import bp, services
from app.evidence.checks import TYPE_LABELS, EvidenceRefused, human_size
from app.evidence.forms import AttachForm
from app.forms import EmptyForm
from app.limits import database_id
from app.models import AssessmentKind
from app.scoping import current_principal, get_assessment, may_answer, principal_required

log = logging.getLogger(__name__)

# Room for the form's other fields around the file itself.
FORM_OVERHEAD = 64 * 1024


@bp.url_value_preprocessor
def _allow_large_uploads(endpoint, values) -> None:
    # Runs before the CSRF check reads the form: only the upload may be this large.
    if endpoint == "evidence.attach":
        request.max_content_length = current_app.config["EVIDENCE_MAX_FILE_BYTES"] + FORM_OVERHEAD


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    limit = human_size(current_app.config["EVIDENCE_MAX_FILE_BYTES"])
    message = _("The file is larger than %(limit)s, the most one document may be.", limit=limit)
    args = request.view_args or {}
    if request.endpoint == "evidence.attach" and args.get("assessment_id"):
        try:
            target = _question_url(args["assessment_id"], args.get("question_key"))
        except HTTPException as refusal:  # not theirs to see: say no more than any other page
            return render_error(refusal.code or 404)
        flash(message, "danger")
        return redirect(target, 303)
    return render_error(413, message)


def _question_url(assessment_id: int, question_key: str | None) -> str:
    """The answering page of the question (its theme's page, at the question)."""
    principal = current_principal()
    assessment = get_assessment(principal, assessment_id)
    questionnaire = content().of_version_id(assessment.questionnaire_version_id)
    if question_key and questionnaire.has_question(question_key):
        theme = questionnaire.question(question_key).theme
        return (
            url_for("assessments.theme", assessment_id=assessment_id, theme_key=theme)
            + f"#q-{question_key}"
        )
    return url_for("evidence.documents", assessment_id=assessment_id)


def _answerable(assessment_id: int, question_key: str | None = None):
    """The assessment, if the principal may change its documents; 404/403/409 otherwise."""
    principal = current_principal()
    assessment = get_assessment(principal, assessment_id)
    if assessment.kind == AssessmentKind.WORKSHOP_TEAM:
        abort(404)
    if question_key is not None:
        questionnaire = content().of_version_id(assessment.questionnaire_version_id)
        if not questionnaire.has_question(question_key):
            abort(404)
    if not may_answer(principal, assessment):
        abort(403)
    return principal, assessment


def _back(assessment_id: int, question_key: str | None):
    target = request.form.get("back")
    if target == "documents":
        return redirect(url_for("evidence.documents", assessment_id=assessment_id), 303)
    return redirect(_question_url(assessment_id, question_key), 303)


@bp.route("/<int:assessment_id>/questions/<question_key>/evidence", methods=["POST"])
@principal_required
def attach(assessment_id: int, question_key: str):
    """Attach an uploaded file to one answer (a plain multipart form)."""
    principal, assessment = _answerable(assessment_id, question_key)
    form = AttachForm()
    if not form.validate_on_submit():
        if form.document_date.errors:
            flash(
                _("Enter the date of the document as year-month-day, or leave it empty."),
                "danger",
            )
        else:
            flash(_("The document could not be attached: the form was incomplete."), "danger")
        return _back(assessment.id, question_key)
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", None):
        flash(_("Choose a file to attach."), "danger")
        return _back(assessment.id, question_key)
    try:
        document = services.attach_upload(
            assessment,
            question_key,
            upload,
            form.title.data,
            form.document_date.data,
            principal,
        )
    except EvidenceRefused as refusal:
        flash(str(refusal), "danger")
        return _back(assessment.id, question_key)
    flash(_("“%(title)s” is attached.", title=document.title), "success")
    return _back(assessment.id, question_key)


@bp.route("/<int:assessment_id>/questions/<question_key>/evidence/link", methods=["POST"])
@principal_required
def link(assessment_id: int, question_key: str):
    """Attach a document of the library to another answer, without uploading it again."""
    evidence_id = database_id(request.form.get("evidence_id"))
    if evidence_id is None:
        _answerable(assessment_id, question_key)
        flash(_("Choose a document of this assessment."), "danger")
        return _back(assessment_id, question_key)
    done = _("The document is attached to this answer too.")
    _on_document(
        assessment_id,
        lambda assessment, principal: services.link_existing(
            assessment, evidence_id, question_key, principal
        ),
        done,
        question_key,
    )
    return _back(assessment_id, question_key)


@bp.route(
    "/<int:assessment_id>/questions/<question_key>/evidence/<int:evidence_id>/remove",
    methods=["POST"],
)
@principal_required
def unlink(assessment_id: int, question_key: str, evidence_id: int):
    """Take a document off one answer."""
    done = _("The document is removed from this answer.")
    _on_document(
        assessment_id,
        lambda assessment, principal: services.unlink(
            assessment, evidence_id, question_key, principal
        ),
        done,
        question_key,
    )
    return _back(assessment_id, question_key)


@bp.route("/<int:assessment_id>/documents")
@principal_required
def documents(assessment_id: int):
    """The assessment's document library: every document and the answers it backs."""
    principal = current_principal()
    assessment = get_assessment(principal, assessment_id)
    if assessment.kind == AssessmentKind.WORKSHOP_TEAM:
        abort(404)
    questionnaire = content().in_language(
        content().of_version_id(assessment.questionnaire_version_id), assessment.language
    )
    editable = assessment.is_draft and may_answer(principal, assessment)
    return render_template(
        "evidence/documents.html",
        assessment=assessment,
        questionnaire=questionnaire,
        first_theme_key=questionnaire.themes[0].key,
        documents=services.library(assessment),
        editable=editable,
        type_labels=TYPE_LABELS,
        human_size=human_size,
        form=EmptyForm(),
    )


@bp.route("/<int:assessment_id>/evidence/<int:evidence_id>/delete", methods=["POST"])
@principal_required
def remove(assessment_id: int, evidence_id: int):
    """Remove a document from the library and from every answer."""
    done = _("The document is removed from this assessment.")
    _on_document(
        assessment_id,
        lambda assessment, principal: services.remove_document(assessment, evidence_id, principal),
        done,
    )
    return redirect(url_for("evidence.documents", assessment_id=assessment_id), 303)


@bp.route("/<int:assessment_id>/evidence/<int:evidence_id>/confirm", methods=["POST"])
@principal_required
def confirm(assessment_id: int, evidence_id: int):
    """Confirm that a document from the earlier assessment still holds."""
    done = _("The document is confirmed for this assessment.")
    _on_document(
        assessment_id,
        lambda assessment, principal: services.confirm_carried(assessment, evidence_id, principal),
        done,
    )
    return _back(assessment_id, request.form.get("question_key"))


def _on_document(assessment_id: int, action, done: str, question_key: str | None = None) -> None:
    """Do `action(assessment, principal)` for a button on a document (of one answer, with
    `question_key`), and say how it went; 404 for a document the assessment does not hold."""
    principal, assessment = _answerable(assessment_id, question_key)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        action(assessment, principal)
    except services.EvidenceNotFound:
        abort(404)
    except EvidenceRefused as refusal:
        flash(str(refusal), "danger")
    else:
        flash(done, "success")


@bp.route("/<int:assessment_id>/evidence/<int:evidence_id>")
@principal_required
def download(assessment_id: int, evidence_id: int):
    """One document, as an attachment: never shown inline, never sniffed into HTML."""
    assessment = get_assessment(current_principal(), assessment_id)
    if assessment.kind == AssessmentKind.WORKSHOP_TEAM:
        abort(404)
    try:
        document = services.document_of(assessment, evidence_id)
        stream = services.open_blob(document)
    except services.EvidenceNotFound:
        abort(404)
    except FileNotFoundError:
        log.error("Evidence blob missing: document %s, sha256 %s", document.id, document.sha256)
        abort(404)
    response = send_file(
        stream,
        mimetype=document.media_type,
        as_attachment=True,
        download_name=document.filename,
        etag=document.sha256,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-cache"
    return response
