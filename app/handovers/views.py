"""Pages to hand a question to a colleague, and the list of questions waiting for you."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from app.assessments.queries import questionnaire_of
from app.handovers import bp, services
from app.handovers.forms import HandOverForm
from app.scoping import current_principal, get_assessment, may_answer


@bp.route("/<int:assessment_id>/questions/<question_key>/hand-over", methods=["GET", "POST"])
@login_required
def hand_over(assessment_id: int, question_key: str):
    principal, assessment, question = _question_to_hand_over(assessment_id, question_key)
    colleagues = services.colleagues_for(assessment, current_user)
    form = HandOverForm()
    form.colleague.choices = [SelectChoice("", _("Choose a colleague"))] + [
        SelectChoice(str(user.id), user.name) for user in colleagues
    ]
    back = _question_page(assessment, question)
    if form.validate_on_submit():
        try:
            handed = services.hand_over_to_chosen(
                assessment,
                question.key,
                colleague_id=form.colleague.data,
                note=form.note.data or "",
                principal=principal,
            )
        except services.NotAColleague:
            form.colleague.errors = [*form.colleague.errors, _("Choose one of your colleagues.")]
        else:
            flash(
                _("%(name)s is asked to answer this question.", name=handed.colleague.name),
                "success",
            )
            return redirect(back)
    page = {"assessment": assessment, "question": question, "colleagues": colleagues}
    return render_template("handovers/hand_over.html", form=form, back=back, **page)


def _question_page(assessment, question) -> str:
    """The question on its theme's answering page."""
    return (
        url_for("assessments.theme", assessment_id=assessment.id, theme_key=question.theme)
        + f"#q-{question.key}"
    )


def _question_to_hand_over(assessment_id: int, question_key: str):
    """The principal, the draft assessment it may answer, and its question (404, 403)."""
    principal = current_principal()
    assessment = get_assessment(principal, assessment_id)
    questionnaire = questionnaire_of(assessment)
    if not questionnaire.has_question(question_key):
        abort(404)
    if not (may_answer(principal, assessment) and assessment.is_draft):
        abort(403)
    return principal, assessment, questionnaire.question(question_key)


@bp.route("/waiting-for-me")
@login_required
def waiting():
    rows = services.waiting_for(current_user)
    items = []
    for row in rows:
        questionnaire = questionnaire_of(row.assessment)
        if not questionnaire.has_question(row.request.question_key):
            continue
        items.append((row, questionnaire.question(row.request.question_key)))
    return render_template("handovers/waiting.html", items=items)
