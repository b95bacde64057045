"""Questionnaire versions: the app refuses to start on a questionnaire changed without a new
version number; a draft started on an older version moves to the current one (answers kept
by question key, new questions unanswered, the move in the audit trail); a submitted
assessment keeps its version and its report."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import inspect, select

import questionnaires as engine
from app.assessments import lifecycle
from app.content import content
from app.extensions import db
from app.models import Answer, Assessment, AuditEntry, QuestionnaireVersion
from app.scoping import Principal
from tests import factories
from tests.conftest import make_test_app


def _store(questionnaire: engine.Questionnaire, *, content_hash: str | None = None):
    row = QuestionnaireVersion(
        key=questionnaire.key,
        version=questionnaire.version,
        content_hash=content_hash or questionnaire.content_hash,
        title=questionnaire.title,
        audience=questionnaire.audience,
        data=questionnaire.snapshot(),
    )
    db.session.add(row)
    db.session.commit()
    return row


def test_the_app_refuses_to_start_when_a_stored_version_differs_naming_the_file(app, database_url):
    supplier = factories.content_questionnaire("supplier")
    _store(supplier, content_hash="0" * 64)

    with pytest.raises(SystemExit) as stopped:
        make_test_app(database_url)

    message = str(stopped.value)
    assert "supplier.yaml" in message
    assert f"'supplier' version {supplier.version}" in message
    assert "raise `version`" in message


def test_the_app_starts_when_the_stored_version_matches(app, database_url):
    _store(factories.content_questionnaire("supplier"))

    assert make_test_app(database_url) is not None


@pytest.fixture
def old_supplier(app):
    """The supplier questionnaire as it was in an earlier version: without the current last
    scored question, and with a question the current version no longer has."""
    current = factories.content_questionnaire("supplier")
    data = copy.deepcopy(current.snapshot())
    data["version"] = "0.9"
    scored = [q for q in data["questions"] if q["type"] != "text" and not q.get("show_if")]
    removed = scored[-1]["key"]
    data["questions"] = [q for q in data["questions"] if q["key"] != removed]
    retired = copy.deepcopy(next(q for q in data["questions"] if q["type"] == "yes-partly-no"))
    retired["key"] = "retired-question"
    retired["critical"] = None
    data["questions"].append(retired)
    old = engine.questionnaire_from_snapshot(data)
    return old, removed


@pytest.fixture
def old_draft(admin, old_supplier):
    old, _removed = old_supplier
    assessment = factories.make_assessment(admin.organisation, admin)
    assessment.questionnaire_version = _store(old)
    db.session.commit()
    content()._by_id.clear()
    kept = [q for q in old.questions if q.type == "yes-partly-no" and q.key != "retired-question"]
    for question in kept[:3]:
        factories.answer(assessment, question.key, "yes", user=admin)
    factories.answer(assessment, "retired-question", "yes", user=admin)
    return assessment, [q.key for q in kept[:3]]


def test_a_draft_on_an_older_version_moves_to_the_current_one(
    admin_client, old_draft, old_supplier
):
    assessment, kept = old_draft
    _old, removed = old_supplier
    current = factories.content_questionnaire("supplier")

    page = admin_client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert f"Move to version {current.version}" in page

    response = admin_client.post(f"/assessments/{assessment.id}/move")

    assert response.status_code == 302
    moved = db.session.get(Assessment, assessment.id)
    assert moved.questionnaire_version.content_hash == current.content_hash
    answers = {
        row.question_key: row.value
        for row in db.session.scalars(select(Answer).where(Answer.assessment_id == assessment.id))
    }
    assert answers == dict.fromkeys(kept, "yes")  # carried by key; the retired one is gone
    assert removed not in answers  # new in this version: unanswered
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.event == "moved"))
    assert entry.new["previous_version"] == "0.9"
    assert entry.new["questionnaire_version"] == current.version
    assert (entry.new["carried"], entry.new["dropped"]) == (3, ["retired-question"])
    history = admin_client.get(f"/assessments/{assessment.id}/history").get_data(as_text=True)
    assert "Moved to the current questionnaire version" in history
    overview = admin_client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "Move to version" not in overview


def test_a_submitted_assessment_keeps_its_version_and_its_report(admin_client, admin, old_draft):
    assessment, _kept = old_draft
    lifecycle.submit(assessment, Principal(user=admin), require_evidence=False)
    old_hash = assessment.questionnaire_version.content_hash

    page = admin_client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "Move to version" not in page
    admin_client.post(f"/assessments/{assessment.id}/move")

    assert db.session.get(Assessment, assessment.id).questionnaire_version.content_hash == old_hash
    assert admin_client.get(f"/assessments/{assessment.id}/results").status_code == 200
    report = admin_client.get(f"/assessments/{assessment.id}/report.pdf")
    assert report.status_code == 200 and report.mimetype == "application/pdf"


def test_the_stored_snapshot_is_read_only_when_the_version_is_not_loaded(admin):
    """Pages that load an assessment's version row do not read its snapshot (a whole
    questionnaire of JSON); it is read when the content does not know the version."""
    assessment_id = factories.make_assessment(admin.organisation, admin).id
    db.session.expire_all()
    row = db.session.get(Assessment, assessment_id).questionnaire_version
    assert "data" in inspect(row).unloaded
    assert content().of_version(row).key == "supplier"
    assert "data" in inspect(row).unloaded

    # The content is shared by the process's apps: its own copy is put back afterwards.
    loaded = content()._by_hash.pop(row.content_hash)
    try:
        assert content().of_version(row).content_hash == row.content_hash
        assert row.data["key"] == "supplier"
    finally:
        content()._by_hash[row.content_hash] = loaded
