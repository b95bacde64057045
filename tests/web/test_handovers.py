"""Handing a question to a colleague: the request, the colleague's list, who answered."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.content import content
from app.extensions import db
from app.models import AuditEntry, Handover
from tests import factories


@pytest.fixture
def supplier(app):
    return content().get("supplier")


@pytest.fixture
def question(supplier):
    return next(q for q in supplier.questions if q.type == "maturity" and q.show_if is None)


@pytest.fixture
def assessment(admin):
    return factories.make_assessment(admin.organisation, admin, subject="Harbour mill")


def ask_url(assessment, question):
    return f"/assessments/{assessment.id}/questions/{question.key}/hand-over"


def test_an_assessor_hands_a_question_to_a_colleague_who_sees_it_waiting(
    app, admin_client, assessment, question, assessor, supplier
):
    theme = admin_client.get(f"/assessments/{assessment.id}/themes/{question.theme}")
    assert ask_url(assessment, question) in theme.get_data(as_text=True)
    page = admin_client.get(ask_url(assessment, question)).get_data(as_text=True)
    assert assessor.name in page
    response = admin_client.post(
        ask_url(assessment, question),
        data={"colleague": str(assessor.id), "note": "Payroll records are with you"},
    )
    assert response.status_code == 302
    assert response.location.endswith(f"#q-{question.key}")
    theme = admin_client.get(f"/assessments/{assessment.id}/themes/{question.theme}")
    assert f"Asked of {assessor.name}" in theme.get_data(as_text=True)

    colleague = factories.signed_in(app.test_client(), assessor)
    dashboard = colleague.get("/dashboard").get_data(as_text=True)
    assert "A colleague asked you to answer 1 question." in dashboard
    waiting = colleague.get("/assessments/waiting-for-me").get_data(as_text=True)
    assert question.text in waiting and "Payroll records are with you" in waiting

    # The colleague answers: the question leaves the list, and the history says who answered.
    value = factories.best_option(supplier, question)
    saved = colleague.post(
        f"/assessments/{assessment.id}/answers/{question.key}", json={"value": value, "revision": 0}
    )
    assert saved.status_code == 200
    waiting = colleague.get("/assessments/waiting-for-me").get_data(as_text=True)
    assert question.text not in waiting
    history = admin_client.get(f"/assessments/{assessment.id}/history").get_data(as_text=True)
    assert "Question handed to a colleague" in history
    answered = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.event == "answer", AuditEntry.question_key == question.key
        )
    )
    assert answered.actor_id == assessor.id


def test_only_colleagues_who_can_answer_may_be_asked(
    app, admin_client, assessment, question, assessor, viewer, other_admin
):
    for person in (viewer, other_admin):
        response = admin_client.post(
            ask_url(assessment, question), data={"colleague": str(person.id)}
        )
        assert response.status_code == 200
        assert "Not a valid choice" in response.get_data(as_text=True)
    assert (
        admin_client.post(ask_url(assessment, question), data={"colleague": "x"}).status_code == 200
    )
    assert db.session.scalar(select(Handover)) is None


def test_viewers_and_other_organisations_cannot_hand_questions_over(
    app, viewer_client, assessment, question, assessor, other_admin
):
    assert viewer_client.get(ask_url(assessment, question)).status_code == 403
    other = factories.signed_in(app.test_client(), other_admin)
    assert other.get(ask_url(assessment, question)).status_code == 404
    assert (
        viewer_client.get(f"/assessments/{assessment.id}/questions/nope/hand-over").status_code
        == 404
    )


def test_a_submitted_assessment_asks_nobody(admin_client, assessment, question, assessor):
    admin_client.post(f"/assessments/{assessment.id}/submit")
    response = admin_client.post(
        ask_url(assessment, question), data={"colleague": str(assessor.id)}
    )
    assert response.status_code == 403
