"""The printable questionnaire: every question with boxes to tick, read back from the PDF; a
workshop hands out its own questionnaire and case."""

from __future__ import annotations

from app.content import content
from app.extensions import db
from app.models import Workshop
from tests.reports.pdf_text import read_pdf


def test_a_questionnaire_prints_every_theme_question_and_option(admin_client):
    exercise = content().get("workshop-exercise")
    response = admin_client.get(f"/questionnaires/{exercise.key}/form.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = read_pdf(response.data)
    assert pdf.contains(exercise.title) and pdf.contains(f"Version {exercise.version}")
    for question in exercise.questions:
        assert pdf.contains(question.text[:60]), question.key
    first_choice = next(q for q in exercise.questions if q.choices)
    assert pdf.contains(first_choice.choices[0].label)
    assert pdf.contains("Comment or evidence") and pdf.contains("Filled in by")
    if any(q.allow_na for q in exercise.questions):
        assert pdf.contains("Not applicable, because:")


def test_a_workshop_hands_out_its_questionnaire_with_its_case(app, admin, admin_client):
    from app.workshops import services

    created = admin_client.post(
        "/workshops/new",
        data={
            "title": "Spring class",
            "questionnaire": "workshop-exercise",
            "case_text": "A berry farm hires through an agency.",
        },
    )
    assert created.status_code == 302
    workshop = db.session.query(Workshop).one()
    board = admin_client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert f"/workshops/{workshop.id}/form.pdf" in board
    pdf = read_pdf(admin_client.get(f"/workshops/{workshop.id}/form.pdf").data)
    assert pdf.contains("A berry farm hires through an agency.")
    assert pdf.contains(services.questionnaire_of(workshop).title)


def test_a_printable_form_of_an_unknown_questionnaire_or_workshop_is_not_found(
    admin_client, other_client
):
    assert admin_client.get("/questionnaires/nope/form.pdf").status_code == 404
    assert other_client.get("/workshops/999/form.pdf").status_code == 404
