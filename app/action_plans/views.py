"""Pages of the action plan: the plan with its filters, a response per gap, done, exports."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from app.action_plans import bp, exports, services
from app.action_plans.exports import status_labels
from app.action_plans.forms import CommentForm, DoneForm, PlanFilterForm, ResponseForm
from app.assessments.queries import questionnaire_of
from app.exports import attachment
from app.extensions import db
from app.models import ActionResponse, Assessment, AssessmentKind, User
from app.scoping import current_principal, get_assessment, may_see_results, principal_required


def _answers_by_link(assessment: Assessment) -> bool:
    """A contractor answering its own assessment's plan through its invitation link."""
    return (
        assessment.id in current_principal().granted
        and assessment.kind == AssessmentKind.CONTRACTOR
        and not assessment.is_draft
    )


def _may_edit(assessment: Assessment) -> bool:
    """The organisation's admins and assessors answer the plan of its own assessments; a
    contractor answers the plan of the assessment it was invited to."""
    if _answers_by_link(assessment):
        return True
    user = current_principal().user
    return (
        user is not None
        and user.organisation_id == assessment.organisation_id
        and user.can_answer
        and assessment.answered_by_owner
        and not assessment.is_draft
    )


def _may_comment(assessment: Assessment) -> bool:
    """The buyer comments on the plan of a contractor assessment it owns."""
    user = current_principal().user
    return (
        user is not None
        and user.organisation_id == assessment.organisation_id
        and user.can_answer
        and assessment.kind == AssessmentKind.CONTRACTOR
        and not assessment.is_draft
    )


def _submitted(assessment_id: int) -> Assessment:
    principal = current_principal()
    assessment = get_assessment(principal, assessment_id)
    # A workshop team's plan is made of its results: hidden until the facilitator reveals them.
    if assessment.submitted_by_facilitator and not may_see_results(principal, assessment):
        abort(404)
    if assessment.is_draft:
        flash(_("The action plan opens once the assessment is submitted."), "info")
        abort(redirect(url_for("assessments.overview", assessment_id=assessment.id)))
    return assessment


def _first_theme(assessment: Assessment) -> str:
    return questionnaire_of(assessment).themes[0].key


def _row(assessment: Assessment, question_key: str) -> services.PlanRow:
    row = next((r for r in services.plan_of(assessment) if r.key == question_key), None)
    if row is None:
        abort(404)
    return row


@bp.route("/<int:assessment_id>/action-plan")
@principal_required
def plan(assessment_id: int):
    return _plan_page(_submitted(assessment_id))


def _plan_page(assessment: Assessment, posted: dict | None = None, code: int = 200):
    """The whole plan on one page: a row per recommendation, each answered in place.

    `posted` holds the form of a row just sent without JavaScript, with its errors.
    """
    rows = services.plan_of(assessment)
    today = date.today()
    labels = status_labels()
    form = PlanFilterForm(request.args)
    form.status.choices = [SelectChoice("", _("Any status"))] + [
        SelectChoice(key, labels[key]) for key in services.STATUSES
    ]
    owners = sorted({row.item.owner_label for row in rows if row.item and row.item.owner_label})
    form.owner.choices = [SelectChoice("", _("Any owner"))] + [
        SelectChoice(name, name) for name in owners
    ]
    status = form.status.data if form.status.data in services.STATUSES else None
    owner = form.owner.data if form.owner.data in owners else None
    shown = services.filter_rows(rows, status=status, owner=owner, today=today)
    counts = dict.fromkeys(services.STATUSES, 0)
    for row in rows:
        counts[row.status(today)] += 1
    may_edit = _may_edit(assessment)
    row_forms = {}
    if may_edit:
        choices = None if _answers_by_link(assessment) else _owner_choices(assessment)
        posted = posted or {}
        row_forms = {
            row.key: posted.get(row.key) or _row_form(row, choices, formdata=None) for row in shown
        }
    return render_template(
        "action_plans/plan.html",
        assessment=assessment,
        rows=shown,
        total=len(rows),
        counts=counts,
        labels=labels,
        form=form,
        today=today,
        may_edit=may_edit,
        may_comment=_may_comment(assessment),
        row_forms=row_forms,
        comment_form=CommentForm(),
        done_form=DoneForm(),
        first_theme=_first_theme(assessment),
    ), code


