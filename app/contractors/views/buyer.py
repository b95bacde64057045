"""The buyer's pages: the list, inviting a contractor, its link, the review of its answers,
returning it, closing the review, a new link and revoking it."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from wtforms import SelectChoice

from app.access import answerer_required
from app.assessments.queries import questionnaire_of
from app.content import content
from app.contractors import bp, evidence, invitations, presenters, queries, services
from app.contractors.forms import EvidenceCheckForm, NewContractorForm, ReviewNoteForm
from app.forms import EmptyForm
from app.i18n import interface_language, language_choices
from app.models import AssessmentKind, ContractorAssessment, EvidenceCheck, Verdict, utc_today
from app.scoping import current_principal, get_assessment

CONTRACTOR_AUDIENCES = ("supplier",)
# The session key under which a new link waits for the one page that shows it.
NEW_LINK = "contractors.new_link"


def _own(assessment_id: int) -> ContractorAssessment:
    """A contractor assessment of the signed-in user's organisation, or 404."""
    principal = current_principal()
    assessment = get_assessment(principal, assessment_id)
    if (
        principal.user is None
        or assessment.organisation_id != principal.user.organisation_id
        or assessment.kind != AssessmentKind.CONTRACTOR
        or assessment.contractor is None
    ):
        abort(404)
    return assessment.contractor


