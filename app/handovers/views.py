"""Pages to hand a question to a colleague, and the list of questions waiting for you."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from app.assessments import services as assessments
from app.extensions import db
from app.handovers import bp, services
from app.handovers.forms import HandOverForm
from app.models import User
from app.scoping import current_principal, get_assessment, may_answer


@bp.route("/<int:assessment_id>/questions/<question_key>/hand-over", methods=["GET", "POST"])
@login_required
def hand_over(assessment_id: int, question_key: str):
    principal = current_principal()
    assessment = get_assessment(principal, assessment_id)
    questionnaire = assessments.questionnaire_of(assessment)
    if not questionnaire.has_question(question_key):
        abort(404)
    if not (may_answer(principal, assessment) and assessment.is_draft):
        abort(403)
    question = questionnaire.question(question_key)
    colleagues = services.colleagues_for(assessment, current_user)
    form = HandOverForm()
    form.colleague.choices = [SelectChoice("", _("Choose a colleague"))] + [
        SelectChoice(str(user.id), user.name) for user in colleagues
    ]
    back = (
        url_for("assessments.theme", assessment_id=assessment.id, theme_key=question.theme)
        + f"#q-{question.key}"
    )
    if form.validate_on_submit():
        colleague = (
            db.session.get(User, int(form.colleague.data))
            if form.colleague.data.isdigit()
            else None
        )
        try:
            if colleague is None:
                raise services.NotAColleague()
            services.hand_over(
                assessment,
                question.key,
                colleague=colleague,
                note=form.note.data or "",
                principal=principal,
            )
        except services.NotAColleague:
            form.colleague.errors = [*form.colleague.errors, _("Choose one of your colleagues.")]
        else:
            flash(_("%(name)s is asked to answer this question.", name=colleague.name), "success")
            return redirect(back)
    return render_template(
        "handovers/hand_over.html",
        assessment=assessment,
        question=question,
        form=form,
        colleagues=colleagues,
        back=back,
    )


@bp.route("/waiting-for-me")
@login_required
def waiting():
    rows = services.waiting_for(current_user)
    items = []
    for row in rows:
        questionnaire = assessments.questionnaire_of(row.assessment)
        if not questionnaire.has_question(row.request.question_key):
            continue
        items.append((row, questionnaire.question(row.request.question_key)))
    return render_template("handovers/waiting.html", items=items)
