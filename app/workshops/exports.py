"""Downloads of a workshop: a CSV of every team's answers and the group report PDF."""

from __future__ import annotations

from functools import partial

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from app import exports
from app.assessments.presenters import describe_state
from app.content import content
from app.extensions import db
from app.models import Workshop
from app.report_jobs import service as report_service
from app.report_jobs import tasks
from app.workshops import services
from app.workshops.board import Board, build_board
from reports.charts import Bar, bar_chart


def filename(workshop: Workshop, extension: str) -> str:
    slug = exports.safe_name(workshop.title, "workshop").lower()
    return f"{slug}-{workshop.join_code.lower()}.{extension}"


def answer_text(question, answer) -> str:
    """The answer in words: option labels, the number with its unit, or the text given."""
    if answer is None or answer.value is None:
        return ""
    return describe_state(question, {"value": answer.value})


def workshop_language(workshop: Workshop) -> str:
    """The workshop's own language, which its exports are written in."""
    code = workshop.language
    return code if code in current_app.config["LANGUAGES"] else "en"


def answers_csv_of(workshop: Workshop) -> str:
    """The answers CSV in the workshop's language, whatever the reader's interface."""
    language = workshop_language(workshop)
    with force_locale(language):
        return answers_csv(build_board(workshop, language=language))


def answers_csv(board: Board) -> str:
    """One row per answer given: team, theme, question key and text, answer, comment, N/A."""
    questionnaire = board.questionnaire
    header = [
        _("Team"),
        _("Theme"),
        _("Question key"),
        _("Question"),
        _("Answer"),
        _("Comment"),
        _("Reason not applicable"),
    ]
    rows = []
    for team in board.teams:
        answers = board.answers.get(team.id, {})
        for question in questionnaire.questions:
            answer = answers.get(question.key)
            if answer is None:
                continue
            rows.append(
                [
                    team.name,
                    questionnaire.theme(question.theme).title,
                    question.key,
                    question.text,
                    answer_text(question, answer),
                    answer.comment,
                    answer.na_reason,
                ]
            )
    return exports.to_csv(header, rows)


def report_html(workshop: Workshop) -> str:
    """The group report as HTML, for the PDF, in the workshop's language."""
    language = workshop_language(workshop)
    with force_locale(language):
        return _report_html(workshop, language)


def _report_html(workshop: Workshop, language: str) -> str:
    board = build_board(workshop, match=content().match, language=language)
    questionnaire = board.questionnaire
    chart = bar_chart(
        [Bar(theme.title, theme.average) for theme in board.themes],
        title=_("Group average by theme, 0 to 100"),
        no_score_text=_("no score"),
    )
    appendix = []
    # Each team's answers take a page or two: past a few dozen teams they would make a book
    # that nobody prints and that takes minutes to draw; the answers file holds them all.
    appendix_left_out = len(board.teams) > current_app.config["GROUP_REPORT_TEAM_PAGES_MAX"]
    for team in [] if appendix_left_out else board.teams:
        answers = board.answers.get(team.id, {})
        rows = []
        for question in questionnaire.questions:
            answer = answers.get(question.key)
            rows.append(
                {
                    "question": question,
                    "answer": answer_text(question, answer),
                    "na_reason": answer.na_reason if answer else None,
                    "comment": answer.comment if answer else None,
                }
            )
        appendix.append({"team": team, "rows": rows})
    return render_template(
        "workshops/report.html",
        workshop=workshop,
        board=board,
        questionnaire=questionnaire,
        case=services.case_of(workshop),
        chart_svg=chart,
        appendix=appendix,
        appendix_left_out=appendix_left_out,
        read_resource=partial(content().read, language=language),
    )


def prepare_group_report(workshop_id: int, language: str) -> None:
    """The job that queues the render of a workshop's group report as it stands now (if it is
    not stored yet); queued when the workshop closes, run by a worker."""
    with tasks.as_reader(language):
        workshop = db.session.get(Workshop, workshop_id)
        if workshop is None:
            return
        report_service.request_render(
            report_service.workshop_owner(workshop_id),
            report_service.group_report_recipe(report_html(workshop)),
        )


def prerender_group_report(workshop: Workshop, **_) -> None:
    """After a workshop closes: render its group report ahead of its download (app.signals)."""
    report_service.prerender(
        prepare_group_report, workshop.id, report_service.workshop_owner(workshop.id)
    )