def _posted(assessment_id: int) -> ContractorAssessment:
    """The own contractor assessment of a button's POST, whose form must be genuine."""
    contractor = _own(assessment_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    return contractor


def _to_detail(assessment_id: int, anchor: str = ""):
    return redirect(url_for("contractors.detail", assessment_id=assessment_id) + anchor)


def _issue_link(contractor: ContractorAssessment, invitation, token: str):
    """Mail the new link, keep it for the link page, and redirect there (post/redirect/get).

    Rendering the link straight from the POST would let a reload create another contractor
    or another link; the redirected page can be reloaded safely and shows the link once.
    """
    sent = invitations.send_link(contractor, invitation, invitations.link_url(token))
    session[NEW_LINK] = {"id": contractor.assessment_id, "token": token, "sent": sent}
    return redirect(url_for("contractors.link", assessment_id=contractor.assessment_id))


@bp.route("/contractors/<int:assessment_id>/link")
@answerer_required
def link(assessment_id: int):
    """The link just issued, once; afterwards the page says how to get a new one."""
    contractor = _own(assessment_id)
    waiting = session.get(NEW_LINK)
    shown = session.pop(NEW_LINK) if waiting and waiting.get("id") == assessment_id else None
    page = render_template(
        "contractors/link.html",
        contractor=contractor,
        invitation=services.current_invitation(contractor),
        link=invitations.link_url(shown["token"]) if shown else None,
        sent=bool(shown and shown["sent"]),
        action_form=EmptyForm(),
    )
    # The page holds a working link: no cache may keep a copy of it.
    return Response(page, headers={"Cache-Control": "no-store"})


@bp.route("/contractors/")
@login_required
def index():
    rows = queries.contractor_rows(current_user.organisation_id)
    return render_template(
        "contractors/index.html", rows=rows, today=utc_today(), action_form=EmptyForm()
    )


def _new_form() -> NewContractorForm:
    form = NewContractorForm()
    choices = content().for_audiences(*CONTRACTOR_AUDIENCES)
    form.questionnaire.choices = [SelectChoice(q.key, q.title) for q in choices]
    form.language.choices = [SelectChoice(code, name) for code, name in language_choices()]
    if request.method == "GET":
        form.questionnaire.data = "supplier" if content().get("supplier") else None
        form.language.data = interface_language()
    return form


def _new_contractor(form: NewContractorForm) -> services.NewContractor:
    return services.NewContractor(
        contractor_name=form.contractor_name.data,
        contact_email=form.contact_email.data,
        reference=form.reference.data,
        questionnaire=content().get(form.questionnaire.data),
        deadline=form.deadline.data,
        results_visible=form.results_visible.data,
        plan_required=form.plan_required.data,
        language=form.language.data or interface_language(),
    )


@bp.route("/contractors/new", methods=["GET", "POST"])
@answerer_required
def new():
    form = _new_form()
    if not form.validate_on_submit():
        return render_template("contractors/new.html", form=form)
    contractor, token = services.create(
        current_user.organisation,
        _new_contractor(form),
        created_by=current_user._get_current_object(),
    )
    return _issue_link(contractor, services.current_invitation(contractor), token)


def _evidence_form_for(posted: dict | None = None):
    """The evidence check form of each answer: the one just sent keeps what was typed and its
    errors, the others show the check given."""
    posted = posted or {}

    def form_for(key: str, data: dict) -> EvidenceCheckForm:
        if key in posted:
            return posted[key]
        return EvidenceCheckForm(prefix=f"evidence-{key}", formdata=None, data=data)

    return form_for


def _detail(
    contractor: ContractorAssessment,
    posted: dict | None = None,
    code: int = 200,
    evidence_posted: dict | None = None,
):
    assessment = contractor.assessment
    posted = posted or {}

    def form_for(key: str, data: dict) -> ReviewNoteForm:
        # The form just sent keeps what was typed and its errors; the others show the marks.
        if key in posted:
            return posted[key]
        return ReviewNoteForm(prefix=key, formdata=None, data=data)

    return render_template(
        "contractors/detail.html",
        contractor=contractor,
        assessment=assessment,
        questionnaire=questionnaire_of(assessment),
        row=queries.contractor_rows(assessment.organisation_id, [assessment.id])[0],
        invitation=services.current_invitation(contractor),
        questions=presenters.review_items(
            assessment, form_for, _evidence_form_for(evidence_posted)
        ),
        reviewable=contractor.under_review,
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
    if not questionnaire_of(contractor.assessment).has_question(question_key):
        abort(404)
    if not contractor.under_review:
        abort(409)
    form = ReviewNoteForm(prefix=question_key)
    saved = form.validate_on_submit()
    if saved:
        verdict, comment = Verdict(form.verdict.data), form.comment.data or ""
        services.mark_answer(contractor, question_key, verdict, comment, current_user)
    if request.headers.get("X-Requested-With") == "fetch":
        # The review page marks answers in place: the script gets this answer's card back.
        return _review_card(contractor, question_key, None if saved else form, saved)
    if not saved:
        return _detail(contractor, posted={question_key: form}, code=422)
    flash(_("Your review of this answer is saved."), "success")
    return _to_detail(assessment_id, f"#review-{question_key}")


@bp.route("/contractors/<int:assessment_id>/evidence-check/<question_key>", methods=["POST"])
@answerer_required
def check_evidence(assessment_id: int, question_key: str):
    """The buyer's check of one answer's evidence: checked, or not supporting the answer."""
    contractor = _own(assessment_id)
    if not questionnaire_of(contractor.assessment).has_question(question_key):
        abort(404)
    if not contractor.under_review:
        abort(409)
    form = EvidenceCheckForm(prefix=f"evidence-{question_key}")
    if not form.validate_on_submit():
        return _detail(contractor, code=422, evidence_posted={question_key: form})
    check = EvidenceCheck(form.check.data)
    try:
        evidence.check_answer(contractor, question_key, check, form.note.data or "", current_user)
    except evidence.NoEvidence:
        abort(404)
    except services.NotPossibleNow:
        abort(409)
    if check == EvidenceCheck.NOT_SUPPORTING:
        flash(
            _(
                "Saved: the evidence does not support this answer. The answer is marked as "
                "needing clarification, with your note."
            ),
            "success",
        )
    else:
        flash(_("Saved: the evidence of this answer is checked."), "success")
    return _to_detail(assessment_id, f"#review-{question_key}")


def _review_card(contractor: ContractorAssessment, question_key: str, form, saved: bool):
    def form_for(key: str, data: dict) -> ReviewNoteForm:
        if form is not None and key == question_key:
            return form
        return ReviewNoteForm(prefix=key, formdata=None, data=data)

    items = presenters.review_items(contractor.assessment, form_for, _evidence_form_for())
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
    contractor = _posted(assessment_id)
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
    return _to_detail(assessment_id, "#review-heading")


def _confirmed(contractor: ContractorAssessment, step: str):
    """None once the buyer confirmed `step`; otherwise the page that asks, with the counts."""
    if request.form.get("confirmed") == "yes" or not contractor.under_review:
        return None  # Confirmed, or refused by the service anyway.
    return render_template(
        "contractors/confirm.html",
        contractor=contractor,
        step=step,
        **presenters.review_counts(contractor.assessment),
        action_form=EmptyForm(),
    )


@bp.route("/contractors/<int:assessment_id>/return", methods=["POST"])
@answerer_required
def return_assessment(assessment_id: int):
    contractor = _posted(assessment_id)
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
    return _to_detail(assessment_id)


def _plan_incomplete_message(red_flags: int) -> str:
    return ngettext(
        "Not marked as reviewed: %(num)s red flag has no accepted action in the "
        "contractor's action plan yet.",
        "Not marked as reviewed: %(num)s red flags have no accepted action in the "
        "contractor's action plan yet.",
        red_flags,
    )


@bp.route("/contractors/<int:assessment_id>/reviewed", methods=["POST"])
@answerer_required
def mark_reviewed(assessment_id: int):
    contractor = _posted(assessment_id)
    if (page := _confirmed(contractor, "reviewed")) is not None:
        return page
    try:
        services.mark_reviewed(contractor, current_user)
    except services.NotPossibleNow:
        abort(409)
    except services.PlanIncomplete as incomplete:
        flash(_plan_incomplete_message(len(incomplete.red_flags)), "danger")
        return _to_detail(assessment_id)
    flash(_("The assessment is marked as reviewed."), "success")
    return _to_detail(assessment_id)


@bp.route("/contractors/<int:assessment_id>/reissue", methods=["POST"])
@answerer_required
def reissue(assessment_id: int):
    """A new link, sent again when mail works and shown for copying; the old link dies."""
    contractor = _posted(assessment_id)
    invitation, token = services.new_link(contractor, current_user)
    return _issue_link(contractor, invitation, token)


@bp.route("/contractors/<int:assessment_id>/revoke", methods=["POST"])
@answerer_required
def revoke(assessment_id: int):
    contractor = _posted(assessment_id)
    services.revoke(contractor, current_user)
    flash(_("The invitation link is revoked; it no longer works."), "success")
    return _to_detail(assessment_id)
