"""A company whose browser asks for Russian registers, answers the supplier questionnaire,
submits, reads its results and downloads the PDF: every step in Russian, the PDF included."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

import questionnaires as engine
from questionnaires.translations import load_translation, translate
from tests import mailbox
from tests.browser.conftest import served_questionnaire
from tests.reports.pdf_text import read_pdf, squeeze


def _(english: str) -> str:
    """The Russian catalogue's wording of an interface string."""
    from babel.support import Translations

    folder = Path(__file__).resolve().parents[2] / "app" / "translations"
    return Translations.load(str(folder), ["ru"]).gettext(english)


@pytest.fixture
def context(browser):
    context = browser.new_context(accept_downloads=True, locale="ru-RU")
    context.set_default_timeout(10_000)
    yield context
    context.close()


def test_a_russian_company_answers_submits_and_gets_its_report_in_russian(live_server, page):
    english = served_questionnaire(live_server, "supplier")
    russian = translate(english, load_translation(engine.SHIPPED_DIR / "supplier.ru.yaml"))
    first = russian.themes[0]
    radios = [
        q
        for q in russian.questions_in(first.key)
        if q.type in ("maturity", "yes-partly-no", "choice") and q.show_if is None
    ][:2]

    page.goto(live_server.url + "/register")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    # Registration confirms the address first, through the link in the message.
    page.get_by_label(_("Email address")).fill("elena@lakeside.example")
    page.get_by_role("button", name=_("Send me the link")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Check your inbox"))
    page.goto(
        live_server.url + mailbox.registration_link(live_server.app, "elena@lakeside.example")
    )
    page.get_by_label(_("Organisation name")).fill("Озёрные продукты")
    page.get_by_label(_("Kind of organisation")).select_option("company")
    page.get_by_label(_("Your name")).fill("Елена Иванова")
    page.get_by_label(_("Password"), exact=True).fill("очень хороший пароль для проверки")
    page.get_by_label(_("Repeat the password")).fill("очень хороший пароль для проверки")
    page.get_by_role("button", name=_("Register")).click()

    page.get_by_role("link", name="Начать оценку").first.click()
    page.get_by_label("Опросник").select_option("supplier")
    page.get_by_label("Что оценивается").fill("Пекарня на озере")
    page.get_by_role("button", name="Начать", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Пекарня на озере")
    page.get_by_role("link", name="Продолжить отвечать").click()
    page.wait_for_url("**/themes/*")  # loaded: answering.js listens before an answer changes
    # The questions are in the assessment's language, which started as the interface's.
    expect(page.get_by_role("heading", level=2, name=first.title)).to_be_visible()
    for question in radios:
        best = max(question.choices, key=lambda o: o.score)
        fieldset = page.locator(f"#q-{question.key}")
        expect(fieldset).to_contain_text(question.text)
        fieldset.locator(f"input[type=radio][value='{best.value}']").check()
        expect(fieldset.locator(".save-status")).to_have_text("Сохранено")

    page.get_by_role("link", name="Обзор").click()
    page.get_by_role("link", name="Отправить", exact=True).click()
    page.get_by_role("button", name="Всё равно отправить").click()
    expect(page.get_by_text("Оценка отправлена.")).to_be_visible()
    expect(page.get_by_role("heading", name=_("Scores by theme"))).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text(first.title)

    # The link's words are the catalogue's; the PDF itself is fetched as the other journeys do,
    # with room for a busy machine to render it.
    link = page.locator("a[data-report-pdf]")
    expect(link).to_have_text(_("Download the gap report (PDF)"))
    response = page.request.get(live_server.url + link.get_attribute("href"), timeout=300_000)
    assert response.ok
    pdf = read_pdf(response.body())
    assert str(pdf.reader.trailer["/Root"].get("/Lang")) == "ru"
    for theme in russian.themes:
        assert pdf.contains(theme.title), theme.title
    text = squeeze(pdf.text)
    leftovers = [q.text for q in english.questions if squeeze(q.text) in text]
    assert leftovers == [], f"English question text in the Russian PDF: {leftovers[:3]}"
