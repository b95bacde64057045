"""Grants without an account (invitation links, workshop teams) go through the same scoping:
a grant opens exactly its assessment, for reading and answering, and nothing else."""

from __future__ import annotations

from flask import session

from app.scoping import Grant, register_principal_provider
from tests import factories


def _grant_from_session():
    granted = session.get("test_grant")
    return Grant(frozenset({granted}), "Contractor Ltd") if granted else None


def test_a_grant_opens_its_assessment_for_answering_and_nothing_else(app, client, admin):
    register_principal_provider(app, _grant_from_session)
    granted = factories.make_assessment(admin.organisation, admin, subject="Granted one")
    other = factories.make_assessment(admin.organisation, admin, subject="Not granted")
    supplier = factories.content_questionnaire("supplier")
    question = next(q for q in supplier.questions if q.type == "yes-partly-no")
    with client.session_transaction() as grant_session:
        grant_session["test_grant"] = granted.id

    page = client.get(f"/assessments/{granted.id}/themes/{question.theme}")
    assert page.status_code == 200 and b"Granted one" in page.data
    response = client.post(
        f"/assessments/{granted.id}/answers/{question.key}", json={"value": "yes", "revision": 0}
    )
    assert response.status_code == 200
    history = client.get(f"/assessments/{granted.id}/history").get_data(as_text=True)
    assert "Contractor Ltd" in history

    for path in ("", "/results", "/history", f"/themes/{question.theme}"):
        assert client.get(f"/assessments/{other.id}{path}").status_code == 404
    response = client.post(
        f"/assessments/{other.id}/answers/{question.key}", json={"value": "yes", "revision": 0}
    )
    assert response.status_code == 404
    # The organisation's own pages stay closed: a grant is not an account.
    assert client.get("/assessments/").status_code == 302
    assert client.get("/colleagues/").status_code in (302, 404)


def test_without_an_account_or_a_grant_the_assessment_pages_ask_to_sign_in(client, admin):
    assessment = factories.make_assessment(admin.organisation, admin)
    response = client.get(f"/assessments/{assessment.id}/results")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    response = client.post(f"/assessments/{assessment.id}/answers/x", json={"value": "yes"})
    assert response.status_code == 401
