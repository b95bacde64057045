"""Views for workshops: parse, call a service, render.

Facilitator pages load a workshop through `services.get_workshop` (the user's organisation
only); participants reach nothing but their own team's page and, through the grant in
app.scoping, their own team's assessment.
"""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from app.access import answerer_required
from app.assessments.queries import scorecard_of
from app.content import content
from app.exports import attachment
from app.extensions import client_address, limiter
from app.forms import EmptyForm
from app.i18n import interface_language, language_choices
from app.report_jobs import responses as report_downloads
from app.report_jobs import service as report_service
from app.scoping import current_principal
from app.workshops import bp, exports, participation, services
from app.workshops.board import board_json, build_board, team_comparison
from app.workshops.forms import JoinForm, NewWorkshopForm
from app.workshops.qr import qr_svg


@bp.route("/workshops/")
@login_required
def index():
    return render_template(
        "workshops/index.html", workshops=services.workshops_of(current_user.organisation_id)
    )


@bp.route("/workshops/new", methods=["GET", "POST"])
@answerer_required
def new():
    form = NewWorkshopForm()
    choices = sorted(content().questionnaires.values(), key=lambda q: q.title)
    form.questionnaire.choices = [SelectChoice(q.key, q.title) for q in choices]
    form.language.choices = [SelectChoice(code, name) for code, name in language_choices()]
    if request.method == "GET":
        form.language.data = interface_language()
    if request.method == "GET" and content().get(services.DEFAULT_QUESTIONNAIRE):
        form.questionnaire.data = services.DEFAULT_QUESTIONNAIRE
    if form.validate_on_submit():
        workshop = services.create_workshop(
            user=current_user._get_current_object(),
            title=form.title.data,
            questionnaire=content().get(form.questionnaire.data),
            case_text=form.case_text.data,
            reveal_at_end=form.reveal_at_end.data,
            max_teams=form.max_teams.data,
            language=form.language.data or interface_language(),
        )
        flash(_("The workshop is open. Show the projector page so that teams can join."), "success")
        return redirect(url_for("workshops.board", workshop_id=workshop.id))
    return render_template("workshops/new.html", form=form)


@bp.route("/workshops/<int:workshop_id>")
@login_required
def board(workshop_id: int):
    workshop = services.get_workshop(current_user, workshop_id)
    return render_template("workshops/board.html", **_board_context(workshop, oob=False))


# htmx treats this status as "stop polling"; the closed board's part carries no trigger either.
STOP_POLLING = 286


@bp.route("/workshops/<int:workshop_id>/board/live")
def board_live(workshop_id: int):
    """The board's live part, which the open board's page fetches every few seconds (htmx).

    Once the workshop is closed it answers 286 with the final part, without the trigger, and
    the status and the side column as they now read: the page stops polling.
    """
    if not current_user.is_authenticated:
        # Not the sign-in redirect of login_required: its page would be swapped into the board.
        abort(401)
    workshop = services.get_workshop(current_user, workshop_id)
    response = make_response(
        render_template("workshops/_board_live.html", **_board_context(workshop, oob=True))
    )
    response.headers["Cache-Control"] = "no-store"
    if not workshop.is_open:
        response.status_code = STOP_POLLING
    return response


def _board_context(workshop, *, oob: bool) -> dict:
    """What the board's page and its live part show; `oob`: the live part also brings the
    parts outside it (htmx's out-of-band swap) once the workshop is closed."""
    return {
        "oob": oob,
        "workshop": workshop,
        "board": build_board(workshop),
        "case": services.case_of(workshop),
        "join_url": _join_url(workshop),
        "action_form": EmptyForm(),
        "can_run": current_user.can_answer,
    }


