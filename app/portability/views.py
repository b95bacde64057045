"""Views of data in and out: parse, call a service, render."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from werkzeug.exceptions import RequestEntityTooLarge

from app.access import admin_required, answerer_required
from app.assessments.queries import questionnaire_of, shown_questionnaire, stored_answers
from app.assessments.reporting import language_of
from app.content import content
from app.contractors import invitations
from app.exports import attachment, content_disposition
from app.portability import assessment_file, bp, workbook
from app.portability import organisation as organisation_exports
from app.portability.forms import (
    AssessmentFileForm,
    DeleteOrganisationForm,
    UploadForm,
    read_upload,
)
from app.scoping import current_principal, get_assessment, may_answer, principal_required


def _json_download(body: str, filename: str):
    return attachment(body.encode("utf-8"), filename)


@bp.route("/assessments/<int:assessment_id>/file.json")
@principal_required
def export_assessment(assessment_id: int):
    """The assessment as a portable file; a contractor gets its own answers without the
    buyer's review."""
    principal = current_principal()
    assessment = get_assessment(principal, assessment_id)
    owner = principal.user is not None and principal.user.organisation_id == (
        assessment.organisation_id
    )
    document = assessment_file.export(assessment, for_respondent=not owner)
    return _json_download(assessment_file.dumps(document), assessment_file.file_name(assessment))


@bp.route("/assessments/import", methods=["GET", "POST"])
@answerer_required
def import_assessment():
    """Upload an assessment file: a new draft, or a submitted copy marked imported."""
    form = AssessmentFileForm()
    if form.validate_on_submit():
        try:
            assessment = assessment_file.import_assessment(
                read_upload(form.file),
                organisation=current_user.organisation,
                user=current_user._get_current_object(),
                submitted=form.submitted.data,
            )
        except assessment_file.FileRefused as error:
            form.file.errors.append(str(error))
        else:
            flash(
                _("The assessment “%(subject)s” was imported.", subject=assessment.subject),
                "success",
            )
            return redirect(url_for("assessments.overview", assessment_id=assessment.id))
    return _import_page(form, 400 if form.is_submitted() else 200)


def _import_page(form, code: int):
    return render_template("portability/import.html", form=form), code


def _contractor_invitation():
    invitation = invitations.session_invitation()
    if invitation is None or invitation.status != "open":
        abort(404)
    return invitation


@bp.route("/invitation/assessment.json")
def invitation_file():
    """The contractor's own assessment, as a file to keep or to answer another buyer with."""
    assessment = _contractor_invitation().contractor.assessment
    document = assessment_file.export(assessment, for_respondent=True)
    return _json_download(assessment_file.dumps(document), assessment_file.file_name(assessment))


@bp.route("/invitation/upload", methods=["GET", "POST"])
def invitation_upload():
    """Answer the invitation with an assessment file downloaded from another buyer's link."""
    invitation = _contractor_invitation()
    assessment = invitation.contractor.assessment
    form = UploadForm()
    if assessment.is_draft and form.validate_on_submit():
        try:
            saved = assessment_file.fill_from_file(
                assessment, read_upload(form.file), current_principal()
            )
        except assessment_file.FileRefused as error:
            form.file.errors.append(str(error))
        else:
            flash(
                ngettext(
                    "%(num)s answer was filled in from your file. Check each theme, change what "
                    "differs for this contract, then submit.",
                    "%(num)s answers were filled in from your file. Check each theme, change "
                    "what differs for this contract, then submit.",
                    saved,
                ),
                "success",
            )
            return redirect(url_for("assessments.overview", assessment_id=assessment.id))
    return _invitation_upload_page(form, 400 if form.is_submitted() else 200)


def _invitation_upload_page(form, code: int):
    invitation = _contractor_invitation()
    return render_template(
        "portability/invitation_upload.html",
        form=form,
        assessment=invitation.contractor.assessment,
        contractor=invitation.contractor,
    ), code


# --- offline questionnaires ----------------------------------------------------------------


def _questionnaire_or_404(key: str):
    questionnaire = content().get(key)
    if questionnaire is None:
        abort(404)
    return questionnaire


@bp.route("/questionnaires/<key>/workbook.xlsx")
@principal_required
def questionnaire_workbook(key: str):
    """The current version of a questionnaire as an empty workbook to fill in offline."""
    questionnaire = _questionnaire_or_404(key)
    return attachment(workbook.build(questionnaire), workbook.file_name(questionnaire))


