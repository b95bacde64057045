"""Answering with the rules that keep a verdict honest: "don't know", how an answer is known,
questions made not applicable by an earlier answer, real N/A reasons, exclusive options, and the
N/A count beside completeness. Uses the small honest questionnaire of the engine tests."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Answer, AuditEntry
from tests import factories
from tests.engine.builders import honest_questionnaire, question, write_yaml

GATE_REASON = "No labour provider supplies workers to you."


@pytest.fixture(scope="module")
def honest_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("honest-content")
    raw = honest_questionnaire()
    # The shipped tags and catalogue are used; its questions use shipped tags only.
    question(raw, "grievance-channel")["allow_na"] = True
    write_yaml(folder / "small.yaml", raw)
    return str(folder)


@pytest.fixture
def app_settings(honest_folder):
    return {"QUESTIONNAIRES_DIR": honest_folder}


@pytest.fixture
def assessment(admin):
    return factories.make_assessment(admin.organisation, admin, questionnaire="small")


def save(client, assessment, key, value=None, revision=0, **extra):
    return client.post(
        f"/assessments/{assessment.id}/answers/{key}",
        json={"value": value, "revision": revision, **extra},
    )


def stored(assessment, key) -> Answer | None:
    return db.session.scalar(
        select(Answer).where(Answer.assessment_id == assessment.id, Answer.question_key == key)
    )


def theme_page(client, assessment, theme="recruitment-fees") -> str:
    response = client.get(f"/assessments/{assessment.id}/themes/{theme}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_page_offers_dont_know_and_asks_how_you_know(admin_client, assessment):
    page = theme_page(admin_client, assessment)

    assert "We don&#39;t know / no data" in page or "We don't know / no data" in page
    assert 'name="fees-who-pays__value" type="radio" value="dont-know"' in page
    assert "How do you know?" in page
    assert 'name="fees-policy__basis"' in page
    assert "Management statement" in page
    assert 'name="fees-who-pays__basis"' not in page  # it does not ask


def test_autosave_stores_the_basis_and_the_audit_trail_records_it(admin_client, assessment):
    response = save(admin_client, assessment, "fees-policy", "verified", basis="statement")

    assert response.status_code == 200
    assert stored(assessment, "fees-policy").basis == "statement"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.question_key == "fees-policy"))
    assert entry.new["basis"] == "statement"

    response = save(admin_client, assessment, "fees-policy", "verified", revision=1, basis="x")
    assert response.status_code == 422
    assert response.json["field"] == "basis"
    assert stored(assessment, "fees-policy").basis == "statement"


def test_the_plain_form_stores_the_basis(admin_client, assessment):
    response = admin_client.post(
        f"/assessments/{assessment.id}/themes/recruitment-fees",
        data={"fees-policy__value": "applied", "fees-policy__basis": "records", "go": "stay"},
    )

    assert response.status_code == 302
    assert (stored(assessment, "fees-policy").value, stored(assessment, "fees-policy").basis) == (
        "applied",
        "records",
    )
    page = theme_page(admin_client, assessment)
    assert re.search(r"<input checked[^>]*name=\"fees-policy__basis\"[^>]*value=\"records\"", page)


def test_an_empty_na_reason_is_refused_by_autosave_next_to_the_field(admin_client, assessment):
    response = save(admin_client, assessment, "grievance-channel", None, na=True, na_reason="n/a")

    assert response.status_code == 422
    assert response.json["field"] == "na_reason"
    assert "does not say why" in response.json["message"]
    assert stored(assessment, "grievance-channel") is None

    response = save(
        admin_client,
        assessment,
        "grievance-channel",
        None,
        na=True,
        na_reason="We have no workers on our own sites.",
    )
    assert response.status_code == 200
    assert response.json["progress"]["overall"]["na"] == 1


def test_an_empty_na_reason_is_refused_by_the_plain_form_next_to_the_field(
    admin_client, assessment
):
    response = admin_client.post(
        f"/assessments/{assessment.id}/themes/remedy",
        data={"grievance-channel__na": "y", "grievance-channel__na_reason": "-", "go": "stay"},
    )

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    error_at = page.index('data-error-for="na_reason"')
    assert "does not say why" in page[error_at : error_at + 300]
    assert stored(assessment, "grievance-channel") is None


def test_a_gating_answer_shows_the_gated_question_as_not_applicable(admin_client, assessment):
    response = save(admin_client, assessment, "uses-providers", "no")

    assert response.json["gated"]["provider-fees"] == GATE_REASON
    assert response.json["progress"]["overall"]["na"] == 1
    page = theme_page(admin_client, assessment)
    assert f"Not applicable: {GATE_REASON}" in page
    assert "1 not applicable" in page

    response = save(admin_client, assessment, "uses-providers", "yes", revision=1)
    assert response.json["gated"]["provider-fees"] is None


def test_an_exclusive_option_ticked_with_another_is_refused(admin_client, assessment):
    save(admin_client, assessment, "uses-agencies", "yes")

    response = save(admin_client, assessment, "agency-checks", ["none", "licence"])

    assert response.status_code == 422
    assert "cannot be ticked together" in response.json["message"]
    assert stored(assessment, "agency-checks") is None
