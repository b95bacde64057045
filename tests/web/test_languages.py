"""The interface in English, Russian, French and German; an assessment in its own language.

The catalogues are checked whole (nothing untranslated, fuzzy or with a placeholder lost); the
switch in the menu is remembered in the account or a cookie; an assessment's report and PDF are
in the assessment's language whatever the reader's; the buyer picks the invitation's language.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import questionnaires as engine
from app.extensions import db
from app.models import Assessment, ContractorInvitation
from tests import factories
from tests.reports.pdf_text import read_pdf

TRANSLATIONS = Path(__file__).resolve().parents[2] / "app" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


@pytest.mark.parametrize("language", ["ru", "fr", "de"])
def test_every_catalogue_entry_is_translated_with_its_placeholders(language):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalogue = read_po(handle, locale=language)
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        template = read_po(handle)
    wanted = {m.id for m in template if m.id}
    have = {m.id for m in catalogue if m.id}
    assert wanted <= have, f"not in the {language} catalogue: {sorted(wanted - have)[:5]}"
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(("fuzzy", message.id))
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(("untranslated", message.id))
            continue
        for string in strings:
            if set(PLACEHOLDER.findall(string)) != set(PLACEHOLDER.findall(ids[-1])):
                problems.append(("placeholders", message.id, string))
    assert problems == []


@pytest.mark.parametrize("language", ["ru", "fr", "de"])
def test_the_catalogues_use_the_glossarys_terms_not_its_variants(language):
    from questionnaires.translations import load_glossary

    _language, terms = load_glossary(engine.SHIPPED_DIR / f"glossary.{language}.yaml")
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalogue = read_po(handle, locale=language)
    found = []
    for message in catalogue:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for term in terms:
            for string in strings:
                if any(pattern.search(string or "") for pattern in term.patterns):
                    found.append((term.use, string))
    assert found == []


def test_the_menu_switch_is_kept_in_a_cookie_for_a_visitor(client):
    response = client.post("/language", data={"language": "ru", "next": "/sign-in"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/sign-in")
    page = client.get("/sign-in", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ru">' in page
    assert "Войти" in page


def test_the_menu_switch_is_kept_in_the_account(app, admin_client, admin):
    admin_client.post("/language", data={"language": "de", "next": "/dashboard"})
    assert db.session.get(type(admin), admin.id).locale == "de"
    # Another browser of the same person, without the cookie, follows the account.
    other = factories.signed_in(app.test_client(), admin)
    page = other.get("/dashboard", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="de">' in page
    assert "Übersicht" in page


@pytest.mark.parametrize(
    "data", [{"language": "xx"}, {"language": "fr", "next": "https://evil.example/"}, {}]
)
def test_a_strange_switch_goes_home_without_an_error(client, data):
    response = client.post("/language", data=data)
    assert response.status_code == 303
    assert response.headers["Location"] in ("/", "http://localhost/")


def _russian_assessment(admin):
    assessment = factories.make_assessment(
        admin.organisation, admin, questionnaire="workshop-exercise", subject="Подрядчик"
    )
    questionnaire = factories.content_questionnaire("workshop-exercise")
    factories.store_answers(
        assessment, engine.sample_answers(questionnaire, seed=3, level=0.4, red_flags=1)
    )
    assessment.language = "ru"
    db.session.commit()
    return assessment


def _font_names(reader) -> set[str]:
    """The embedded fonts of a PDF (a font without its file would be left to the viewer)."""
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get(
                "/FontDescriptor"
            )
            descriptor = descriptor.get_object() if descriptor else {}
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
            names.add(str(font["/BaseFont"]))
    return names


def test_the_report_is_in_the_assessments_language_whatever_the_reader_reads(admin_client, admin):
    assessment = _russian_assessment(admin)
    english = {"Accept-Language": "en"}
    page = admin_client.get(f"/assessments/{assessment.id}/report", headers=english).get_data(
        as_text=True
    )
    assert '<html lang="ru">' in page
    assert "Политика и требования" in page  # the theme title of workshop-exercise.ru.yaml
    assert "Policy and requirements" not in page
    assert "Тревожные сигналы" in page  # the report's own words, from the catalogue
    assert "(язык: ru)" in page  # the report states its language and questionnaire version
    response = admin_client.get(f"/assessments/{assessment.id}/report.pdf", headers=english)
    pdf = read_pdf(response.data)
    assert pdf.contains("Политика и требования")
    assert not pdf.contains("Policy and requirements")
    assert str(pdf.reader.trailer["/Root"].get("/Lang")) == "ru"
    assert _font_names(pdf.reader) and all(
        "DejaVu-Sans" in name for name in _font_names(pdf.reader)
    )
    assert (1, "Выводы по темам") in pdf.bookmarks
    assert (2, "1. Политика и требования") in pdf.bookmarks
    # The reader's own pages stay in the reader's language.
    overview = admin_client.get(f"/assessments/{assessment.id}", headers=english)
    assert '<html lang="en">' in overview.get_data(as_text=True)


def test_the_language_of_an_assessment_is_chosen_on_its_overview(admin_client, admin):
    assessment = factories.make_assessment(admin.organisation, admin, subject="Own operations")
    assert assessment.language == "en"
    response = admin_client.post(f"/assessments/{assessment.id}/language", data={"language": "fr"})
    assert response.status_code == 302
    assert db.session.get(Assessment, assessment.id).language == "fr"
    admin_client.post(f"/assessments/{assessment.id}/language", data={"language": "klingon"})
    assert db.session.get(Assessment, assessment.id).language == "fr"


def test_an_assessment_starts_in_the_interface_language(app, admin_client, admin):
    admin_client.post("/language", data={"language": "de"})
    questionnaire = factories.content_questionnaire("supplier")
    admin_client.post(
        "/assessments/new",
        data={"questionnaire": questionnaire.key, "subject": "Werk Nord", "period": ""},
    )
    started = db.session.query(Assessment).filter_by(subject="Werk Nord").one()
    assert started.language == "de"


def test_the_buyer_chooses_the_invitation_language(app, admin_client, admin):
    response = admin_client.post(
        "/contractors/new",
        data={
            "contractor_name": "Bau GmbH",
            "contact_email": "info@bau.example",
            "questionnaire": "supplier",
            "language": "de",
        },
    )
    assert response.status_code in (200, 302)
    invitation = db.session.query(ContractorInvitation).one()
    assert invitation.language == "de"
    assert invitation.contractor.assessment.language == "de"


def test_a_german_and_an_english_contractor_compare_side_by_side(admin_client, admin):
    supplier = factories.content_questionnaire("supplier")
    same = engine.sample_answers(supplier, seed=5, level=0.6, red_flags=0, unanswered=0)
    rows = []
    for name, language in (("Deutsche Lieferung", "de"), ("English Supplies", "en")):
        contractor, _token = factories.make_contractor(admin.organisation, admin, name)
        contractor.assessment.language = language
        db.session.commit()
        factories.store_answers(contractor.assessment, same)
        rows.append(contractor)
    query = "&".join(f"ids={c.assessment_id}" for c in rows)
    page = admin_client.get("/contractors/compare?" + query).get_data(as_text=True)
    assert "Deutsche Lieferung" in page and "English Supplies" in page
    from app.assessments.queries import scorecard_of

    first, second = (scorecard_of(c.assessment) for c in rows)
    assert first.overall == second.overall  # same answers by key, same scores


def test_the_comparison_speaks_the_readers_language_whatever_the_contractors(admin_client, admin):
    from app.assessments import lifecycle
    from app.scoping import Principal

    supplier = factories.content_questionnaire("supplier")
    answers = engine.sample_answers(supplier, seed=7, level=0.5, red_flags=0, unanswered=0)
    ids = []
    for name, language in (("Deutsche Lieferung", "de"), ("English Supplies", "en")):
        contractor, _token = factories.make_contractor(admin.organisation, admin, name)
        contractor.assessment.language = language
        db.session.commit()
        factories.store_answers(contractor.assessment, answers)
        lifecycle.submit(contractor.assessment, Principal(label=name), require_evidence=False)
        ids.append(contractor.assessment_id)
    admin_client.post("/language", data={"language": "fr"})
    page = admin_client.get("/contractors/compare?" + "&".join(f"ids={i}" for i in ids)).get_data(
        as_text=True
    )
    # The titles of supplier.fr.yaml, not those of the original.
    assert "Politique et gouvernance" in page
    assert "Auto-évaluation de la diligence raisonnable du fournisseur" in page
    assert "Policy and governance" not in page
    assert "Supplier due diligence self-assessment" not in page


def test_dates_and_numbers_follow_the_locale(app):
    from flask_babel import force_locale

    from app.formatting import date_medium, percent

    with app.test_request_context():
        with force_locale("de"):
            assert date_medium(date(2026, 3, 12)) == "12.03.2026"
            assert percent(0.5) == "50\xa0%"  # German puts a space before the sign
        with force_locale("en"):
            assert percent(0.5) == "50%"
        with force_locale("ru"):
            assert "мар" in date_medium(date(2026, 3, 12))
        with force_locale("en"):
            assert date_medium(date(2026, 3, 12)) == "Mar 12, 2026"


def test_form_errors_of_wtforms_itself_are_translated(client):
    page = client.post(
        "/sign-in", data={"email": "", "password": ""}, headers={"Accept-Language": "fr"}
    ).get_data(as_text=True)
    assert "Ce champ est requis." in page


def test_the_action_plan_export_is_in_the_assessments_language(app, admin_client, admin):
    from flask import url_for

    from app.assessments import lifecycle
    from app.scoping import Principal

    assessment = _russian_assessment(admin)
    lifecycle.submit(assessment, Principal(user=admin), require_evidence=False)
    with app.test_request_context():
        address = url_for("action_plans.export_csv", assessment_id=assessment.id)
    body = admin_client.get(address, headers={"Accept-Language": "en"}).get_data(as_text=True)
    header = body.splitlines()[0]
    assert "Рекомендуемое действие" in header and "Recommended action" not in header
    assert "Политика и требования" in body  # theme titles of the translation


def test_a_workshop_team_sees_the_workshops_language(app, admin):
    from app.workshops import services

    workshop = services.create_workshop(
        user=admin,
        title="Семинар",
        questionnaire=factories.content_questionnaire("workshop-exercise"),
        case_text=None,
        reveal_at_end=True,
        language="ru",
    )
    team = app.test_client()
    team.post("/join", data={"code": workshop.join_code, "team": "Синие"})
    page = team.get("/workshop/team", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ru">' in page
    from app.models import WorkshopTeam

    joined = db.session.query(WorkshopTeam).filter_by(workshop_id=workshop.id).one()
    assert joined.assessment.language == "ru"
    questions = team.get(f"/assessments/{joined.assessment_id}/themes/policy").get_data(
        as_text=True
    )
    assert "Политика и требования" in questions


def test_a_contractor_sees_the_invitation_language_and_may_switch(app, admin):
    contractor, token = factories.make_contractor(admin.organisation, admin, "Bau GmbH")
    contractor.assessment.language = "de"
    db.session.commit()
    browser = app.test_client()
    page = browser.get(f"/invitation/{token}", follow_redirects=True).get_data(as_text=True)
    assert '<html lang="de">' in page
    browser.post("/language", data={"language": "fr"})
    page = browser.get("/invitation/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="fr">' in page
