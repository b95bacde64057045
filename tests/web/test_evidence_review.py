"""The buyer verifies the evidence behind a contractor's answers, the comparison counts the
answers whose evidence is checked, and the evidence leaves as one ZIP for the tender file."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    AssessmentStatus,
    AuditEntry,
    EvidenceCheck,
    EvidenceFile,
    EvidenceLink,
    ReviewNote,
    Verdict,
    utcnow,
)
from tests import factories

POLICY = b"%PDF-1.4\n% Recruitment fee policy: workers pay no fee, ever.\n%%EOF\n"
CONTRACT = b"%PDF-1.4\n% Agency contract with Bright Staffing.\n%%EOF\n"


@pytest.fixture
def app_settings(tmp_path):
    return {"EVIDENCE_DIR": str(tmp_path / "evidence")}


def attach(assessment, question_key, content, title, *, filename="document.pdf", carried=None):
    """A document in the assessment's library, attached to one answer (blob stored once)."""
    from app.evidence.storage import storage

    sha256 = hashlib.sha256(content).hexdigest()
    storage().save(sha256, [content])
    document = db.session.scalar(
        select(EvidenceFile).where(
            EvidenceFile.assessment_id == assessment.id, EvidenceFile.sha256 == sha256
        )
    )
    if document is None:
        document = EvidenceFile(
            assessment_id=assessment.id,
            sha256=sha256,
            title=title,
            filename=filename,
            media_type="application/pdf",
            size=len(content),
            carried_from_id=carried,
        )
        db.session.add(document)
        db.session.flush()
    db.session.add(
        EvidenceLink(
            evidence_id=document.id, assessment_id=assessment.id, question_key=question_key
        )
    )
    db.session.commit()
    return document


def mark_not_supporting(assessment, question_key, note):
    """The buyer's verdict written as the check service writes it (for pages to show)."""
    for link in _links(assessment.id, question_key):
        link.check = EvidenceCheck.NOT_SUPPORTING
        link.check_note = note
        link.checked_at = utcnow()
    db.session.commit()


def _submitted(contractor):
    assessment = contractor.assessment
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = utcnow()
    db.session.commit()


@pytest.fixture
def world(app, admin):
    """A submitted contractor assessment: two answers, each with a document."""
    supplier = factories.content_questionnaire("supplier")
    contractor, token = factories.make_contractor(admin.organisation, admin, "Northwind Garments")
    assessment = contractor.assessment
    first, second = [q for q in supplier.questions if q.type == "maturity"][:2]
    factories.answer(assessment, first.key, factories.best_option(supplier, first))
    factories.answer(assessment, second.key, factories.best_option(supplier, second))
    policy = attach(assessment, first.key, POLICY, "Recruitment fee policy", filename="policy.pdf")
    contract = attach(
        assessment, second.key, CONTRACT, "Agency contract", filename="contract.pdf", carried=None
    )
    _submitted(contractor)
    return {
        "contractor": contractor,
        "assessment_id": assessment.id,
        "token": token,
        "first": first.key,
        "second": second.key,
        "policy": policy.id,
        "contract": contract.id,
    }


def _links(assessment_id, key):
    return db.session.scalars(
        select(EvidenceLink).where(
            EvidenceLink.assessment_id == assessment_id, EvidenceLink.question_key == key
        )
    ).all()


def _check(client, world, key, check, note=""):
    return client.post(
        f"/contractors/{world['assessment_id']}/evidence-check/{key}",
        data={f"evidence-{key}-check": check, f"evidence-{key}-note": note},
    )


def test_the_review_lists_each_answers_evidence_with_a_download_link(admin_client, world):
    page = admin_client.get(f"/contractors/{world['assessment_id']}").get_data(as_text=True)
    assert "Recruitment fee policy" in page and "Agency contract" in page
    assert f"/assessments/{world['assessment_id']}/evidence/{world['policy']}" in page
    assert "PDF" in page and "not checked yet" in page
    assert "Evidence checked" in page and "Evidence does not support the answer" in page


def test_the_buyer_marks_an_answers_evidence_checked(admin_client, admin, world):
    response = _check(admin_client, world, world["first"], "checked")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#review-{world['first']}")
    (link,) = _links(world["assessment_id"], world["first"])
    assert link.check == EvidenceCheck.CHECKED and link.checked_by_id == admin.id
    assert link.checked_at is not None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.event == "evidence-checked"))
    assert entry.question_key == world["first"] and entry.new["check"] == "checked"
    page = admin_client.get(f"/contractors/{world['assessment_id']}").get_data(as_text=True)
    assert 'data-evidence-check="checked"' in page


def test_not_supporting_needs_a_note_and_loses_nothing_without_one(admin_client, world):
    response = _check(admin_client, world, world["second"], "not-supporting")
    assert response.status_code == 422
    assert "Say why the evidence does not support the answer" in response.get_data(as_text=True)
    assert all(link.check is None for link in _links(world["assessment_id"], world["second"]))
    assert db.session.scalar(select(ReviewNote)) is None


