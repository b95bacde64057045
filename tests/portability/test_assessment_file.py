"""The portable assessment file: export -> import on a fresh database gives the same scores,
gaps and report text; files for another questionnaire hash or that do not fit are refused
with a message and import nothing; a contractor takes its response from one invitation to
another."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from sqlalchemy import func, select

import questionnaires as engine
from app.assessments import reporting
from app.assessments.queries import engine_answers, scorecard_of, stored_answers
from app.content import content
from app.extensions import db
from app.models import ActionItem, ActionResponse, Assessment, AuditEntry
from app.portability import assessment_file
from app.report_jobs import layout
from reports import render
from tests import factories


def _upload(data: bytes, name: str = "assessment.json"):
    return (io.BytesIO(data), name)


def assessment_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Assessment))


def results_of(app, assessment):
    """Scores, gaps and the report's text of an assessment, as a reader sees them."""
    scorecard = scorecard_of(assessment)
    gaps = engine.find_gaps(scorecard, match=content().match)
    with app.test_request_context():
        report = reporting.report_of(assessment, today=date(2026, 6, 1))
        html = render.render_html(layout.environment(), report, for_pdf=True)
    return scorecard, gaps, html


@pytest.fixture
def submitted(app, admin, admin_client):
    supplier = content().get("supplier")
    assessment = factories.make_assessment(admin.organisation, admin, subject="Harbour mill")
    factories.answer_all(assessment, engine.sample_answers(supplier, seed=3), user=admin)
    na = next((q for q in supplier.questions if q.allow_na and q.show_if is None), None)
    if na is not None:
        factories.answer(assessment, na.key, na_reason="We employ no agency workers at all.")
    assert admin_client.post(f"/assessments/{assessment.id}/submit").status_code == 302
    gap = engine.find_gaps(scorecard_of(assessment), match=content().match)[0]
    db.session.add(
        ActionItem(
            assessment_id=assessment.id,
            question_key=gap.question_key,
            response=ActionResponse.ACCEPTED,
            action="Publish a no-fees policy to every labour provider.",
            owner_id=admin.id,
            due_on=date(2026, 12, 31),
        )
    )
    db.session.commit()
    return assessment


