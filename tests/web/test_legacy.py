"""Addresses and files from before the glossary's renaming still work: old links redirect to
today's, and an assessment file exported under the former words imports."""

from __future__ import annotations

import io
import json

from sqlalchemy import select

import questionnaires as engine
from app.content import content
from app.extensions import db
from app.models import Assessment, AuditEntry
from tests import factories


def test_old_links_redirect_to_todays_addresses(client, admin_client):
    people = admin_client.get("/team/")
    assert people.status_code == 301 and people.headers["Location"].endswith("/colleagues/")
    moved = client.get("/workshop")
    assert moved.status_code == 301 and moved.headers["Location"].endswith("/workshops/team")
    asked = admin_client.post("/assessments/7/questions/fees-policy/ask", data={"x": "1"})
    assert asked.status_code == 308
    assert asked.headers["Location"].endswith("/assessments/7/questions/fees-policy/hand-over")
    reminded = admin_client.post("/contractors/7/reminder")
    assert reminded.status_code == 308
    assert reminded.headers["Location"].endswith("/contractors/7/reissue")
    old_file = client.get("/invitation/response.json")
    assert old_file.status_code == 301
    assert old_file.headers["Location"].endswith("/invitation/assessment.json")
    for name in ("workbook.xlsx", "form.pdf"):
        old = admin_client.get(f"/questionnaires/procurer/{name}")
        assert old.status_code == 301
        assert old.headers["Location"].endswith(f"/questionnaires/buyer/{name}")


def test_an_assessment_file_from_before_the_renaming_imports(app, admin, admin_client):
    buyer = content().get("buyer")
    assessment = factories.make_assessment(admin.organisation, admin, questionnaire="buyer")
    factories.answer_all(assessment, engine.sample_answers(buyer, seed=5), user=admin)
    document = json.loads(admin_client.get(f"/assessments/{assessment.id}/file.json").data)
    # The file as the former version wrote it.
    former = {**buyer.snapshot(), "key": "procurer", "audience": "procurer"}
    document["questionnaire"]["key"] = "procurer"
    document["questionnaire"]["content_hash"] = engine.hash_snapshot(former)
    document["review_marks"] = document.pop("review_notes", [])
    document["audit"].append({**document["audit"][0], "event": "question-handed"})

    response = admin_client.post(
        "/assessments/import",
        data={"file": (io.BytesIO(json.dumps(document).encode()), "old.json")},
    )

    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    imported = db.session.scalars(select(Assessment).order_by(Assessment.id.desc())).first()
    assert imported.id != assessment.id
    assert imported.questionnaire_version.content_hash == buyer.content_hash
    events = db.session.scalars(
        select(AuditEntry.event).where(AuditEntry.assessment_id == imported.id)
    ).all()
    assert "imported" in events