def test_not_supporting_asks_the_contractor_to_clarify_with_the_note(
    app, admin_client, client, world
):
    note = "The contract lets the agency charge a placement fee."
    assert _check(admin_client, world, world["second"], "not-supporting", note).status_code == 302
    (link,) = _links(world["assessment_id"], world["second"])
    assert link.check == EvidenceCheck.NOT_SUPPORTING and link.check_note == note
    mark = db.session.scalar(select(ReviewNote).where(ReviewNote.question_key == world["second"]))
    assert mark.verdict == Verdict.CLARIFY and mark.comment == note

    # Returned, the contractor sees the buyer's note beside the question.
    response = admin_client.post(
        f"/contractors/{world['assessment_id']}/return", data={"confirmed": "yes"}
    )
    assert response.status_code == 302
    home = client.get(f"/invitation/{world['token']}", follow_redirects=True)
    assert note in home.get_data(as_text=True)


def test_checks_refuse_what_cannot_be_checked(admin_client, viewer_client, other_client, world):
    supplier = factories.content_questionnaire("supplier")
    bare = next(q.key for q in supplier.questions if q.key not in (world["first"], world["second"]))
    assert _check(admin_client, world, bare, "checked").status_code == 404
    assert _check(admin_client, world, "no-such-question", "checked").status_code == 404
    assert _check(admin_client, world, world["first"], "bogus").status_code == 422
    assert _check(viewer_client, world, world["first"], "checked").status_code == 403
    assert _check(other_client, world, world["first"], "checked").status_code == 404
    assert all(link.check is None for link in _links(world["assessment_id"], world["first"]))


def test_the_comparison_shows_the_share_of_answers_with_checked_evidence(
    admin_client, admin, world
):
    other, _ = factories.make_contractor(admin.organisation, admin, "Southwind Ltd")
    supplier = factories.content_questionnaire("supplier")
    question = supplier.questions[0]
    factories.answer(other.assessment, world["first"], factories.best_option(supplier, question))
    _submitted(other)
    _check(admin_client, world, world["first"], "checked")
    ids = f"ids={world['assessment_id']}&ids={other.assessment_id}"

    page = admin_client.get(f"/contractors/compare?{ids}").get_data(as_text=True)
    assert "Answers with checked evidence" in page
    assert 'data-evidence-checked="0.5"' in page  # one of two answers
    assert 'data-evidence-checked="0.0"' in page  # nothing checked

    text = admin_client.get(f"/contractors/compare.csv?{ids}").get_data(as_text=True)
    rows = {row[0]: row for row in csv.reader(io.StringIO(text.lstrip("\ufeff")))}
    column = rows["Contractor"].index("Answers with checked evidence (%)")
    assert rows["Northwind Garments"][column] == "50"
    assert rows["Southwind Ltd"][column] == "0"


def test_the_gap_report_lists_the_evidence_and_its_check(app, admin_client, world):
    from app.assessments.reporting import report_of
    from app.models import Assessment

    _check(admin_client, world, world["first"], "checked")
    report = report_of(db.session.get(Assessment, world["assessment_id"]))
    assert [d.title for d in report.evidence] == ["Recruitment fee policy", "Agency contract"]
    attached = {q.key: q.evidence for t in report.themes for q in t.questions if q.evidence}
    assert attached[world["first"]][0].checked
    assert attached[world["second"]][0].check is None


def _zip(response):
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    data = response.get_data()
    assert int(response.headers["Content-Length"]) == len(data)
    return zipfile.ZipFile(io.BytesIO(data))


def test_the_buyer_downloads_every_document_and_a_manifest_as_one_zip(admin_client, world):
    archive = _zip(admin_client.get(f"/assessments/{world['assessment_id']}/evidence.zip"))
    assert archive.testzip() is None
    names = archive.namelist()
    assert names == ["manifest.csv", "documents/001-policy.pdf", "documents/002-contract.pdf"]
    assert archive.read("documents/001-policy.pdf") == POLICY
    manifest = list(csv.reader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    assert manifest[0] == ["File", "Title", "Date", "Type", "Size (bytes)", "SHA-256", "Questions"]
    assert manifest[1][1:6] == [
        "Recruitment fee policy",
        "",
        "application/pdf",
        str(len(POLICY)),
        hashlib.sha256(POLICY).hexdigest(),
    ]
    assert world["first"] in manifest[1][6]


def test_the_contractor_downloads_its_own_zip_by_its_link(client, world):
    # Once submitted, a link reads its assessment only where the buyer shares the results.
    world["contractor"].results_visible = True
    db.session.commit()
    assert client.get(f"/invitation/{world['token']}").status_code == 302
    archive = _zip(client.get(f"/assessments/{world['assessment_id']}/evidence.zip"))
    assert len(archive.namelist()) == 3


def test_nobody_else_gets_the_zip(app, admin, client, other_client, world):
    url = f"/assessments/{world['assessment_id']}/evidence.zip"
    # Another organisation.
    assert other_client.get(url).status_code == 404
    # Another contractor's link of the same buyer.
    _other, token = factories.make_contractor(admin.organisation, admin, "Other Contractor")
    assert client.get(f"/invitation/{token}").status_code == 302
    assert client.get(url).status_code == 404
    # A workshop team, for the assessment and for its own team's.
    from tests.web.test_workshops import join, open_workshop, team_named

    facilitator = factories.signed_in(app.test_client(), admin)
    workshop = open_workshop(facilitator)
    team = join(app, workshop.join_code, "Team Red")
    assert team.get(url).status_code == 404
    own = team_named("Team Red").assessment_id
    assert team.get(f"/assessments/{own}/evidence.zip").status_code == 404
    # Nobody at all is asked to sign in.
    response = app.test_client().get(url)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
