"""Views for contractor assessments: parse, call a service, render.

The buyer's pages need a signed-in user of the owning organisation; the contractor reaches
only /invitation/... and, through the grant its link gives, the one assessment's pages.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from app import mail
from app.access import answerer_required
from app.assessments import services as assessments
from app.colleagues.forms import EmptyForm
from app.content import content
from app.contractors import bp, exports, invitations, presenters, queries, services, sharing
from app.contractors.forms import NewContractorForm, ReviewNoteForm
from app.downloads import attachment
from app.extensions import db
from app.i18n import interface_language, language_choices
from app.limits import database_id
from app.models import AssessmentKind, ContractorAssessment, ReviewStatus, Verdict
from app.report_jobs import responses as report_downloads
from app.report_jobs import service as report_service
from app.scoping import current_principal, get_assessment
from reports.charts import Bar, bar_chart

CONTRACTOR_AUDIENCES = ("supplier",)
# Only this many of the chosen assessments are compared: more would make an unreadable page.
MAX_COMPARED = 500


def _own(assessment_id: int) -> ContractorAssessment:
    """A contractor assessment of the signed-in user's organisation, or 404."""
    principal = current_principal()
    assessment = get_assessment(principal, assessment_id)
    if (
        principal.user is None
        or assessment.organisation_id != principal.user.organisation_id
        or assessment.kind != AssessmentKind.CONTRACTOR
    ):
        abort(404)
    contractor = db.session.scalar(
        select(ContractorAssessment).where(ContractorAssessment.assessment_id == assessment.id)
    )
    if contractor is None:
        abort(404)
    return contractor


def _link(token: str) -> str:
    return url_for("contractors.open_invitation", token=token, _external=True)


def _send_link(contractor: ContractorAssessment, invitation, link: str) -> bool:
    organisation = contractor.assessment.organisation.name
    deadline = contractor.deadline.isoformat() if contractor.deadline else _("no deadline")
    body = _(
        "%(org)s asks %(contractor)s to answer a due-diligence questionnaire on ddcheck.\n\n"
        "Open this link to answer it; no account is needed. The link works until %(expires)s "
        "or until you submit your answers. Deadline: %(deadline)s.\n%(link)s\n",
        org=organisation,
        contractor=contractor.contractor_name,
        expires=invitation.expires_at.strftime("%Y-%m-%d"),
        deadline=deadline,
        link=link,
    )
    return mail.send(
        contractor.contact_email, _("Questionnaire from %(org)s", org=organisation), body
    )


# The session key under which a new link waits for the one page that shows it.
NEW_LINK = "contractors.new_link"


def _issue_link(contractor: ContractorAssessment, invitation, token: str):
    """Mail the new link, keep it for the link page, and redirect there (post/redirect/get).

    Rendering the link straight from the POST would let a reload create another contractor
    or another link; the redirected page can be reloaded safely and shows the link once.
    """
    link = _link(token)
    sent = _send_link(contractor, invitation, link)
    session[NEW_LINK] = {"id": contractor.assessment_id, "token": token, "sent": sent}
    return redirect(url_for("contractors.link", assessment_id=contractor.assessment_id))


@bp.route("/contractors/<int:assessment_id>/link")
@answerer_required
def link(assessment_id: int):
    """The link just issued, once; afterwards the page says how to get a new one."""
    contractor = _own(assessment_id)
    waiting = session.get(NEW_LINK)
    shown = None
    if waiting and waiting.get("id") == contractor.assessment_id:
        session.pop(NEW_LINK)
        shown = waiting
    response = Response(
        render_template(
            "contractors/link.html",
            contractor=contractor,
            invitation=services.current_invitation(contractor),
            link=_link(shown["token"]) if shown else None,
            sent=bool(shown and shown["sent"]),
            action_form=EmptyForm(),
        )
    )
    # The page holds a working link: no cache may keep a copy of it.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/contractors/")
@login_required
def index():
    rows = queries.contractor_rows(current_user.organisation_id)
    return render_template(
        "contractors/index.html", rows=rows, today=date.today(), action_form=EmptyForm()
    )