@bp.route("/assessments/<int:assessment_id>/workbook.xlsx")
@principal_required
def assessment_workbook(assessment_id: int):
    """The assessment's questionnaire version as a workbook, filled with its answers so far."""
    assessment = get_assessment(current_principal(), assessment_id)
    questionnaire = questionnaire_of(assessment)
    # In the assessment's language, as its report is, whatever the reader's interface.
    with force_locale(language_of(assessment)):
        body = workbook.build(
            shown_questionnaire(assessment),
            stored_answers(assessment),
            original=questionnaire,
        )
    return attachment(body, workbook.file_name(questionnaire))


@bp.route("/assessments/<int:assessment_id>/workbook", methods=["GET", "POST"])
@principal_required
def upload_workbook(assessment_id: int):
    """Upload a filled workbook into a draft: all of it is checked before anything is saved."""
    principal = current_principal()
    assessment = get_assessment(principal, assessment_id)
    if not (assessment.is_draft and may_answer(principal, assessment)):
        abort(403)
    form = UploadForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            changed = workbook.fill_draft(assessment, read_upload(form.file), principal)
        except workbook.WorkbookRefused as error:
            problems = error.problems
        else:
            flash(
                ngettext(
                    "%(num)s answer was saved from the workbook.",
                    "%(num)s answers were saved from the workbook.",
                    changed,
                ),
                "success",
            )
            return redirect(url_for("assessments.overview", assessment_id=assessment.id))
    return _workbook_page(assessment, form, problems, 400 if form.is_submitted() else 200)


def _workbook_page(assessment, form, problems: list[str], code: int):
    return render_template(
        "portability/upload_workbook.html",
        form=form,
        assessment=assessment,
        questionnaire=questionnaire_of(assessment),
        problems=problems,
    ), code


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error):
    """A file over the size limit re-shows its upload page with the reason."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    message = _(
        "The file is larger than this site accepts (%(size)s MB at most). Nothing was saved.",
        size=f"{limit / 1024 / 1024:g}",
    )
    endpoint = request.endpoint
    if endpoint == "portability.import_assessment":
        if not (current_user.is_authenticated and current_user.can_answer):
            return error
        form = AssessmentFileForm(formdata=None)
        form.file.errors = [message]
        return _import_page(form, 413)
    if endpoint == "portability.invitation_upload":
        form = UploadForm(formdata=None)
        form.file.errors = [message]
        return _invitation_upload_page(form, 413)
    if endpoint == "portability.upload_workbook":
        principal = current_principal()
        assessment = get_assessment(principal, request.view_args["assessment_id"])
        if not (assessment.is_draft and may_answer(principal, assessment)):
            return error
        return _workbook_page(assessment, UploadForm(formdata=None), [message], 413)
    return error


def _form_pdf(questionnaire, case: str | None = None):
    from app.report_jobs.layout import environment
    from reports import printable

    body = printable.render_form_pdf(environment(), questionnaire, case=case)
    return attachment(body, f"questionnaire-{questionnaire.key}-{questionnaire.version}.pdf")


@bp.route("/questionnaires/<key>/form.pdf")
@principal_required
def questionnaire_form(key: str):
    """The current version of a questionnaire as a printable form."""
    return _form_pdf(_questionnaire_or_404(key))


@bp.route("/workshops/<int:workshop_id>/form.pdf")
@login_required
def workshop_form(workshop_id: int):
    """The workshop's questionnaire and case as a printable form to hand out."""
    from app.workshops import services as workshops

    workshop = workshops.get_workshop(current_user, workshop_id)
    questionnaire = content().of_version_id(workshop.questionnaire_version_id)
    return _form_pdf(questionnaire, workshops.case_of(workshop))


# --- the organisation leaves ---------------------------------------------------------------


@bp.route("/organisation/data")
@admin_required
def organisation_data():
    """Export everything of the organisation, or delete it."""
    return render_template("portability/organisation.html", form=DeleteOrganisationForm())


@bp.route("/organisation/export.zip")
@admin_required
def organisation_export():
    organisation = current_user.organisation
    response = Response(
        stream_with_context(organisation_exports.export_zip(organisation)),
        mimetype="application/zip",
    )
    response.headers["Content-Disposition"] = content_disposition(
        organisation_exports.export_file_name(organisation)
    )
    return response


@bp.route("/organisation/delete", methods=["POST"])
@admin_required
def organisation_delete():
    """Delete the organisation once the admin typed its name; signs the admin out."""
    form = DeleteOrganisationForm()
    if form.validate_on_submit():
        try:
            organisation_exports.delete_organisation(current_user.organisation, form.name.data)
        except organisation_exports.NameMismatch:
            form.name.errors.append(_("That is not the organisation's name: nothing was deleted."))
        else:
            logout_user()
            flash(_("The organisation and everything it owned were deleted."), "success")
            return redirect(url_for("main.index"))
    return render_template("portability/organisation.html", form=form), 400
