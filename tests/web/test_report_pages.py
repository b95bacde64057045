"""The gap report from the web: preview page and PDF for drafts and submitted assessments,
who may fetch it, the cache, and the command line."""

from __future__ import annotations

import pytest

from app.assessments import reporting
from app.content import content
from tests import factories
from tests.reports.pdf_text import read_pdf


@pytest.fixture
def assessment(admin):
    return factories.draft_with_a_red_flag(admin, comment="Agencies charge a placement fee.")


@pytest.fixture
def short_assessment(admin):
    """The same draft on the shortest shipped questionnaire, for what does not depend on the
    report's length (its watermark and date, its cache, the command line): a third of the
    supplier report's render."""
    return factories.draft_with_a_red_flag(
        admin, "workshop-exercise", comment="Agencies charge a placement fee."
    )


@pytest.fixture
def renders(monkeypatch):
    """Counts how often a PDF is really rendered (not served from the cache)."""
    calls = []
    original = reporting.render.render_pdf

    def counting(environment, report):
        calls.append(report.subject)
        return original(environment, report)

    monkeypatch.setattr(reporting.render, "render_pdf", counting)
    return calls


def test_the_results_page_leads_to_the_report_page_and_the_pdf(admin_client, assessment):
    results = admin_client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert f"/assessments/{assessment.id}/report" in results
    assert f"/assessments/{assessment.id}/report.pdf" in results
    page = admin_client.get(f"/assessments/{assessment.id}/report")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Harbour mill" in html and "Draft" in html
    assert "Agencies charge a placement fee." in html
    assert "/static/report/report.css" in html
    assert admin_client.get("/static/report/report.css").status_code == 200


def test_a_draft_report_downloads_as_a_pdf_with_the_watermark(admin_client, short_assessment):
    assessment = short_assessment
    exercise = content().get("workshop-exercise")
    response = admin_client.get(f"/assessments/{assessment.id}/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "Harbour-mill" in response.headers["Content-Disposition"]
    assert "private" in response.headers["Cache-Control"]
    pdf = read_pdf(response.data)
    critical = next(q for q in exercise.questions if q.critical is not None)
    assert pdf.contains("Harbour mill")
    assert pdf.contains(critical.critical.red_flag)
    assert pdf.contains("Draft: the answers may still change")


def test_a_submitted_report_is_dated_on_submission_and_unwatermarked(
    admin_client, short_assessment
):
    assessment = short_assessment
    admin_client.post(f"/assessments/{assessment.id}/submit")
    response = admin_client.get(f"/assessments/{assessment.id}/report.pdf")
    assert response.status_code == 200
    pdf = read_pdf(response.data)
    assert not pdf.contains("Draft: the answers may still change")
    assert pdf.contains("Submitted")


def test_downloading_an_unchanged_assessment_again_does_not_render_again(
    admin_client, short_assessment, admin, renders
):
    assessment = short_assessment
    exercise = content().get("workshop-exercise")
    first = admin_client.get(f"/assessments/{assessment.id}/report.pdf")
    second = admin_client.get(f"/assessments/{assessment.id}/report.pdf")
    assert first.data == second.data
    assert len(renders) == 1
    # A changed answer is a different report.
    other = next(q for q in exercise.questions if q.type == "maturity" and q.show_if is None)
    factories.answer(assessment, other.key, factories.best_option(exercise, other), user=admin)
    third = admin_client.get(f"/assessments/{assessment.id}/report.pdf")
    assert len(renders) == 2
    assert third.data != first.data


def test_viewers_may_read_the_report_but_other_organisations_may_not(
    app, viewer_client, assessment, other_admin
):
    assert viewer_client.get(f"/assessments/{assessment.id}/report").status_code == 200
    other = factories.signed_in(app.test_client(), other_admin)
    assert other.get(f"/assessments/{assessment.id}/report").status_code == 404
    assert other.get(f"/assessments/{assessment.id}/report.pdf").status_code == 404
    anonymous = app.test_client()
    assert anonymous.get(f"/assessments/{assessment.id}/report.pdf").status_code == 302


def test_the_command_line_renders_an_assessment_and_a_sample(app, short_assessment, tmp_path):
    runner = app.test_cli_runner()
    target = tmp_path / "report.pdf"
    result = runner.invoke(args=["report", "render", str(short_assessment.id), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert read_pdf(target.read_bytes()).contains("Harbour mill")

    sample = tmp_path / "sample.pdf"
    result = runner.invoke(args=["report", "sample", "workshop-exercise", "-o", str(sample)])
    assert result.exit_code == 0, result.output
    pdf = read_pdf(sample.read_bytes())
    for theme in content().get("workshop-exercise").themes:
        assert pdf.contains(theme.title)


def test_the_command_line_explains_unknown_assessments_and_questionnaires(app, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["report", "render", "999", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1 and "There is no assessment 999" in result.output
    result = runner.invoke(args=["report", "sample", "nope", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1 and "There is no questionnaire 'nope'" in result.output
    assert "supplier" in result.output