@bp.route("/contractors/new", methods=["GET", "POST"])
@answerer_required
def new():
    form = NewContractorForm()
    choices = content().for_audiences(*CONTRACTOR_AUDIENCES)
    form.questionnaire.choices = [SelectChoice(q.key, q.title) for q in choices]
    form.language.choices = [SelectChoice(code, name) for code, name in language_choices()]
    if request.method == "GET":
        form.questionnaire.data = "supplier" if content().get("supplier") else None
        form.language.data = interface_language()
    if form.validate_on_submit():
        contractor, token = services.create(
            current_user.organisation,
            services.NewContractor(
                contractor_name=form.contractor_name.data,
                contact_email=form.contact_email.data,
                reference=form.reference.data,
                questionnaire=content().get(form.questionnaire.data),
                deadline=form.deadline.data,
                results_visible=form.results_visible.data,
                plan_required=form.plan_required.data,
                language=form.language.data or interface_language(),
            ),
            created_by=current_user._get_current_object(),
        )
        invitation = services.current_invitation(contractor)
        return _issue_link(contractor, invitation, token)
    return render_template("contractors/new.html", form=form)


def _detail(contractor: ContractorAssessment, posted: dict | None = None, code: int = 200):
    assessment = contractor.assessment
    posted = posted or {}

    def form_for(key: str, data: dict) -> ReviewNoteForm:
        # The form just sent keeps what was typed and its errors; the others show the marks.
        if key in posted:
            return posted[key]
        return ReviewNoteForm(prefix=key, formdata=None, data=data)

    questions = presenters.review_items(assessment, form_for)
    row = queries.contractor_rows(assessment.organisation_id, [assessment.id])[0]
    reviewable = not assessment.is_draft and contractor.review_status != ReviewStatus.REVIEWED
    return render_template(
        "contractors/detail.html",
        contractor=contractor,
        assessment=assessment,
        questionnaire=assessments.questionnaire_of(assessment),
        row=row,
        invitation=services.current_invitation(contractor),
        questions=questions,
        reviewable=reviewable,
        can_act=current_user.can_answer,
        action_form=EmptyForm(),
    ), code


@bp.route("/contractors/<int:assessment_id>")
@login_required
def detail(assessment_id: int):
    return _detail(_own(assessment_id))


@bp.route("/contractors/<int:assessment_id>/review/<question_key>", methods=["POST"])
@answerer_required
def review_answer(assessment_id: int, question_key: str):
    contractor = _own(assessment_id)
    questionnaire = assessments.questionnaire_of(contractor.assessment)
    if not questionnaire.has_question(question_key):
        abort(404)
    if contractor.assessment.is_draft or contractor.review_status == ReviewStatus.REVIEWED:
        abort(409)
    form = ReviewNoteForm(prefix=question_key)
    saved = False
    if form.validate_on_submit():
        verdict = Verdict(form.verdict.data)
        if verdict == Verdict.CLARIFY and not (form.comment.data or "").strip():
            form.comment.errors = [_("Say what needs clarifying: the contractor sees this note.")]
        else:
            services.mark_answer(
                contractor, question_key, verdict, form.comment.data or "", current_user
            )
            saved = True
    if request.headers.get("X-Requested-With") == "fetch":
        # The review page marks answers in place: the script gets this answer's card back.
        return _review_card(contractor, question_key, None if saved else form, saved)
    if not saved:
        return _detail(contractor, posted={question_key: form}, code=422)
    flash(_("Your review of this answer is saved."), "success")
    return redirect(
        url_for("contractors.detail", assessment_id=assessment_id) + f"#review-{question_key}"
    )


def _review_card(contractor: ContractorAssessment, question_key: str, form, saved: bool):
    def form_for(key: str, data: dict) -> ReviewNoteForm:
        if form is not None and key == question_key:
            return form
        return ReviewNoteForm(prefix=key, formdata=None, data=data)

    items = presenters.review_items(contractor.assessment, form_for)
    item = next((i for i in items if i["question"].key == question_key), None)
    if item is None:
        abort(404)
    return render_template(
        "contractors/_review_item.html",
        item=item,
        assessment=contractor.assessment,
        reviewable=True,
        can_act=True,
        saved=saved,
    )


