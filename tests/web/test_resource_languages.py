"""Resources in the reader's language: the library, the report and the workshop's exports.

A Russian reader sees the Russian summary, is sent to the Russian edition where the catalogue
records one, and is told when a link opens in English; a report and a workshop's exports are
in the assessment's or the workshop's language whatever the reader's interface.
"""

from __future__ import annotations

import html

import questionnaires as engine
from app.content import content
from app.extensions import db
from tests import factories
from tests.reports.pdf_text import read_pdf

RUSSIAN = {"Accept-Language": "ru"}
ENGLISH = {"Accept-Language": "en"}
# The catalogue entry with a Russian edition at an address of its own (IOM's RUS PDF).
WITH_RUSSIAN = "iom-labour-exploitation-migrant-health-2015"


def _russian_summary(key: str) -> str:
    return content().catalogue_translations["ru"].texts[key]["summary"]


def test_the_library_in_russian_shows_russian_summaries_editions_and_link_languages(client):
    russian = content().catalogue.get(WITH_RUSSIAN).versions["ru"].url
    page = html.unescape(client.get("/library/", headers=RUSSIAN).get_data(as_text=True))
    assert _russian_summary("osce-model-guidelines")[:120] in page
    assert f'href="{russian}"' in page
    # An English-only resource's link says so, in Russian.
    assert "(язык: английский)" in page

    detail = html.unescape(
        client.get(f"/library/{WITH_RUSSIAN}", headers=RUSSIAN).get_data(as_text=True)
    )
    assert _russian_summary(WITH_RUSSIAN) in detail
    assert f'href="{russian}" hreflang="ru"' in detail
    english = client.get(f"/library/{WITH_RUSSIAN}", headers=ENGLISH).get_data(as_text=True)
    assert content().catalogue.get(WITH_RUSSIAN).summary.split(".")[0] in english
    assert "(in Russian)" in english  # the Russian edition, offered to the English reader too


def test_a_russian_assessments_report_lists_its_resources_in_russian(admin_client, admin):
    from app.assessments import reporting

    assessment = factories.make_assessment(
        admin.organisation, admin, questionnaire="workshop-exercise", subject="Подрядчик"
    )
    questionnaire = factories.content_questionnaire("workshop-exercise")
    factories.store_answers(
        assessment, engine.sample_answers(questionnaire, seed=3, level=0.4, red_flags=1)
    )
    assessment.language = "ru"
    db.session.commit()
    report = reporting.report_of(assessment)
    cited = report.resources[0]
    assert cited.summary == _russian_summary(cited.key)
    assert any(r.other_language == "en" for r in report.resources)

    response = admin_client.get(f"/assessments/{assessment.id}/report.pdf", headers=ENGLISH)
    pdf = read_pdf(response.data)
    assert pdf.contains(" ".join(cited.summary.split()[:8]))
    assert not pdf.contains(" ".join(content().catalogue.get(cited.key).summary.split()[:8]))
    assert pdf.contains("(язык: английский)")  # a link to an English-only edition says so


def test_a_german_workshops_exports_are_in_german_whatever_the_readers_language(
    app, admin, admin_client
):
    from app.workshops import exports, services

    questionnaire = factories.content_questionnaire("workshop-exercise")
    workshop = services.create_workshop(
        user=admin,
        title="Schulung",
        questionnaire=questionnaire,
        case_text=None,
        reveal_at_end=True,
        language="de",
    )
    body = admin_client.get(f"/workshops/{workshop.id}/answers.csv", headers=ENGLISH)
    header = body.get_data(as_text=True).lstrip("\ufeff").splitlines()[0]
    assert "Frage" in header and "Question" not in header
    german = content().in_language(questionnaire, "de").themes[0].title
    with app.test_request_context(headers=ENGLISH):
        group_report = exports.report_html(workshop)
    assert german in html.unescape(group_report)
    assert questionnaire.themes[0].title not in html.unescape(group_report)