def test_export_then_import_on_a_fresh_database_gives_the_same_scores_gaps_and_report(
    app, admin, admin_client, submitted
):
    response = admin_client.get(f"/assessments/{submitted.id}/file.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_data()
    document = json.loads(data)
    assert document["questionnaire"]["content_hash"] == (
        submitted.questionnaire_version.content_hash
    )
    assert document["answers"] and all("na_reason" in a for a in document["answers"])
    assert document["action_plan"][0]["owner"] == admin.name
    before = results_of(app, submitted)
    organisation_name, admin_name = admin.organisation.name, admin.name

    db.session.remove()
    db.drop_all()
    db.create_all()
    content()._by_id.clear()
    organisation = factories.make_organisation(organisation_name)
    importer = factories.make_user(organisation, "admin", name=admin_name)
    client = factories.signed_in(app.test_client(), importer)

    response = client.post("/assessments/import", data={"file": _upload(data), "submitted": "y"})
    assert response.status_code == 302
    imported = db.session.scalars(select(Assessment)).one()
    assert not imported.is_draft
    after = results_of(app, imported)
    assert after[0] == before[0]
    assert after[1] == before[1]
    assert after[2] == before[2]
    events = db.session.scalars(
        select(AuditEntry.event).where(AuditEntry.assessment_id == imported.id)
    ).all()
    assert "imported" in events and "submitted" in events
    assert "Imported from an assessment file" in client.get(
        f"/assessments/{imported.id}/history"
    ).get_data(as_text=True)


def test_without_keep_submitted_the_answers_start_a_new_draft(app, admin_client, submitted):
    data = admin_client.get(f"/assessments/{submitted.id}/file.json").get_data()
    response = admin_client.post("/assessments/import", data={"file": _upload(data)})
    assert response.status_code == 302
    draft = db.session.scalars(select(Assessment).order_by(Assessment.id.desc())).first()
    assert draft.is_draft and draft.id != submitted.id
    assert engine_answers(draft) == engine_answers(submitted)


def _refused(client, data: bytes, *words) -> str:
    count = assessment_count()
    response = client.post("/assessments/import", data={"file": _upload(data)})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "data-import-form" in page
    for word in words:
        assert word in page
    assert assessment_count() == count
    return page


def test_a_file_for_another_questionnaire_hash_is_refused_naming_it(admin_client, submitted):
    document = json.loads(admin_client.get(f"/assessments/{submitted.id}/file.json").data)
    document["questionnaire"]["content_hash"] = "0" * 64
    title = document["questionnaire"]["title"]
    version = document["questionnaire"]["version"]
    page = _refused(admin_client, json.dumps(document).encode(), "content differs")
    assert f"version {version}" in page and title in page

    document["questionnaire"]["version"] = "1999.1"
    _refused(
        admin_client, json.dumps(document).encode(), "does not know the content of version 1999.1"
    )
    document["questionnaire"]["key"] = "no-such-questionnaire"
    _refused(admin_client, json.dumps(document).encode(), "does not have")


def test_files_that_do_not_fit_are_refused_with_a_message(admin_client, submitted):
    document = json.loads(admin_client.get(f"/assessments/{submitted.id}/file.json").data)
    _refused(admin_client, b"\xff\xfe not json", "not JSON")
    _refused(admin_client, b"[1, 2]", "not a ddcheck assessment file")
    _refused(admin_client, json.dumps(document).encode()[:200], "not JSON")
    wrong = json.loads(json.dumps(document))
    wrong["answers"][0]["value"] = {"a": 1}
    _refused(admin_client, json.dumps(wrong).encode(), "answers/0")
    wrong = json.loads(json.dumps(document))
    choice = next(a for a in wrong["answers"] if isinstance(a["value"], str))
    choice["value"] = "certainly-not-an-option"
    _refused(admin_client, json.dumps(wrong).encode(), choice["question_key"])
    wrong = json.loads(json.dumps(document))
    wrong["answers"].append({"question_key": "made-up-question", "value": "yes"})
    _refused(admin_client, json.dumps(wrong).encode(), "made-up-question")
    wrong = json.loads(json.dumps(document))
    wrong["audit"][0]["event"] = "made-up-event"
    _refused(admin_client, json.dumps(wrong).encode(), "made-up-event")
    response = admin_client.post("/assessments/import", data={})
    assert response.status_code == 400 and "Choose the assessment file" in response.text


def test_viewers_cannot_import_and_others_cannot_export(viewer_client, other_client, submitted):
    assert viewer_client.get("/assessments/import").status_code == 403
    assert other_client.get(f"/assessments/{submitted.id}/file.json").status_code == 404


def test_the_portable_file_carries_the_basis_of_an_answer_where_it_is_known(app, admin, submitted):
    rows = stored_answers(submitted)
    row = next(iter(rows.values()))
    row.basis = "records"  # set whether or not the column exists: export reads it if present
    document = assessment_file.export(submitted)
    assert any(a.get("basis") == "records" for a in document["answers"])
    assessment_file.parse(assessment_file.dumps(document).encode())


def test_a_contractor_takes_its_response_from_one_buyer_to_another(
    app, organisation, admin, client
):
    supplier = content().get("supplier")
    first, token = factories.make_contractor(organisation, admin, "Mill Co Ltd")
    other_buyer = factories.make_organisation("Port Authority")
    second, second_token = factories.make_contractor(
        other_buyer, factories.make_user(other_buyer), "Mill Co Ltd"
    )
    assert client.get(f"/invitation/{token}").status_code == 302
    factories.answer_all(first.assessment, engine.sample_answers(supplier, seed=5))
    factories.answer(first.assessment, supplier.questions[0].key, comment="Only my words")
    home = client.get("/invitation/").get_data(as_text=True)
    assert "/invitation/assessment.json" in home and "/invitation/upload" in home
    data = client.get("/invitation/assessment.json").get_data()
    document = json.loads(data)
    assert document["review_notes"] == [] and document["assessment"]["organisation"] is None

    other = app.test_client()
    assert other.get(f"/invitation/{second_token}").status_code == 302
    assert other.get("/invitation/upload").status_code == 200
    response = other.post("/invitation/upload", data={"file": _upload(data)})
    assert response.status_code == 302
    assert engine_answers(second.assessment) == engine_answers(first.assessment)

    document["questionnaire"]["content_hash"] = "f" * 64
    response = other.post(
        "/invitation/upload", data={"file": _upload(json.dumps(document).encode())}
    )
    assert response.status_code == 400
    assert "content differs" in response.text and "data-upload-form" in response.text


def test_a_file_over_the_size_limit_re_shows_the_page_with_the_reason(app, admin_client):
    big = b"{" + b" " * (app.config["MAX_CONTENT_LENGTH"] + 10) + b"}"
    response = admin_client.post("/assessments/import", data={"file": _upload(big)})
    assert response.status_code == 413
    assert "data-import-form" in response.text and "larger than this site accepts" in response.text