@bp.route("/contractors/<int:assessment_id>/accept-unmarked", methods=["POST"])
@answerer_required
def accept_unmarked(assessment_id: int):
    """Accept at once every answer the buyer has not marked; marks given stay as they are."""
    contractor = _own(assessment_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    keys = presenters.visible_question_keys(contractor.assessment)
    try:
        accepted = services.accept_unmarked(contractor, keys, current_user)
    except services.NotPossibleNow:
        abort(409)
    flash(
        ngettext(
            "%(num)s answer not marked yet is now accepted.",
            "%(num)s answers not marked yet are now accepted.",
            accepted,
        ),
        "success",
    )
    return redirect(url_for("contractors.detail", assessment_id=assessment_id) + "#review-heading")


def _confirmed(contractor: ContractorAssessment, step: str):
    """None once the buyer confirmed `step`; otherwise the page that asks, with the counts."""
    reviewable = (
        not contractor.assessment.is_draft and contractor.review_status != ReviewStatus.REVIEWED
    )
    if request.form.get("confirmed") == "yes" or not reviewable:
        return None  # Confirmed, or refused by the service anyway.
    marks = services.review_notes(contractor.assessment_id)
    keys = presenters.visible_question_keys(contractor.assessment)
    verdicts = [marks[key].verdict for key in keys if key in marks]
    return render_template(
        "contractors/confirm.html",
        contractor=contractor,
        step=step,
        clarify=sum(1 for v in verdicts if v == Verdict.CLARIFY),
        accepted=sum(1 for v in verdicts if v == Verdict.ACCEPTED),
        unmarked=len(keys) - len(verdicts),
        action_form=EmptyForm(),
    )


@bp.route("/contractors/<int:assessment_id>/return", methods=["POST"])
@answerer_required
def return_assessment(assessment_id: int):
    contractor = _own(assessment_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if (page := _confirmed(contractor, "return")) is not None:
        return page
    try:
        services.return_to_contractor(contractor, current_user)
    except services.NotPossibleNow:
        abort(409)
    flash(
        _("The assessment is returned to the contractor, who sees your notes and can answer."),
        "success",
    )
    return redirect(url_for("contractors.detail", assessment_id=assessment_id))


@bp.route("/contractors/<int:assessment_id>/reviewed", methods=["POST"])
@answerer_required
def mark_reviewed(assessment_id: int):
    contractor = _own(assessment_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if (page := _confirmed(contractor, "reviewed")) is not None:
        return page
    try:
        services.mark_reviewed(contractor, current_user)
    except services.NotPossibleNow:
        abort(409)
    except services.PlanIncomplete as incomplete:
        flash(
            ngettext(
                "Not marked as reviewed: %(num)s red flag has no accepted action in the "
                "contractor's action plan yet.",
                "Not marked as reviewed: %(num)s red flags have no accepted action in the "
                "contractor's action plan yet.",
                len(incomplete.red_flags),
            ),
            "danger",
        )
        return redirect(url_for("contractors.detail", assessment_id=assessment_id))
    flash(_("The assessment is marked as reviewed."), "success")
    return redirect(url_for("contractors.detail", assessment_id=assessment_id))


@bp.route("/contractors/<int:assessment_id>/reissue", methods=["POST"])
@answerer_required
def reissue(assessment_id: int):
    """A new link, sent again when mail works and shown for copying; the old link dies."""
    contractor = _own(assessment_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    invitation, token = services.new_link(contractor, current_user)
    return _issue_link(contractor, invitation, token)


@bp.route("/contractors/<int:assessment_id>/revoke", methods=["POST"])
@answerer_required
def revoke(assessment_id: int):
    contractor = _own(assessment_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.revoke(contractor, current_user)
    flash(_("The invitation link is revoked; it no longer works."), "success")
    return redirect(url_for("contractors.detail", assessment_id=assessment_id))


# --- Comparison -------------------------------------------------------------------------------


def _comparison() -> queries.Comparison:
    ids = [database_id(value) for value in request.args.getlist("ids")[: MAX_COMPARED * 2]]
    ids = [i for i in ids if i is not None][:MAX_COMPARED]
    sort = request.args.get("sort", "-overall")[:120]
    return queries.comparison(current_user.organisation_id, ids, sort)


@bp.route("/contractors/compare")
@login_required
def compare():
    result = _comparison()
    ids = [row.assessment.id for row in result.rows]
    chart = bar_chart(
        [Bar(row.contractor.contractor_name, row.overall) for row in result.rows],
        title=_("Overall score, 0 to 100"),
        no_score_text=_("no score"),
        chart_id="comparison-chart",
    )
    # Built once: every column heading and download links to the same selection.
    selection = urlencode([("ids", i) for i in ids])
    return render_template(
        "contractors/compare.html", comparison=result, selection=selection, chart_svg=chart
    )


def _download(body: bytes | str, extension: str) -> Response:
    return attachment(body, f"contractor-comparison.{extension}")


@bp.route("/contractors/compare.csv")
@login_required
def compare_csv():
    return _download(exports.to_csv(_comparison()), "csv")


@bp.route("/contractors/compare.xlsx")
@login_required
def compare_xlsx():
    return _download(exports.to_xlsx(_comparison()), "xlsx")


@bp.route("/contractors/compare.pdf", methods=["GET", "POST"])
@login_required
def compare_pdf():
    """The comparison as PDF, like the gap report: stored, rendered or queued once."""
    comparison = _comparison()
    selection = urlencode([("ids", row.assessment.id) for row in comparison.rows])
    return report_downloads.download(
        report_service.comparison_owner(
            current_user.organisation_id, f"{selection}&sort={comparison.sort}"
        ),
        report_service.comparison_recipe(comparison),
        filename="contractor-comparison.pdf",
        title=_("The comparison of contractors"),
        back_url=url_for("contractors.compare") + (f"?{selection}" if selection else ""),
        back_label=_("Back to the comparison"),
    )


# --- The contractor's side ------------------------------------------------------------------


def _closed(state: str):
    code = 404 if state == "unknown" else 410
    response = Response(render_template("contractors/closed.html", state=state), status=code)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/invitation/<token>")
def open_invitation(token: str):
    """Check the link, keep the invitation in the session, and leave the token-bearing URL."""
    _invitation, status = invitations.open_link(token)
    if status != "open":
        return _closed(status)
    response = redirect(url_for("contractors.invitation_home"))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/invitation/")
def invitation_home():
    """The contractor's start page: what is asked, by whom, and where things stand."""
    invitation = invitations.session_invitation()
    if invitation is None:
        return _closed("unknown")
    if invitation.status != "open":
        return _closed(invitation.status)
    contractor = invitation.contractor
    assessment = contractor.assessment
    notes = []
    if assessment.is_draft and contractor.review_status == ReviewStatus.RETURNED:
        questionnaire = assessments.questionnaire_of(assessment)
        marks = services.review_notes(assessment.id)
        notes = [
            (questionnaire.question(q.key), marks[q.key].comment)
            for q in questionnaire.questions
            if q.key in marks and marks[q.key].verdict == Verdict.CLARIFY
        ]
    user = current_user._get_current_object() if current_user.is_authenticated else None
    return render_template(
        "contractors/home.html",
        contractor=contractor,
        assessment=assessment,
        invitation=invitation,
        notes=notes,
        signed_in_elsewhere=user is not None and user.organisation_id != assessment.organisation_id,
        reusable=sharing.reusable_assessments(user, assessment) if assessment.is_draft else [],
        action_form=EmptyForm(),
    )


@bp.route("/invitation/reuse/<int:source_id>", methods=["POST"])
@login_required
def reuse_assessment(source_id: int):
    """Fill the invitation's assessment from one of the contractor's own earlier assessments."""
    invitation = invitations.session_invitation()
    if invitation is None or invitation.status != "open":
        return _closed(invitation.status if invitation is not None else "unknown")
    if not EmptyForm().validate_on_submit():
        abort(400)
    assessment = invitation.contractor.assessment
    try:
        copied = sharing.reuse(assessment, source_id, current_principal())
    except sharing.CannotReuse:
        abort(404)
    flash(
        ngettext(
            "%(num)s answer was filled in from your earlier assessment. Check each theme, change "
            "what differs for this contract, then submit.",
            "%(num)s answers were filled in from your earlier assessment. Check each theme, "
            "change what differs for this contract, then submit.",
            copied,
        ),
        "success",
    )
    return redirect(url_for("assessments.overview", assessment_id=assessment.id))
