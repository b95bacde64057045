"""An organisation leaves: an admin downloads everything of it, and deletes it after typing its
name; what other organisations own stays with them; the log names no one."""

from __future__ import annotations

import csv
import io
import json
import logging
import zipfile

import pytest
from sqlalchemy import func, select

import questionnaires as engine
from app.content import content
from app.extensions import db
from app.models import (
    Answer,
    Assessment,
    AuditEntry,
    ContractorAssessment,
    ContractorInvitation,
    Organisation,
    User,
    Workshop,
    WorkshopTeam,
)
from app.portability import assessment_file
from app.workshops import participation
from app.workshops import services as workshops
from tests import factories


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def world(app, organisation, admin, admin_client):
    """A buyer (the fixture organisation) with a submitted self-assessment, a workshop with a
    team, and a contractor whose signed-in user answered the buyer's invitation and keeps a
    self-assessment of its own."""
    supplier = content().get("supplier")
    own = factories.make_assessment(organisation, admin, subject="Our buying")
    factories.answer_all(own, engine.sample_answers(supplier, seed=2), user=admin)
    assert admin_client.post(f"/assessments/{own.id}/submit").status_code == 302
    workshop = workshops.create_workshop(
        user=admin,
        title="Spring class",
        questionnaire=content().get("workshop-exercise"),
        case_text=None,
        reveal_at_end=True,
    )
    with factories.signed_in(admin_client, admin).application.test_request_context():
        participation.join(workshop.join_code, "Team A")
    contractor_org = factories.make_organisation("Mill Co Ltd", kind="company")
    contractor_user = factories.make_user(contractor_org, name="Carl Contractor")
    invited, _token = factories.make_contractor(organisation, admin, "Mill Co Ltd")
    factories.answer(
        invited.assessment,
        supplier.questions[0].key,
        supplier.questions[0].choices[0].value,
        user=contractor_user,
    )
    keep = factories.make_assessment(contractor_org, contractor_user, subject="Mill copy")
    factories.answer(
        keep,
        supplier.questions[0].key,
        supplier.questions[0].choices[0].value,
        user=contractor_user,
    )
    return {
        "own": own.id,
        "workshop": workshop.id,
        "invited": invited.assessment.id,
        "contractor_org": contractor_org.id,
        "contractor_user": contractor_user.id,
        "keep": keep.id,
    }


def test_an_admin_downloads_everything_of_the_organisation(admin, admin_client, world):
    response = admin_client.get("/organisation/export.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert {
        "organisation.json",
        "members.csv",
        "audit.csv",
        "workshops.json",
        "contractors.csv",
    } <= set(names)
    files = [n for n in names if n.startswith("assessments/")]
    assert len(files) == count(Assessment, Assessment.organisation_id == admin.organisation_id)
    for name in files:
        assessment_file.parse(archive.read(name))
    assert any(n.startswith("action-plans/") for n in names)
    members = list(csv.DictReader(io.StringIO(archive.read("members.csv").decode())))
    assert admin.email in {m["email"] for m in members}
    assert "password" not in archive.read("members.csv").decode().lower()
    assert "Mill Co Ltd" in archive.read("contractors.csv").decode()
    assert json.loads(archive.read("workshops.json"))[0]["teams"][0]["name"] == "Team A"
    assert "submitted" in archive.read("audit.csv").decode()


def test_only_admins_export_or_delete(assessor_client, world):
    assert assessor_client.get("/organisation/export.zip").status_code == 403
    assert assessor_client.get("/organisation/data").status_code == 403
    assert assessor_client.post("/organisation/delete", data={"name": "x"}).status_code == 403


def test_a_wrong_name_deletes_nothing(admin_client, world):
    page = admin_client.get("/organisation/data")
    assert page.status_code == 200 and "data-organisation-delete" in page.text
    before = count(Assessment)
    response = admin_client.post("/organisation/delete", data={"name": "Acme"})
    assert response.status_code == 400
    assert (
        "not the organisation&#39;s name" in response.text
        or "not the organisation's name" in response.text
    )
    assert count(Assessment) == before and count(Organisation) == 2


def test_deleting_a_buyer_removes_its_people_assessments_invitations_and_workshops(
    app, organisation, admin, admin_client, world, caplog
):
    organisation_id, name = organisation.id, organisation.name
    admin_email, admin_name = admin.email, admin.name
    with caplog.at_level(logging.INFO, logger="ddcheck.organisations"):
        response = admin_client.post("/organisation/delete", data={"name": f"  {name.upper()} "})
    assert response.status_code == 302
    assert db.session.get(Organisation, organisation_id) is None
    assert count(User, User.organisation_id == organisation_id) == 0
    assert count(Assessment, Assessment.organisation_id == organisation_id) == 0
    assert count(Workshop) == 0 and count(WorkshopTeam) == 0
    assert count(ContractorAssessment) == 0 and count(ContractorInvitation) == 0
    assert count(AuditEntry, AuditEntry.assessment_id == world["own"]) == 0
    # The contractor's own assessment is its own.
    assert db.session.get(Assessment, world["keep"]) is not None
    assert db.session.get(User, world["contractor_user"]) is not None
    logged = caplog.text
    assert f"Organisation {organisation_id} deleted" in logged
    assert name not in logged and admin_email not in logged and admin_name not in logged
    # The admin is signed out: the account is gone.
    assert admin_client.get("/assessments/").status_code == 302


def test_deleting_a_contractor_keeps_the_buyers_copy_of_its_response(app, runner, world):
    mill_user = db.session.get(User, world["contractor_user"])
    result = runner.invoke(
        args=["organisation", "delete", str(world["contractor_org"]), "--name", "Wrong Ltd"]
    )
    assert result.exit_code == 1 and "nothing was deleted" in result.output
    result = runner.invoke(
        args=["organisation", "delete", str(world["contractor_org"]), "--name", "Mill Co Ltd"]
    )
    assert result.exit_code == 0, result.output
    assert db.session.get(User, mill_user.id) is None
    assert db.session.get(Assessment, world["keep"]) is None
    buyers_copy = db.session.get(Assessment, world["invited"])
    assert buyers_copy is not None
    answer = db.session.scalars(select(Answer).where(Answer.assessment_id == buyers_copy.id)).one()
    assert answer.updated_by_id is None and answer.updated_by_label == "Carl Contractor"


def test_the_operator_exports_an_organisation_from_the_command_line(runner, world, tmp_path):
    target = tmp_path / "org.zip"
    result = runner.invoke(
        args=["organisation", "export", str(world["contractor_org"]), str(target)]
    )
    assert result.exit_code == 0, result.output
    names = zipfile.ZipFile(target).namelist()
    assert "members.csv" in names and len([n for n in names if n.startswith("assessments/")]) == 1
    assert runner.invoke(args=["organisation", "export", "999", str(target)]).exit_code == 1
