"""Views for assessments: parse, call a service, render. Every assessment is loaded through
`app.scoping.get_assessment`, so another organisation's assessment is a 404 everywhere."""

from __future__ import annotations

import functools

from flask import (
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from app.access import admin_required, answerer_required
from app.assessments import autosave, bp, lifecycle, queries, reporting, theme_page, versions
from app.assessments.answers import AnswerInput
from app.assessments.errors import AssessmentClosed, EvidenceRequired, InvalidAnswer
from app.assessments.forms import (
    AssessmentFilterForm,
    DetailsForm,
    NewAssessmentForm,
    theme_form_class,
)
from app.assessments.presenters import (
    answer_page_context,
    history_rows,
    overview_context,
    progress_payload,
    results_context,
    submit_context,
)
from app.content import content
from app.forms import EmptyForm
from app.i18n import is_language, language_name
from app.limits import database_id
from app.models import STATUS_LABELS, AssessmentKind, AssessmentStatus
from app.models.types import DB_INT_MAX
from app.report_jobs import responses as report_downloads
from app.report_jobs import service as report_service
from app.scoping import (
    current_principal,
    get_assessment,
    in_owning_organisation,
    may_answer,
    may_see_results,
    principal_required,
)

SELF_ASSESSMENT_AUDIENCES = ("buyer", "supplier")


@bp.route("/")
@login_required
def index():
    form = AssessmentFilterForm(request.args)
    form.status.choices = [SelectChoice("", _("Any status"))] + [
        SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()
    ]
    form.questionnaire.choices = [SelectChoice("", _("Any questionnaire"))] + [
        SelectChoice(q.key, q.title) for q in content().for_audiences(*SELF_ASSESSMENT_AUDIENCES)
    ]
    status = form.status.data if form.status.data in {s.value for s in AssessmentStatus} else None
    questionnaire = form.questionnaire.data if content().get(form.questionnaire.data) else None
    rows = queries.assessment_list(
        current_user.organisation_id, status=status, questionnaire=questionnaire
    )
    return render_template("assessments/index.html", form=form, rows=rows)


@bp.route("/new", methods=["GET", "POST"])
@answerer_required
def new():
    form = NewAssessmentForm()
    choices = content().for_audiences(*SELF_ASSESSMENT_AUDIENCES)
    form.questionnaire.choices = [SelectChoice(q.key, q.title) for q in choices]
    if request.method == "GET" and request.args.get("questionnaire"):
        form.questionnaire.data = request.args["questionnaire"]
    if form.validate_on_submit():
        assessment = lifecycle.create_assessment(
            organisation=current_user.organisation,
            questionnaire=content().get(form.questionnaire.data),
            subject=form.subject.data,
            period=form.period.data,
            created_by=current_user._get_current_object(),
        )
        return redirect(url_for("assessments.overview", assessment_id=assessment.id))
    return render_template("assessments/new.html", form=form, questionnaires=choices)


@bp.route("/<int:assessment_id>")
@principal_required
def overview(assessment_id: int):
    principal = current_principal()
    assessment = get_assessment(principal, assessment_id)
    return render_template(
        "assessments/overview.html",
        action_form=EmptyForm(),
        details_form=DetailsForm(
            formdata=None, data={"subject": assessment.subject, "period": assessment.period}
        ),
        can_answer=may_answer(principal, assessment),
        is_admin=principal.is_admin,
        **overview_context(assessment),
    )


@bp.route("/<int:assessment_id>/details", methods=["POST"])
@principal_required
def details(assessment_id: int):
    """Put right what a draft is about and its period."""
    principal = current_principal()
    assessment = get_assessment(principal, assessment_id)
    if not may_answer(principal, assessment) or not assessment.answered_by_owner:
        abort(403)
    if not assessment.is_draft:
        abort(409)
    form = DetailsForm()
    if form.validate_on_submit():
        lifecycle.update_details(assessment, form.subject.data, form.period.data, principal)
        flash(_("The subject and period are saved."), "success")
        return redirect(url_for("assessments.overview", assessment_id=assessment.id))
    return render_template(
        "assessments/overview.html",
        action_form=EmptyForm(),
        details_form=form,
        can_answer=True,
        is_admin=principal.is_admin,
        **overview_context(assessment),
    ), 422


@bp.route("/<int:assessment_id>/language", methods=["POST"])
@principal_required
def language(assessment_id: int):
    """Show the questions, report and exports in another language; answers stay as they are."""
    principal = current_principal()
    assessment = get_assessment(principal, assessment_id)
    if not (may_answer(principal, assessment) or principal.is_admin):
        abort(403)
    form = EmptyForm()
    code = request.form.get("language", "")
    if form.validate_on_submit() and is_language(code):
        lifecycle.set_language(assessment, code, principal)
        flash(
            _("The assessment is now shown in %(language)s.", language=language_name(code)),
            "success",
        )
    else:
        flash(_("Choose one of the languages offered."), "danger")
    return redirect(url_for("assessments.overview", assessment_id=assessment.id))


@bp.route("/<int:assessment_id>/themes/<theme_key>", methods=["GET", "POST"])
@principal_required
def theme(assessment_id: int, theme_key: str):
    principal = current_principal()
    assessment = get_assessment(principal, assessment_id)
    questionnaire = queries.shown_questionnaire(assessment)
    if not questionnaire.has_theme(theme_key):
        abort(404)
    stored = queries.stored_answers(assessment)
    form_class = theme_form_class(questionnaire, theme_key)
    editable = assessment.is_draft and may_answer(principal, assessment)
    if request.method != "POST":
        form = form_class(data=theme_page.form_data(stored))
    elif not editable:
        abort(403 if assessment.is_draft else 409)
    elif (form := form_class()).validate_on_submit():
        problems = theme_page.save_theme(assessment, questionnaire, theme_key, form, principal)
        if not problems:
            flash(_("Your answers are saved."), "success")
            go = request.form.get("go") or ""
            return redirect(_after_save(assessment, questionnaire, theme_key, go))
        theme_page.show_problems(form, problems)
        stored = queries.stored_answers(assessment)
    context = answer_page_context(assessment, questionnaire, theme_key, stored, editable)
    # Only a signed-in member of the owning organisation has colleagues to ask.
    can_hand_over = in_owning_organisation(principal, assessment)
    return render_template(
        "assessments/theme.html", form=form, can_hand_over=can_hand_over, **context
    )


def _after_save(assessment, questionnaire, theme_key: str, target: str) -> str:
    keys = [t.key for t in questionnaire.themes]
    index = keys.index(theme_key)
    if target == "next" and index + 1 < len(keys):
        theme_key = keys[index + 1]
    elif target == "previous" and index > 0:
        theme_key = keys[index - 1]
    elif target == "submit":
        if assessment.submitted_by_facilitator:
            return url_for("workshops.team")
        return url_for("assessments.submit", assessment_id=assessment.id)
    return url_for("assessments.theme", assessment_id=assessment.id, theme_key=theme_key)


@bp.route("/<int:assessment_id>/answers/<question_key>", methods=["POST"])
def save_answer(assessment_id: int, question_key: str):
    """Autosave of one answer (JSON). 409 when the answer changed since `revision`."""
    principal = current_principal()
    if not principal.is_anyone:
        return _refusal("signed-out", _("Your session has ended. Sign in again."), 401)
    assessment = get_assessment(principal, assessment_id)
    questionnaire = queries.questionnaire_of(assessment)
    if not questionnaire.has_question(question_key):
        abort(404)
    if not may_answer(principal, assessment):
        return _refusal("read-only", _("Your role can read but not answer."), 403)
    try:
        given, base_revision = _read_answer(request.get_json(silent=True))
        result = autosave.save_answer(
            assessment, question_key, given, base_revision=base_revision, principal=principal
        )
    except _Unreadable as error:
        return _refusal("invalid", _("The answer could not be read."), error.status)
    except AssessmentClosed:
        return _refusal("closed", _("This assessment is submitted."), 409)
    except InvalidAnswer as error:
        return _refusal("invalid", str(error), 422, field=error.field)
    except (ValueError, TypeError, OverflowError):
        # Python's own words ("invalid literal for int()") are no message for a person.
        return _refusal("invalid", _("The answer could not be read."), 422)
    if not result.saved:
        return jsonify(error="conflict", revision=result.revision, current=result.conflict), 409
    return jsonify(revision=result.revision, **progress_payload(questionnaire, result.answers))


class _Unreadable(Exception):
    """The autosave request is not an answer at all; `status` is the reply's HTTP status."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


def _read_answer(payload) -> tuple[AnswerInput, int]:
    """The answer and the revision it was based on, from the autosave request's JSON."""
    if not isinstance(payload, dict):
        raise _Unreadable(400)
    base_revision = payload.get("revision", 0)
    if isinstance(base_revision, str) and base_revision.isdigit():
        base_revision = database_id(base_revision) or 0
    if (
        isinstance(base_revision, bool)
        or not isinstance(base_revision, int)
        or not 0 <= base_revision <= DB_INT_MAX
    ):
        raise _Unreadable(422)
    return AnswerInput.from_json(payload), base_revision


def _refusal(error: str, message: str, status: int, **details):
    """A JSON reply that says why the answer was not saved, in words for the person."""
    return jsonify(error=error, message=message, **details), status


@bp.route("/<int:assessment_id>/history")
@principal_required
def history(assessment_id: int):
    principal = current_principal()
    assessment = get_assessment(principal, assessment_id)
    questionnaire = queries.shown_questionnaire(assessment)
    # Anyone but the owning organisation (a contractor by its link or its own account) sees
    # only its own events and the buyer's public ones.
    outsider = not in_owning_organisation(principal, assessment)
    return render_template(
        "assessments/history.html",
        assessment=assessment,
        first_theme=questionnaire.themes[0].key,
        rows=history_rows(
            assessment,
            questionnaire,
            contractor_view=outsider and assessment.kind == AssessmentKind.CONTRACTOR,
        ),
    )


@bp.route("/<int:assessment_id>/submit", methods=["GET", "POST"])
@principal_required
def submit(assessment_id: int):
    principal = current_principal()
    assessment = get_assessment(principal, assessment_id)
    if not may_answer(principal, assessment):
        abort(403)
    if assessment.submitted_by_facilitator:
        # A team does not submit: the facilitator's close submits every team at once.
        flash(
            _("Your team's answers are handed in when the facilitator closes the workshop."), "info"
        )
        return redirect(url_for("workshops.team"))
    form = EmptyForm()
    try:
        if not assessment.is_draft:
            raise AssessmentClosed()
        if form.validate_on_submit():
            notes = lifecycle.submit(assessment, principal)
            flash(_("The assessment is submitted. Its answers are now frozen."), "success")
            for note in notes:
                flash(note, "info")
            return redirect(_after_submit(assessment, principal))
    except AssessmentClosed:
        flash(_("This assessment is submitted already."), "info")
        return redirect(url_for("assessments.results", assessment_id=assessment.id))
    except EvidenceRequired as missing:
        flash(
            _(
                "The assessment is not submitted: attach a document to %(questions)s.",
                questions="; ".join(f"“{q.text.strip()}”" for q in missing.questions),
            ),
            "danger",
        )
        return render_template(
            "assessments/submit.html", form=form, **submit_context(assessment)
        ), 422
    return render_template("assessments/submit.html", form=form, **submit_context(assessment))


def _after_submit(assessment, principal) -> str:
    if assessment.id in principal.granted and assessment.kind == AssessmentKind.CONTRACTOR:
        # A contractor reads its results only if the buyer allows it: its start page says.
        return url_for("contractors.invitation_home")
    return url_for("assessments.results", assessment_id=assessment.id)


@bp.route("/<int:assessment_id>/reopen", methods=["POST"])
@admin_required
def reopen(assessment_id: int):
    principal = current_principal()
    assessment = get_assessment(principal, assessment_id)
    # Only a self-assessment is reopened: a buyer returns a contractor's answers instead, and a
    # closed workshop stays closed.
    if assessment.is_draft or not assessment.answered_by_owner:
        abort(409)
    lifecycle.reopen(assessment, principal)
    flash(_("The assessment is open for changes again."), "success")
    return redirect(url_for("assessments.overview", assessment_id=assessment.id))


@bp.route("/<int:assessment_id>/move", methods=["POST"])
@principal_required
def move_to_current(assessment_id: int):
    """Move a draft to the current version of its questionnaire (answers kept by key)."""
    principal = current_principal()
    assessment = get_assessment(principal, assessment_id)
    if not may_answer(principal, assessment):
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        move = versions.move_to_current(assessment, principal)
    except AssessmentClosed:
        flash(_("A submitted assessment keeps its questionnaire version."), "info")
        return redirect(url_for("assessments.overview", assessment_id=assessment.id))
    except InvalidAnswer:
        flash(_("This assessment already uses the current questionnaire."), "info")
        return redirect(url_for("assessments.overview", assessment_id=assessment.id))
    flash(
        _(
            "Moved to version %(version)s: %(carried)s answers kept, %(dropped)s no longer "
            "fit and were removed, %(new)s questions to answer.",
            version=move.new_version,
            carried=move.carried,
            dropped=len(move.dropped),
            new=move.new_questions,
        ),
        "success",
    )
    return redirect(url_for("assessments.overview", assessment_id=assessment.id))


@bp.route("/<int:assessment_id>/next", methods=["POST"])
@answerer_required
def start_next(assessment_id: int):
    principal = current_principal()
    assessment = get_assessment(principal, assessment_id)
    if assessment.is_draft or not assessment.answered_by_owner:
        abort(409)
    successor = lifecycle.start_next(assessment, principal)
    flash(
        _("A new draft is ready, with last time's answers filled in. Review each theme."), "success"
    )
    return redirect(url_for("assessments.overview", assessment_id=successor.id))


def _with_results(assessment_id: int):
    """The assessment, if the principal may also read its scores and report; otherwise 404."""
    principal = current_principal()
    assessment = get_assessment(principal, assessment_id)
    if not may_see_results(principal, assessment):
        abort(404)
    return assessment


@bp.route("/<int:assessment_id>/results")
@principal_required
def results(assessment_id: int):
    assessment = _with_results(assessment_id)
    return render_template(
        "assessments/results.html", action_form=EmptyForm(), **results_context(assessment)
    )


@bp.route("/<int:assessment_id>/report")
@principal_required
def report(assessment_id: int):
    """The gap report as a page: the same template and stylesheet as the PDF."""
    assessment = _with_results(assessment_id)
    document = reporting.report_of(assessment)
    html = reporting.render_page(
        document,
        stylesheet_url=url_for("report_assets.static", filename="report.css"),
        back_url=url_for("assessments.results", assessment_id=assessment.id),
        pdf_url=url_for("assessments.report_pdf", assessment_id=assessment.id),
    )
    return html


@bp.route("/<int:assessment_id>/report.pdf", methods=["GET", "POST"])
@principal_required
def report_pdf(assessment_id: int):
    """The gap report as PDF: from the store at once, else rendered (or queued) once per content.

    POST tries a failed render again.
    """
    assessment = _with_results(assessment_id)
    # Built only when needed: a check on a render under way does not rebuild the report.
    document = functools.cache(lambda: reporting.report_of(assessment))
    return report_downloads.download(
        report_service.assessment_owner(assessment.id),
        lambda: report_service.gap_report_recipe(document()),
        filename=lambda: reporting.download_name(document()),
        title=_("The gap report of %(subject)s", subject=assessment.subject),
        back_url=url_for("assessments.results", assessment_id=assessment.id),
        back_label=_("Back to the results"),
    )
