"""A buyer switches the interface to French, invites one contractor in German and one in
English; each answers in its own language in a fresh browser and submits; the buyer, still in
French, compares them side by side with the scores their answers earn."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from playwright.sync_api import expect

import questionnaires as engine
from questionnaires.translations import load_translation, translate
from tests import factories
from tests.browser.conftest import served_questionnaire


@cache
def _catalogue(language: str):
    from babel.support import Translations

    folder = Path(__file__).resolve().parents[2] / "app" / "translations"
    return Translations.load(str(folder), [language])


def fr(english: str) -> str:
    """The French catalogue's wording of an interface string."""
    return _catalogue("fr").gettext(english)


def de(english: str) -> str:
    """The German catalogue's wording of an interface string."""
    return _catalogue("de").gettext(english)


def _radio_questions(questionnaire, theme_key):
    return [
        q
        for q in questionnaire.questions_in(theme_key)
        if q.type in ("maturity", "yes-partly-no", "choice") and q.show_if is None
    ]


def _invite(page, name: str, email: str, language: str) -> str:
    """Invites a contractor from the French pages; returns its link."""
    page.get_by_role("link", name=fr("Contractors")).first.click()
    page.get_by_role("link", name=fr("Invite a contractor")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("Invite a contractor"))
    page.get_by_label(fr("Contractor's name")).fill(name)
    page.get_by_label(fr("Contact email address")).fill(email)
    expect(page.get_by_label(fr("Questionnaire"))).to_have_value("supplier")
    page.get_by_label(fr("Language of the invitation")).select_option(label=language)
    page.get_by_role("button", name=fr("Create the invitation")).click()
    return page.locator("#invitation-link").input_value()


def _answer_and_submit(browser, link, questionnaire, chosen, say, errors):
    """In a fresh browser, the contractor answers `chosen` (question -> option) and submits."""
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(10_000)
    them = context.new_page()
    them.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    them.on("pageerror", lambda e: errors.append(str(e)))
    them.goto(link)
    them.get_by_role("link", name=say("Answer the questionnaire")).click()
    them.get_by_role("link", name=say("Continue answering")).click()
    them.wait_for_url("**/themes/*")  # loaded: answering.js listens before an answer changes
    first = questionnaire.themes[0]
    expect(them.get_by_role("heading", level=2, name=first.title)).to_be_visible()
    for question, option in chosen.items():
        fieldset = them.locator(f"#q-{question.key}")
        expect(fieldset).to_contain_text(question.text)
        fieldset.locator(f"input[type=radio][value='{option.value}']").check()
        expect(fieldset.locator(".save-status")).to_have_text(say("Saved"))
    them.get_by_role("link", name=say("Overview")).click()
    them.get_by_role("link", name=say("Submit"), exact=True).click()
    them.get_by_role("button", name=say("Submit anyway")).click()
    submitted = say("Your answers were submitted on %(date)s. Thank you.").split("%(date)s")[0]
    expect(them.get_by_text(submitted.strip())).to_be_visible()
    context.close()


def test_a_french_buyer_invites_in_german_and_english_and_compares(live_server, browser, page):
    english = served_questionnaire(live_server, "supplier")
    german = translate(english, load_translation(engine.SHIPPED_DIR / "supplier.de.yaml"))
    french = translate(english, load_translation(engine.SHIPPED_DIR / "supplier.fr.yaml"))
    radios = _radio_questions(english, english.themes[0].key)[:3]
    # The German contractor answers with the best options, the English one with the worst.
    best = {q.key: max(q.choices, key=lambda o: o.score) for q in radios}
    worst = {q.key: min(q.choices, key=lambda o: o.score) for q in radios}
    expected = {
        name: round(
            engine.score(
                english, {k: engine.Answer(value=o.value) for k, o in chosen.items()}
            ).overall
        )
        for name, chosen in (("Bau Nord GmbH", best), ("Harbour Works Ltd", worst))
    }
    assert expected["Bau Nord GmbH"] != expected["Harbour Works Ltd"]

    with live_server.app.app_context():
        organisation = factories.make_organisation("Achats publics de Lyon", kind="buyer")
        factories.make_user(organisation, "admin", email="claire@lyon.example")

    # The buyer signs in and switches the interface to French with the menu switch.
    page.goto(live_server.url + "/sign-in")
    page.get_by_label("Email address").fill("claire@lyon.example")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Language").select_option(label="Français")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("button", name=fr("Change language"))).to_be_visible()

    # In French, one contractor is invited in German, the other in English.
    links = {
        "Bau Nord GmbH": _invite(page, "Bau Nord GmbH", "info@baunord.example", "Deutsch"),
        "Harbour Works Ltd": _invite(
            page, "Harbour Works Ltd", "office@harbour.example", "English"
        ),
    }
    assert all("/invitation/" in link for link in links.values())

    # Each contractor answers in its invitation's language and submits.
    errors: list[str] = []
    by_key = {q.key: q for q in german.questions}
    _answer_and_submit(
        browser,
        links["Bau Nord GmbH"],
        german,
        {by_key[k]: o for k, o in best.items()},
        de,
        errors,
    )
    assert german.themes[0].title != english.themes[0].title  # the German title was seen
    _answer_and_submit(
        browser,
        links["Harbour Works Ltd"],
        english,
        {english.question(k): o for k, o in worst.items()},
        lambda s: s,
        errors,
    )
    assert errors == [], f"the contractors' browsers reported errors: {errors}"

    # The buyer, still in French, compares them side by side.
    page.get_by_role("link", name=fr("Contractors")).first.click()
    for name in links:
        page.get_by_label(fr("Compare %(name)s") % {"name": name}).check()
    page.get_by_role("button", name=fr("Compare the chosen contractors")).click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("Compare contractors"))
    table = page.locator("table.comparison")
    expect(table.locator("thead")).to_contain_text(fr("Overall score"))
    # The theme columns are headed in the reader's language.
    expect(table.locator("thead")).to_contain_text(french.themes[0].title)
    for name, score in expected.items():
        row = table.locator(f"tr[data-contractor='{name}']")
        expect(row.locator("td").nth(1)).to_have_text(re.compile(rf"^\s*{score}\s*$"))
    # Sorted by overall score, the best first.
    expect(table.locator("tbody tr").first).to_have_attribute("data-contractor", "Bau Nord GmbH")
