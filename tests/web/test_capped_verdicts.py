"""The red-flag cap on every surface: a supplier that answers the best option everywhere but
pays no attention to fees and identity documents, and a public buyer without clauses on
either, are held at Developing on the results page, the gap report (page and PDF), the
contractor comparison (page, CSV, XLSX, PDF), and the workshop board and group report, with
the same words: "Held at Developing: 2 red flags"."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

import questionnaires as engine
from app.assessments import lifecycle
from app.extensions import db
from app.models import Assessment, Workshop, WorkshopTeam
from app.scoping import Principal
from tests import factories
from tests.reports.pdf_text import read_pdf

HELD = "Held at Developing: 2 red flags"
SUPPLIER_WORST = ("fees-employer-pays", "identity-documents")
PROCURER_WORST = ("clause-no-fees", "clause-identity-documents")


def best_except(questionnaire: engine.Questionnaire, worst: tuple[str, ...]) -> dict:
    """The best answer to every question (on the strongest basis), the worst to `worst`."""
    answers = {}
    strongest = next(
        (level.value for level in reversed(questionnaire.basis) if not level.counts_one_lower),
        None,
    )
    for question in questionnaire.questions:
        options = [o for o in question.choices if o.value != engine.DONT_KNOW]
        if question.key in worst:
            value = min(options, key=lambda o: o.score).value
        elif question.type == "multiple":
            value = [o.value for o in options if o.score > 0 and not o.exclusive]
        elif question.type == "number":
            value = question.max if question.max is not None else 100
        elif question.type == "text":
            value = "Described in our procedures, with records kept."
        else:
            value = max(options, key=lambda o: o.score).value
        basis = strongest if question.ask_basis else None
        answers[question.key] = engine.Answer(value=value, basis=basis)
    return answers


@pytest.mark.parametrize(
    ("key", "worst"), [("supplier", SUPPLIER_WORST), ("buyer", PROCURER_WORST)]
)
def test_the_engine_holds_a_leading_average_with_two_red_flags_at_developing(app, key, worst):
    questionnaire = factories.content_questionnaire(key)

    card = engine.score(questionnaire, best_except(questionnaire, worst))

    assert card.overall_uncapped >= 75  # Leading, were it not for the red flags
    assert sorted(f.question_key for f in card.red_flags) == sorted(worst)
    assert (round(card.overall), card.band.label, card.capped) == (49, "Developing", True)


def _self_assessment(admin, key, worst) -> Assessment:
    assessment = factories.make_assessment(admin.organisation, admin, questionnaire=key)
    factories.store_answers(assessment, best_except(factories.content_questionnaire(key), worst))
    return assessment


@pytest.mark.parametrize(
    ("key", "worst"), [("supplier", SUPPLIER_WORST), ("buyer", PROCURER_WORST)]
)
def test_the_results_page_and_the_report_pdf_show_the_held_verdict(admin_client, admin, key, worst):
    assessment = _self_assessment(admin, key, worst)

    page = admin_client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    card = page.split("data-overall-score>", 1)[1][:600]
    assert card.startswith("49<")
    assert "Developing" in card and "Leading" not in card
    assert HELD in card

    html = admin_client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True)
    assert HELD in html

    pdf = read_pdf(admin_client.get(f"/assessments/{assessment.id}/report.pdf").data)
    cover = pdf.pages[0]
    assert "49" in cover and "Developing" in cover
    assert pdf.contains(HELD)
    assert "Leading" not in cover.replace("Leading:", "")
    summary = pdf.text.split("Summary", 1)[1][:1500]
    assert "49" in summary and HELD.replace(" ", "") in summary.replace(" ", "")
    # The uncapped figure appears only in the methodology section, labelled.
    assert pdf.contains("Uncapped overall score (before the red-flag cap, for reference only)")
    assert pdf.contains("Palermo Protocol, 2000, Article 3")
    assert pdf.contains("ILO Forced Labour Convention, 1930 (No. 29), Article 2")
    assert pdf.contains("Recruitment fees and related costs")


def _contractor(admin, name, key, worst):
    contractor, _token = factories.make_contractor(
        admin.organisation, admin, name, questionnaire=key
    )
    factories.store_answers(
        contractor.assessment, best_except(factories.content_questionnaire(key), worst)
    )
    lifecycle.submit(contractor.assessment, Principal(label=name), require_evidence=False)
    return contractor


def test_the_contractor_comparison_holds_the_verdict_on_the_page_and_every_download(
    admin_client, admin
):
    held = _contractor(admin, "Harbour Staffing", "supplier", SUPPLIER_WORST)
    clean = _contractor(admin, "Clean Cleaning", "supplier", ())
    query = f"ids={held.assessment_id}&ids={clean.assessment_id}"

    page = admin_client.get(f"/contractors/compare?{query}").get_data(as_text=True)
    row = page.split('data-contractor="Harbour Staffing"', 1)[1].split("</tr>", 1)[0]
    assert ">49<" in row and "Developing" in row and HELD in row
    other = page.split('data-contractor="Clean Cleaning"', 1)[1].split("</tr>", 1)[0]
    assert "Held at" not in other

    rows = list(
        csv.reader(
            io.StringIO(
                admin_client.get(f"/contractors/compare.csv?{query}").get_data(as_text=True)
            )
        )
    )
    header, by_name = rows[0], {r[0]: r for r in rows[1:]}
    assert by_name["Harbour Staffing"][header.index("Overall score")] == "49"
    assert by_name["Harbour Staffing"][header.index("Band")] == "Developing"
    assert by_name["Harbour Staffing"][header.index("Verdict held")] == HELD

    workbook = load_workbook(
        io.BytesIO(admin_client.get(f"/contractors/compare.xlsx?{query}").data)
    )
    sheet_rows = list(workbook.active.iter_rows(values_only=True))
    header, by_name = sheet_rows[0], {r[0]: r for r in sheet_rows[1:]}
    harbour = by_name["Harbour Staffing"]
    assert harbour[header.index("Overall score")] == 49
    assert harbour[header.index("Band")] == "Developing"
    assert harbour[header.index("Verdict held")] == HELD
    assert by_name["Clean Cleaning"][header.index("Band")] == "Leading"

    pdf = read_pdf(admin_client.get(f"/contractors/compare.pdf?{query}").data)
    assert pdf.contains(HELD)


def test_the_workshop_board_and_group_report_hold_a_teams_verdict(app, admin_client, admin):
    exercise = factories.content_questionnaire("workshop-exercise")
    critical = [q.key for q in exercise.questions if q.critical is not None][:2]
    response = admin_client.post(
        "/workshops/new",
        data={"title": "Buyers' training", "questionnaire": "workshop-exercise"},
    )
    assert response.status_code == 302
    workshop = db.session.scalar(select(Workshop))
    participant = app.test_client()
    participant.post("/join", data={"code": workshop.join_code, "team": "Team Blue"})
    team = db.session.scalar(select(WorkshopTeam))
    assessment = db.session.get(Assessment, team.assessment_id)
    answers = best_except(exercise, tuple(critical))
    factories.store_answers(assessment, answers)
    card = engine.score(exercise, answers)
    assert card.capped

    board = admin_client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert HELD in board
    assert (
        admin_client.get(f"/workshops/{workshop.id}/board.json").json["teams"][0]["verdict"] == HELD
    )

    admin_client.post(f"/workshops/{workshop.id}/close", data={"confirmed": "yes"})
    pdf = read_pdf(admin_client.get(f"/workshops/{workshop.id}/report.pdf").data)
    assert pdf.contains(HELD)