def _row_form(row: services.PlanRow, owner_choices, **kwargs) -> ResponseForm:
    """The response form of one row, its fields named after the question (many on a page)."""
    item = row.item
    data = {"action": row.gap.action}
    if item is not None:
        data = {
            "response": item.response.value,
            "action": item.action or "",
            "owner": str(item.owner_id or ""),
            "owner_name": item.owner_name or "",
            "due_on": item.due_on,
            "decline_reason": item.decline_reason or "",
        }
    form = ResponseForm(prefix=row.key, data=data, **kwargs)
    if owner_choices is None:
        # The contractor's people have no accounts here: its owner is a name.
        del form.owner
    else:
        form.owner.choices = owner_choices
        del form.owner_name
    form.concerned = ()
    return form


@bp.route("/<int:assessment_id>/action-plan/<question_key>/save", methods=["POST"])
@principal_required
def save_row(assessment_id: int, question_key: str):
    """Save one row of the plan page: for a script, the row again; otherwise back to the page."""
    assessment = _submitted(assessment_id)
    if not _may_edit(assessment):
        abort(403)
    row = _row(assessment, question_key)
    by_link = _answers_by_link(assessment)
    form = _row_form(row, None if by_link else _owner_choices(assessment))
    saved = False
    if form.validate_on_submit():
        try:
            _respond(assessment, row, form, by_link)
        except services.InvalidResponse as problem:
            concerned = tuple(f for f in problem.fields if f in form) or ("response",)
            form[concerned[0]].errors = [*form[concerned[0]].errors, str(problem)]
            form.concerned = concerned
        else:
            saved = True
    if request.headers.get("X-Requested-With") == "fetch":
        row = _row(assessment, question_key)
        return render_template(
            "action_plans/_row.html",
            assessment=assessment,
            row=row,
            row_form=form if not saved else _row_form(row, _choices_of(form), formdata=None),
            saved=saved,
            today=date.today(),
            labels=status_labels(),
            may_edit=True,
            may_comment=_may_comment(assessment),
            comment_form=CommentForm(),
            done_form=DoneForm(),
        ), 200  # A refusal is in the row itself; an error status would read as a failure.
    if not saved:
        return _plan_page(assessment, posted={row.key: form}, code=422)
    flash(_("Your response is saved."), "success")
    return redirect(url_for("action_plans.plan", assessment_id=assessment.id) + f"#item-{row.key}")


def _choices_of(form: ResponseForm):
    """The owner choices a row form was given (None for a contractor, who types a name)."""
    return form.owner.choices if "owner" in form else None


def _owner_choices(assessment: Assessment) -> list[SelectChoice]:
    members = db.session.scalars(
        db.select(User)
        .where(User.organisation_id == assessment.organisation_id, User.removed_at.is_(None))
        .order_by(User.name)
    )
    return [SelectChoice("", _("Choose an owner"))] + [
        SelectChoice(str(user.id), user.name) for user in members
    ]


