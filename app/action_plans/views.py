"""Pages of the action plan: the plan with its filters, a response per gap, done, exports."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from app.action_plans import bp, exports, services
from app.action_plans.exports import status_labels
from app.action_plans.forms import CommentForm, DoneForm, PlanFilterForm, ResponseForm
from app.assessments.queries import questionnaire_of
from app.exports import attachment
from app.models import ActionResponse, Assessment, utc_today
from app.scoping import current_principal, get_assessment, may_see_results, principal_required


def _answers_by_link(assessment: Assessment) -> bool:
    return services.answers_by_link(current_principal(), assessment)


def _may_edit(assessment: Assessment) -> bool:
    return services.may_edit(current_principal(), assessment)


def _may_comment(assessment: Assessment) -> bool:
    return services.may_comment(current_principal(), assessment)


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


def _plan_row(assessment_id: int, question_key: str, allowed=_may_edit):
    """The submitted assessment and its row, if the principal is `allowed` to act on it."""
    assessment = _submitted(assessment_id)
    if not allowed(assessment):
        abort(403)
    row = services.row_of(assessment, question_key)
    if row is None:
        abort(404)
    return assessment, row


def _back_to(assessment: Assessment, row: services.PlanRow):
    """Back to the row on the plan page."""
    return redirect(url_for("action_plans.plan", assessment_id=assessment.id) + f"#item-{row.key}")


def _first_theme(assessment: Assessment) -> str:
    return questionnaire_of(assessment).themes[0].key


@bp.route("/<int:assessment_id>/action-plan")
@principal_required
def plan(assessment_id: int):
    return _plan_page(_submitted(assessment_id))


def _plan_page(assessment: Assessment, posted: dict | None = None, code: int = 200):
    """The whole plan on one page: a row per recommendation, each answered in place.

    `posted` holds the form of a row just sent without JavaScript, with its errors.
    """
    rows = services.plan_of(assessment)
    today = utc_today()
    labels = status_labels()
    form, status, owner = _filter_form(rows, labels)
    shown = services.filter_rows(rows, status=status, owner=owner, today=today)
    may_edit = _may_edit(assessment)
    return render_template(
        "action_plans/plan.html",
        assessment=assessment,
        rows=shown,
        total=len(rows),
        counts=services.count_by_status(rows, today),
        labels=labels,
        form=form,
        today=today,
        may_edit=may_edit,
        may_comment=_may_comment(assessment),
        row_forms=_row_forms(assessment, shown, posted or {}) if may_edit else {},
        comment_form=CommentForm(),
        done_form=DoneForm(),
        first_theme=_first_theme(assessment),
    ), code


def _filter_form(rows: list[services.PlanRow], labels: dict[str, str]):
    """The filter form with its choices, and the status and owner it asks for (None: any)."""
    form = PlanFilterForm(request.args)
    form.status.choices = [SelectChoice("", _("Any status"))] + [
        SelectChoice(key, labels[key]) for key in services.STATUSES
    ]
    owners = services.owners_of(rows)
    form.owner.choices = [SelectChoice("", _("Any owner"))] + [
        SelectChoice(name, name) for name in owners
    ]
    status = form.status.data if form.status.data in services.STATUSES else None
    owner = form.owner.data if form.owner.data in owners else None
    return form, status, owner


def _row_forms(assessment: Assessment, rows: list[services.PlanRow], posted: dict) -> dict:
    """A response form per row shown; a row just posted keeps its form with its errors."""
    choices = _owner_choices(assessment)
    return {row.key: posted.get(row.key) or _row_form(row, choices, formdata=None) for row in rows}


def _item_data(item) -> dict | None:
    """A response form's fields filled from the row's response (None if it has none)."""
    if item is None:
        return None
    return {
        "response": item.response.value,
        "action": item.action or "",
        "owner": str(item.owner_id or ""),
        "owner_name": item.owner_name or "",
        "due_on": item.due_on,
        "decline_reason": item.decline_reason or "",
    }


def _fit_owner(form: ResponseForm, owner_choices) -> ResponseForm:
    """Keep the owner field that fits who answers: a member to choose, or a name to type."""
    if owner_choices is None:
        # The contractor's people have no accounts here: its owner is a name.
        del form.owner
    else:
        form.owner.choices = owner_choices
        del form.owner_name
    return form


def _row_form(row: services.PlanRow, owner_choices, **kwargs) -> ResponseForm:
    """The response form of one row, its fields named after the question (many on a page)."""
    data = _item_data(row.item) or {"action": row.gap.action}
    form = _fit_owner(ResponseForm(prefix=row.key, data=data, **kwargs), owner_choices)
    form.concerned = ()
    return form


@bp.route("/<int:assessment_id>/action-plan/<question_key>/save", methods=["POST"])
@principal_required
def save_row(assessment_id: int, question_key: str):
    """Save one row of the plan page: for a script, the row again; otherwise back to the page."""
    assessment, row = _plan_row(assessment_id, question_key)
    form = _row_form(row, _owner_choices(assessment))
    # False: the form itself is refused (its errors are on its fields); None: saved.
    problem = _save(assessment, row, form) if form.validate_on_submit() else False
    if problem:
        concerned = tuple(f for f in problem.fields if f in form) or ("response",)
        form[concerned[0]].errors = [*form[concerned[0]].errors, str(problem)]
        form.concerned = concerned
    saved = problem is None
    if request.headers.get("X-Requested-With") == "fetch":
        return _row_fragment(assessment, question_key, form, saved)
    if not saved:
        return _plan_page(assessment, posted={row.key: form}, code=422)
    flash(_("Your response is saved."), "success")
    return _back_to(assessment, row)


def _row_fragment(assessment: Assessment, question_key: str, form: ResponseForm, saved: bool):
    """The row as it stands now, for the page's script to put in place of the old one."""
    row = services.row_of(assessment, question_key)
    return render_template(
        "action_plans/_row.html",
        assessment=assessment,
        row=row,
        row_form=form if not saved else _row_form(row, _choices_of(form), formdata=None),
        saved=saved,
        today=utc_today(),
        labels=status_labels(),
        may_edit=True,
        may_comment=_may_comment(assessment),
        comment_form=CommentForm(),
        done_form=DoneForm(),
    ), 200  # A refusal is in the row itself; an error status would read as a failure.


