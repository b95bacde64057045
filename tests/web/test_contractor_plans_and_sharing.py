"""Contractor action plans (answered by the contractor, commented on by the buyer, required
before review) and shared responses: a contractor with an account answers once and reuses its
answers for another buyer, who learns nothing of the first."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.content import content
from app.extensions import db
from app.models import (
    ActionItem,
    Answer,
    Assessment,
    AssessmentKind,
    AuditEntry,
    ReviewNote,
    ReviewStatus,
)
from tests import factories


@pytest.fixture
def supplier(app):
    return content().get("supplier")


@pytest.fixture
def critical(supplier):
    return next(q for q in supplier.questions if q.critical is not None and q.show_if is None)


def _submitted_contractor(buyer, supplier, critical, *, plan_required=True, name="Acme Ltd"):
    contractor, token = factories.make_contractor(
        buyer.organisation, buyer, name, results_visible=True, plan_required=plan_required
    )
    assessment = contractor.assessment
    factories.answer(assessment, critical.key, factories.worst_option(supplier, critical))
    return contractor, token


def _as_contractor(app, token):
    client = app.test_client()
    assert client.get(f"/invitation/{token}").status_code == 302
    return client


def test_the_contractor_answers_its_plan_and_the_buyer_comments_and_requires_it(
    app, admin, admin_client, supplier, critical
):
    contractor, token = _submitted_contractor(admin, supplier, critical)
    assessment_id = contractor.assessment_id
    link = _as_contractor(app, token)
    assert link.post(f"/assessments/{assessment_id}/submit").status_code == 302
    plan_url = f"/assessments/{assessment_id}/action-plan"

    # The buyer may not close the review while a red flag has no accepted action.
    response = admin_client.post(
        f"/contractors/{assessment_id}/reviewed", data={"confirmed": "yes"}
    )
    assert response.status_code == 302
    page = admin_client.get(response.location).get_data(as_text=True)
    assert "1 red flag has no accepted action" in page
    assert db.session.get(type(contractor), contractor.id).review_status != ReviewStatus.REVIEWED

    # The contractor, through its link, sees the plan and names its own owner.
    page = link.get(plan_url).get_data(as_text=True)
    assert critical.critical.red_flag in page
    form = link.get(f"{plan_url}/{critical.key}").get_data(as_text=True)
    assert 'name="owner_name"' in form and 'name="owner"' not in form
    response = link.post(
        f"{plan_url}/{critical.key}",
        data={
            "response": "accepted",
            "action": "Refund the fees",
            "owner_name": "Maria, HR lead",
            "due_on": "2027-03-01",
        },
    )
    assert response.status_code == 302
    item = db.session.scalar(select(ActionItem))
    assert item.owner_name == "Maria, HR lead" and item.owner_id is None

    # The buyer comments; the contractor sees the comment; the contractor cannot comment.
    assert (
        admin_client.post(
            f"{plan_url}/{critical.key}/comment", data={"comment": "Send the refund records"}
        ).status_code
        == 302
    )
    assert "Send the refund records" in link.get(plan_url).get_data(as_text=True)
    assert link.post(f"{plan_url}/{critical.key}/comment", data={"comment": "x"}).status_code == 403
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.event == "action-plan-comment"))

    # Now the review can close.
    admin_client.post(f"/contractors/{assessment_id}/reviewed", data={"confirmed": "yes"})
    db.session.expire_all()
    assert db.session.get(type(contractor), contractor.id).review_status == ReviewStatus.REVIEWED


def test_the_buyer_does_not_answer_the_contractors_plan(
    app, admin, admin_client, supplier, critical
):
    contractor, token = _submitted_contractor(admin, supplier, critical)
    _as_contractor(app, token).post(f"/assessments/{contractor.assessment_id}/submit")
    url = f"/assessments/{contractor.assessment_id}/action-plan/{critical.key}"
    assert admin_client.get(url).status_code == 403


def test_a_plan_is_visible_only_to_its_organisation_and_the_buyer_that_asked(
    app, admin, supplier, critical, other_admin
):
    contractor, token = _submitted_contractor(admin, supplier, critical)
    _as_contractor(app, token).post(f"/assessments/{contractor.assessment_id}/submit")
    other = factories.signed_in(app.test_client(), other_admin)
    for tail in ("", ".csv", ".xlsx", f"/{critical.key}"):
        assert (
            other.get(f"/assessments/{contractor.assessment_id}/action-plan{tail}").status_code
            == 404
        )
    # A self-assessment's plan is the organisation's alone.
    own = factories.make_assessment(admin.organisation, admin)
    own_id = own.id
    factories.answer(own, critical.key, factories.worst_option(supplier, critical))
    factories.signed_in(app.test_client(), admin).post(f"/assessments/{own_id}/submit")
    assert other.get(f"/assessments/{own_id}/action-plan").status_code == 404
    # The contractor's link opens only its own assessment's plan.
    link = _as_contractor(app, token)
    assert link.get(f"/assessments/{own_id}/action-plan").status_code in (302, 404)


def _company(name):
    organisation = factories.make_organisation(name, kind="company")
    return factories.make_user(organisation, "admin", name=f"{name} admin")


def test_a_contractor_with_an_account_reuses_its_assessment_for_a_second_buyer(
    app, admin, supplier, critical
):
    first_buyer = admin
    second_org = factories.make_organisation("Second Buyer Council")
    second_buyer = factories.make_user(second_org, "admin", name="Bea Second")
    company = _company("Acme Ltd")

    # First invitation, answered while signed in: a copy stays with the company.
    first, first_token = factories.make_contractor(
        first_buyer.organisation, first_buyer, "Acme Ltd", reference="FIRST-BUYER-REF-1"
    )
    contractor_client = factories.signed_in(app.test_client(), company)
    assert contractor_client.get(f"/invitation/{first_token}").status_code == 302
    answers = {
        q.key: factories.best_option(supplier, q)
        for q in supplier.questions
        if q.type in ("maturity", "yes-partly-no", "choice") and q.show_if is None
    }
    first_id = first.assessment_id
    for key, value in answers.items():
        contractor_client.post(
            f"/assessments/{first_id}/answers/{key}",
            json={"value": value, "revision": 0, "comment": f"evidence for {key}"},
        )
    assert contractor_client.post(f"/assessments/{first_id}/submit").status_code == 302
    copy = db.session.scalar(
        select(Assessment).where(Assessment.organisation_id == company.organisation_id)
    )
    assert copy is not None and copy.kind == AssessmentKind.SELF and not copy.is_draft
    # The first buyer's review note on its own copy.
    marked = factories.signed_in(app.test_client(), first_buyer).post(
        f"/contractors/{first_id}/review/{critical.key}",
        data={
            f"{critical.key}-verdict": "clarify",
            f"{critical.key}-comment": "FIRST BUYER SECRET NOTE",
        },
    )
    assert marked.status_code == 302
    assert db.session.scalar(select(ReviewNote)).comment == "FIRST BUYER SECRET NOTE"

    # Second invitation: the company reuses its response, changes one answer and submits.
    second, second_token = factories.make_contractor(
        second_org, second_buyer, "Acme Ltd", reference="SECOND-REF"
    )
    assert contractor_client.get(f"/invitation/{second_token}").status_code == 302
    home = contractor_client.get("/invitation/").get_data(as_text=True)
    assert "Reuse an assessment you already submitted" in home
    response = contractor_client.post(f"/invitation/reuse/{copy.id}")
    assert response.status_code == 302
    second_id = second.assessment_id
    stored = {
        a.question_key: a
        for a in db.session.scalars(select(Answer).where(Answer.assessment_id == second_id))
    }
    assert {k: a.value for k, a in stored.items()} == answers
    assert stored[critical.key].comment == f"evidence for {critical.key}"
    assert contractor_client.post(f"/assessments/{second_id}/submit").status_code == 302

    # The second buyer sees its own copy, and nothing of the first buyer.
    second_client = factories.signed_in(app.test_client(), second_buyer)
    for url in (
        f"/assessments/{second_id}",
        f"/assessments/{second_id}/history",
        f"/assessments/{second_id}/results",
        f"/assessments/{second_id}/report",
        f"/contractors/{second_id}",
    ):
        page = second_client.get(url).get_data(as_text=True)
        assert "FIRST BUYER SECRET NOTE" not in page, url
        assert first_buyer.organisation.name not in page, url
        assert "FIRST-BUYER-REF-1" not in page, url
    assert second_client.get(f"/assessments/{first_id}").status_code == 404
    assert second_client.get(f"/assessments/{copy.id}").status_code == 404
    # And the first buyer sees nothing of the second.
    first_client = factories.signed_in(app.test_client(), first_buyer)
    assert first_client.get(f"/assessments/{second_id}").status_code == 404
    page = first_client.get(f"/assessments/{first_id}/history").get_data(as_text=True)
    assert second_org.name not in page and "SECOND-REF" not in page


def test_only_the_contractors_own_responses_can_be_reused(
    app, admin, supplier, critical, other_admin
):
    company = _company("Acme Ltd")
    contractor, token = factories.make_contractor(admin.organisation, admin, "Acme Ltd")
    # Another organisation's submitted assessment on the same questionnaire.
    foreign = factories.make_assessment(other_admin.organisation, other_admin)
    foreign_id = foreign.id
    factories.signed_in(app.test_client(), other_admin).post(f"/assessments/{foreign_id}/submit")
    client = factories.signed_in(app.test_client(), company)
    client.get(f"/invitation/{token}")
    assert client.post(f"/invitation/reuse/{foreign_id}").status_code == 404
    # The buyer's own assessments are not the contractor's to reuse either.
    assert client.post(f"/invitation/reuse/{contractor.assessment_id}").status_code == 404
    # Without an account there is nothing to reuse.
    anonymous = app.test_client()
    anonymous.get(f"/invitation/{token}")
    assert anonymous.post(f"/invitation/reuse/{foreign_id}").status_code == 302


def test_only_self_assessments_are_reopened_or_copied_for_next_year(
    app, admin, admin_client, supplier, critical
):
    contractor, token = _submitted_contractor(admin, supplier, critical, plan_required=False)
    _as_contractor(app, token).post(f"/assessments/{contractor.assessment_id}/submit")
    assert admin_client.post(f"/assessments/{contractor.assessment_id}/reopen").status_code == 409
    assert admin_client.post(f"/assessments/{contractor.assessment_id}/next").status_code == 409
    db.session.expire_all()
    assert not db.session.get(Assessment, contractor.assessment_id).is_draft
