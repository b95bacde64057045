"""The gap report of a contractor assessment shows where the buyer's review stands and each
answer's mark and note, in the preview page and in the PDF."""

from __future__ import annotations

import re

import questionnaires as engine
from app.assessments import lifecycle
from app.scoping import Principal
from tests import factories
from tests.reports.pdf_text import read_pdf


def _reviewed(admin_client, admin):
    contractor, _token = factories.make_contractor(admin.organisation, admin, "Kestrel Security")
    supplier = factories.content_questionnaire("supplier")
    factories.store_answers(contractor.assessment, engine.sample_answers(supplier, seed=11))
    lifecycle.submit(
        contractor.assessment, Principal(label="Kestrel Security"), require_evidence=False
    )
    accepted, unclear = [q for q in supplier.questions if not q.show_if][:2]
    for question, verdict, note in (
        (accepted, "accepted", ""),
        (unclear, "clarify", "Name the agencies you use."),
    ):
        response = admin_client.post(
            f"/contractors/{contractor.assessment_id}/review/{question.key}",
            data={f"{question.key}-verdict": verdict, f"{question.key}-comment": note},
        )
        assert response.status_code == 302
    return contractor


def test_the_pdf_shows_the_review_status_and_notes(admin_client, admin):
    contractor = _reviewed(admin_client, admin)
    url = f"/assessments/{contractor.assessment_id}/report.pdf"

    pdf = read_pdf(admin_client.get(url).data)
    assert pdf.contains("Under review")
    assert pdf.contains("1 answer accepted")
    assert pdf.contains("1 needs clarification")
    assert pdf.contains("Review: needs clarification. Note: Name the agencies you use.")
    assert pdf.contains("Review: accepted.")

    # Once reviewed, the report (its page; the PDF is drawn from the same model and template)
    # names the reviewer instead.
    admin_client.post(
        f"/contractors/{contractor.assessment_id}/reviewed", data={"confirmed": "yes"}
    )
    page = admin_client.get(f"/assessments/{contractor.assessment_id}/report").get_data(
        as_text=True
    )
    assert re.search(r"Reviewed by</th>\s*<td>" + re.escape(admin.name), page)
    assert "Under review" not in page


def test_the_preview_page_shows_a_returned_assessment(admin_client, admin):
    contractor = _reviewed(admin_client, admin)
    admin_client.post(f"/contractors/{contractor.assessment_id}/return", data={"confirmed": "yes"})
    page = admin_client.get(f"/assessments/{contractor.assessment_id}/report").get_data(
        as_text=True
    )
    assert "Returned to the contractor for clarification" in page
    assert "Name the agencies you use." in page


def test_a_self_assessment_report_has_no_review(admin_client, admin):
    assessment = factories.make_assessment(admin.organisation, admin)
    page = admin_client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True)
    assert "review-status" not in page and "Under review" not in page


def test_before_the_first_submission_there_is_no_review_to_show(admin_client, admin):
    contractor, _token = factories.make_contractor(admin.organisation, admin)
    page = admin_client.get(f"/assessments/{contractor.assessment_id}/report").get_data(
        as_text=True
    )
    assert "review-status" not in page