@bp.route("/workshops/<int:workshop_id>/board.json")
@login_required
def board_data(workshop_id: int):
    workshop = services.get_workshop(current_user, workshop_id)
    response = jsonify(board_json(build_board(workshop)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/workshops/<int:workshop_id>/projector")
@login_required
def projector(workshop_id: int):
    workshop = services.get_workshop(current_user, workshop_id)
    url = _join_url(workshop)
    return render_template(
        "workshops/projector.html",
        workshop=workshop,
        join_url=url,
        join_page=url_for("workshops.join", _external=True),
        qr=qr_svg(url, title=_("Join address: %(url)s", url=url)),
    )


@bp.route("/workshops/<int:workshop_id>/reveal", methods=["POST"])
@answerer_required
def reveal(workshop_id: int):
    return _set_revealed(workshop_id, True)


@bp.route("/workshops/<int:workshop_id>/hide", methods=["POST"])
@answerer_required
def hide(workshop_id: int):
    return _set_revealed(workshop_id, False)


def _set_revealed(workshop_id: int, revealed: bool):
    workshop = services.get_workshop(current_user, workshop_id)
    if EmptyForm().validate_on_submit():
        services.set_revealed(workshop, revealed)
        if revealed:
            flash(_("Teams now see their result next to the group average."), "success")
        else:
            flash(_("Teams no longer see the group results."), "info")
    return redirect(url_for("workshops.board", workshop_id=workshop.id))


@bp.route("/workshops/<int:workshop_id>/close", methods=["POST"])
@answerer_required
def close(workshop_id: int):
    workshop = services.get_workshop(current_user, workshop_id)
    if EmptyForm().validate_on_submit():
        if workshop.is_open and request.form.get("confirmed") != "yes":
            # Closing cannot be undone: say what it does and ask first.
            return render_template(
                "workshops/confirm_close.html",
                workshop=workshop,
                board=build_board(workshop),
                action_form=EmptyForm(),
            )
        if workshop.is_open:
            services.close(workshop, current_principal())
            flash(_("The workshop is closed. The teams' answers are frozen."), "success")
        else:
            flash(_("The workshop is closed already."), "info")
    return redirect(url_for("workshops.board", workshop_id=workshop.id))


@bp.route("/workshops/<int:workshop_id>/answers.csv")
@login_required
def answers_csv(workshop_id: int):
    workshop = services.get_workshop(current_user, workshop_id)
    return attachment(exports.answers_csv_of(workshop), exports.filename(workshop, "csv"))


@bp.route("/workshops/<int:workshop_id>/report.pdf", methods=["GET", "POST"])
@login_required
def report_pdf(workshop_id: int):
    """The group report as PDF, like the gap report: stored, rendered or queued once."""
    workshop = services.get_workshop(current_user, workshop_id)
    return report_downloads.download(
        report_service.workshop_owner(workshop.id),
        lambda: report_service.group_report_recipe(exports.report_html(workshop)),
        filename=exports.filename(workshop, "pdf"),
        title=_("The group report of %(title)s", title=workshop.title),
        back_url=url_for("workshops.board", workshop_id=workshop.id),
        back_label=_("Back to the board"),
    )


def _join_url(workshop) -> str:
    return url_for("workshops.join_with_code", code=workshop.join_code, _external=True)


# Participants: no account, a team in the signed session cookie.


def _join_failed(response) -> bool:
    return response.status_code != 302


def _join_code_key() -> str:
    code = request.form.get("code") or request.view_args.get("code") or ""
    return "workshop-join-code:" + participation.normalise_code(code)[:20]


def _join_address_key() -> str:
    return "workshop-join-address:" + client_address()


# Guessing codes: failed joins count per address; every join counts per code.
_join_limits = [
    limiter.limit(
        lambda: current_app.config["WORKSHOP_JOIN_LIMIT_PER_ADDRESS"],
        key_func=_join_address_key,
        methods=["POST"],
        deduct_when=_join_failed,
    ),
    limiter.limit(
        lambda: current_app.config["WORKSHOP_JOIN_LIMIT_PER_CODE"],
        key_func=_join_code_key,
        methods=["POST"],
    ),
]


@bp.route("/join", methods=["GET", "POST"])
@_join_limits[0]
@_join_limits[1]
def join():
    return _join_page(None)


@bp.route("/join/<code>", methods=["GET", "POST"])
@_join_limits[0]
@_join_limits[1]
def join_with_code(code: str):
    return _join_page(code)


def _join_page(code: str | None):
    team = participation.current_team()
    form = JoinForm()
    if request.method == "GET":
        wanted = participation.normalise_code(code)
        # Scanning the code again, or coming back later, continues as the same team.
        if team is not None and (code is None or wanted == team.workshop.join_code):
            return redirect(url_for("workshops.team"))
        form.code.data = wanted[:20] or None
        if code is not None:
            # A scanned code of a closed workshop says so at once, before a team name is typed.
            try:
                participation.workshop_to_join(wanted)
            except participation.JoinRefused as refusal:
                form.code.errors = [refusal.message]
    if form.validate_on_submit():
        try:
            team = participation.join(form.code.data, form.team.data)
        except participation.JoinRefused as refusal:
            form[refusal.field].errors = [*form[refusal.field].errors, refusal.message]
        else:
            participation.remember(team)
            return redirect(url_for("workshops.team"))
    return render_template("workshops/join.html", form=form, current=team)


@bp.route("/workshops/team")
def team():
    team = participation.current_team()
    if team is None:
        flash(_("Join a workshop with the code on the screen."), "info")
        return redirect(url_for("workshops.join"))
    workshop = team.workshop
    assessment = team.assessment
    questionnaire = services.questionnaire_of(workshop)
    # The whole group is scored only when the team may see it; otherwise its own answers.
    board = build_board(workshop) if workshop.revealed else None
    scorecard = scorecard_of(assessment)
    return render_template(
        "workshops/team.html",
        team=team,
        workshop=workshop,
        assessment=assessment,
        questionnaire=questionnaire,
        case=services.case_of(workshop),
        scorecard=scorecard,
        resume_theme_key=next(
            (t.key for t in questionnaire.themes if _incomplete(scorecard.themes[t.key])),
            questionnaire.themes[0].key,
        ),
        comparison=team_comparison(board, team.id) if board else None,
    )


def _incomplete(theme_result) -> bool:
    return theme_result.answered < theme_result.applicable