def _choices_of(form: ResponseForm):
    """The owner choices a row form was given (None for a contractor, who types a name)."""
    return form.owner.choices if "owner" in form else None


def _owner_choices(assessment: Assessment) -> list[SelectChoice] | None:
    """The members to choose an owner from; None for a contractor, who types a name."""
    if _answers_by_link(assessment):
        return None
    return [SelectChoice("", _("Choose an owner"))] + [
        SelectChoice(str(user.id), user.name) for user in services.possible_owners(assessment)
    ]


@bp.route("/<int:assessment_id>/action-plan/<question_key>", methods=["GET", "POST"])
@principal_required
def respond(assessment_id: int, question_key: str):
    assessment, row = _plan_row(assessment_id, question_key)
    form = _fit_owner(ResponseForm(data=_item_data(row.item)), _owner_choices(assessment))
    if row.item is None and request.method == "GET":
        form.action.data = row.gap.action
    problem = _save(assessment, row, form) if form.validate_on_submit() else False
    if problem is None:
        flash(_("Your response is saved."), "success")
        return _back_to(assessment, row)
    return render_template(
        "action_plans/respond.html",
        assessment=assessment,
        row=row,
        form=form,
        error=str(problem) if problem else None,
        first_theme=_first_theme(assessment),
    )


@bp.route("/<int:assessment_id>/action-plan/<question_key>/done", methods=["POST"])
@principal_required
def done(assessment_id: int, question_key: str):
    assessment, row = _plan_row(assessment_id, question_key)
    form = DoneForm()
    return _change_row(
        assessment,
        row,
        form,
        "note",
        lambda: services.mark_done(
            assessment, row, note=form.note.data or "", principal=current_principal()
        ),
        refused=_("The form has expired; try again."),
        saved=_("Marked as done."),
    )


@bp.route("/<int:assessment_id>/action-plan/<question_key>/comment", methods=["POST"])
@principal_required
def comment(assessment_id: int, question_key: str):
    """The buyer's comment on a contractor's response (recorded in the audit trail)."""
    assessment, row = _plan_row(assessment_id, question_key, allowed=_may_comment)
    form = CommentForm()
    return _change_row(
        assessment,
        row,
        form,
        "comment",
        lambda: services.comment(
            assessment, row, text=form.comment.data or "", principal=current_principal()
        ),
        refused=_("The comment could not be saved."),
        saved=_("Your comment is saved."),
    )


def _change_row(assessment, row, form, field: str, change, *, refused: str, saved: str):
    """Make a one-field change to a row (done, a comment) and go back to the row, saying how
    it went. A text that is too long, or an expired form, changes nothing."""
    if not form.validate_on_submit():
        flash(" ".join(form[field].errors) or refused, "danger")
        return _back_to(assessment, row)
    try:
        change()
    except services.InvalidResponse as problem:
        flash(str(problem), "danger")
    else:
        flash(saved, "success")
    return _back_to(assessment, row)


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


def _save(assessment: Assessment, row: services.PlanRow, form: ResponseForm):
    """Record a validated response form: None once saved, else the services.InvalidResponse
    that says what is missing."""
    by_link = "owner" not in form
    try:
        services.respond(
            assessment,
            row,
            response=ActionResponse(form.response.data),
            action=form.action.data or "",
            owner=None if by_link else services.chosen_owner(form.owner.data),
            due_on=form.due_on.data,
            decline_reason=form.decline_reason.data or "",
            principal=current_principal(),
            owner_name=(form.owner_name.data or "") if by_link else "",
        )
    except services.InvalidResponse as problem:
        return problem
    return None
