"""A contractor answers one buyer's invitation on one installation, downloads its assessment
from the link page, and answers a second buyer's invitation on another installation (a second
app on its own database) by uploading that file."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import questionnaires as engine
from app.assessments.queries import engine_answers
from app.extensions import db
from tests import factories
from tests.browser.conftest import served_questionnaire, serving


@pytest.fixture
def second_installation(tmp_path):
    """Another ddcheck, on its own SQLite database, served on its own port."""
    with serving(f"sqlite:///{tmp_path}/second.sqlite") as server:
        yield server


def test_an_assessment_file_from_one_buyer_answers_another_installations_invitation(
    live_server, second_installation, page, tmp_path
):
    supplier = served_questionnaire(live_server, "supplier")
    given = engine.sample_answers(supplier, seed=11)
    with live_server.app.app_context():
        buyer_org = factories.make_organisation("Harbour City Procurement")
        buyer = factories.make_user(buyer_org, "admin")
        first, first_token = factories.make_contractor(buyer_org, buyer, "Mill Co Ltd")
        factories.answer_all(first.assessment, given)
        first_answers = engine_answers(first.assessment)
        db.session.remove()
    with second_installation.app.app_context():
        other_org = factories.make_organisation("Port Authority Purchasing")
        other = factories.make_user(other_org, "admin")
        second, second_token = factories.make_contractor(other_org, other, "Mill Co Ltd")
        second_id = second.assessment_id
        db.session.remove()

    # On the first buyer's link: download the assessment.
    page.goto(f"{live_server.url}/invitation/{first_token}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="download your assessment as a file").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".json")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    # On the second installation's link: answer with the file.
    page.goto(f"{second_installation.url}/invitation/{second_token}")
    expect(page.get_by_role("heading", name="Questionnaire for Mill Co Ltd")).to_be_visible()
    page.get_by_role("link", name="Answer with an assessment file").click()
    page.get_by_label("File").set_input_files(str(saved))
    page.get_by_role("button", name="Fill in my answers").click()
    expect(page.get_by_text("answers were filled in from your file")).to_be_visible()

    with second_installation.app.app_context():
        from app.models import Assessment

        answered = db.session.get(Assessment, second_id)
        assert engine_answers(answered) == first_answers
        db.session.remove()