@bp.route("/<int:assessment_id>/action-plan/<question_key>", methods=["GET", "POST"])
@principal_required
def respond(assessment_id: int, question_key: str):
    assessment = _submitted(assessment_id)
    if not _may_edit(assessment):
        abort(403)
    row = _row(assessment, question_key)
    item = row.item
    form = ResponseForm(
        obj=None,
        data=None
        if item is None
        else {
            "response": item.response.value,
            "action": item.action or "",
            "owner": str(item.owner_id or ""),
            "owner_name": item.owner_name or "",
            "due_on": item.due_on,
            "decline_reason": item.decline_reason or "",
        },
    )
    by_link = _answers_by_link(assessment)
    if by_link:
        # The contractor's people have no accounts here: its owner is a name.
        del form.owner
    else:
        form.owner.choices = _owner_choices(assessment)
        del form.owner_name
    if row.item is None and request.method == "GET":
        form.action.data = row.gap.action
    error = None
    if form.validate_on_submit():
        try:
            _respond(assessment, row, form, by_link)
        except services.InvalidResponse as problem:
            error = str(problem)
        else:
            flash(_("Your response is saved."), "success")
            return redirect(
                url_for("action_plans.plan", assessment_id=assessment.id) + f"#item-{row.key}"
            )
    return render_template(
        "action_plans/respond.html",
        assessment=assessment,
        row=row,
        form=form,
        error=error,
        first_theme=_first_theme(assessment),
    )


@bp.route("/<int:assessment_id>/action-plan/<question_key>/done", methods=["POST"])
@principal_required
def done(assessment_id: int, question_key: str):
    assessment = _submitted(assessment_id)
    if not _may_edit(assessment):
        abort(403)
    row = _row(assessment, question_key)
    form = DoneForm()
    if not form.validate_on_submit():
        # A note that is too long, or an expired form: say so and keep the plan as it was.
        flash(" ".join(form.note.errors) or _("The form has expired; try again."), "danger")
        return redirect(
            url_for("action_plans.plan", assessment_id=assessment.id) + f"#item-{row.key}"
        )
    try:
        services.mark_done(
            assessment, row, note=form.note.data or "", principal=current_principal()
        )
    except services.InvalidResponse as problem:
        flash(str(problem), "danger")
    else:
        flash(_("Marked as done."), "success")
    return redirect(url_for("action_plans.plan", assessment_id=assessment.id) + f"#item-{row.key}")


@bp.route("/<int:assessment_id>/action-plan/<question_key>/comment", methods=["POST"])
@principal_required
def comment(assessment_id: int, question_key: str):
    """The buyer's comment on a contractor's response (recorded in the audit trail)."""
    assessment = _submitted(assessment_id)
    if not _may_comment(assessment):
        abort(403)
    row = _row(assessment, question_key)
    form = CommentForm()
    if not form.validate_on_submit():
        flash(" ".join(form.comment.errors) or _("The comment could not be saved."), "danger")
    else:
        try:
            services.comment(
                assessment, row, text=form.comment.data or "", principal=current_principal()
            )
        except services.InvalidResponse as problem:
            flash(str(problem), "danger")
        else:
            flash(_("Your comment is saved."), "success")
    return redirect(url_for("action_plans.plan", assessment_id=assessment.id) + f"#item-{row.key}")


@bp.route("/<int:assessment_id>/action-plan.csv")
@principal_required
def export_csv(assessment_id: int):
    assessment = _submitted(assessment_id)
    return attachment(exports.plan_csv(assessment), exports.file_name(assessment, "csv"))


@bp.route("/<int:assessment_id>/action-plan.xlsx")
@principal_required
def export_xlsx(assessment_id: int):
    assessment = _submitted(assessment_id)
    return attachment(exports.plan_xlsx(assessment), exports.file_name(assessment, "xlsx"))


def _respond(assessment, row, form, by_link: bool) -> None:
    """Record a validated response form (raises services.InvalidResponse)."""
    owner = None
    if not by_link and (form.owner.data or "").isdigit():
        owner = db.session.get(User, int(form.owner.data))
    services.respond(
        assessment,
        row,
        response=ActionResponse(form.response.data),
        action=form.action.data or "",
        owner=owner,
        due_on=form.due_on.data,
        decline_reason=form.decline_reason.data or "",
        principal=current_principal(),
        owner_name=(form.owner_name.data or "") if by_link else "",
    )
