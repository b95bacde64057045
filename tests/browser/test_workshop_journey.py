"""A facilitator opens a workshop; two teams join from phones with the code and answer; the
board shows both teams and the answer distributions without a reload; the facilitator closes
the workshop and downloads the group report."""

from __future__ import annotations

from playwright.sync_api import expect

from app.extensions import db
from app.models import Organisation, OrganisationKind
from tests import factories
from tests.browser.conftest import served_questionnaire
from tests.reports.pdf_text import read_pdf

PHONE = {"width": 390, "height": 844}


def _facilitator(live_server):
    with live_server.app.app_context():
        organisation = Organisation(
            name="Fair Work Training", kind=OrganisationKind("training_provider")
        )
        db.session.add(organisation)
        db.session.commit()
        user = factories.make_user(organisation, "admin", email="fay@training.example")
        return user.email


def _join_from_a_phone(browser, live_server, code, team):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-GB")
    context.set_default_timeout(10_000)
    phone = context.new_page()
    errors: list[str] = []
    phone.on("pageerror", lambda e: errors.append(str(e)))
    phone.goto(live_server.url + "/join")
    phone.get_by_label("Workshop code").fill(f"{code[:3].lower()} {code[3:].lower()}")
    phone.get_by_label("Team name").fill(team)
    phone.get_by_role("button", name="Join").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(team)
    phone.get_by_role("link", name="Answer the questions").click()
    phone.wait_for_url("**/themes/*")  # loaded: answering.js listens before an answer changes
    return context, phone, errors


def _fits_the_screen(phone) -> bool:
    return phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_workshop_from_opening_to_the_group_report(live_server, browser, page):
    exercise = served_questionnaire(live_server, "workshop-exercise")
    theme = exercise.themes[0]
    question = next(
        q for q in exercise.questions_in(theme.key) if q.type in ("maturity", "yes-partly-no")
    )
    best = max(question.choices, key=lambda o: o.score)
    worst = min(question.choices, key=lambda o: o.score)

    email = _facilitator(live_server)
    page.goto(live_server.url + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Workshops").click()
    page.get_by_role("link", name="Open a workshop").click()
    page.get_by_label("Title").fill("Buyers' training, spring")
    page.get_by_role("button", name="Open the workshop").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Buyers' training, spring")
    code = page.locator("[data-join-code]").inner_text().strip()
    assert len(code) == 6

    # The projector page fills a 1280x720 screen: code, address and the whole QR code, no menu.
    board_url = page.url
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(board_url + "/projector")
    expect(page.locator(".join-code")).to_have_text(code)
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    qr = page.locator(".qr svg").bounding_box()
    assert qr["y"] >= 0 and qr["y"] + qr["height"] <= 720 and qr["x"] + qr["width"] <= 1280
    assert page.evaluate("document.documentElement.scrollHeight <= window.innerHeight")
    page.goto(board_url)

    teams = []
    for name, option in (("Team Harbour", best), ("Team Quay", worst)):
        context, phone, errors = _join_from_a_phone(browser, live_server, code, name)
        expect(phone.get_by_role("heading", level=2, name=theme.title)).to_be_visible()
        fieldset = phone.locator(f"#q-{question.key}")
        fieldset.locator(f"input[value='{option.value}']").check()
        expect(fieldset.locator(".save-status")).to_have_text("Saved")
        assert _fits_the_screen(phone), "the answering page is wider than a phone screen"
        # Before the reveal a team neither submits nor sees results: the close hands in.
        phone.get_by_role("link", name="Overview").click()
        expect(phone.get_by_role("link", name="Submit", exact=True)).to_have_count(0)
        expect(phone.get_by_role("link", name="Results")).to_have_count(0)
        expect(phone.get_by_role("link", name="See the results")).to_have_count(0)
        teams.append((context, phone, errors))

    # The board catches up by itself: both teams, and one answer for each option chosen.
    expect(page.locator("[data-board=teams]")).to_contain_text("Team Harbour")
    expect(page.locator("[data-board=teams]")).to_contain_text("Team Quay")
    distribution = page.locator(f"[data-distribution='{question.key}']")
    expect(distribution.locator(f"[data-count='{best.value}']")).to_have_text("1")
    expect(distribution.locator(f"[data-count='{worst.value}']")).to_have_text("1")
    expect(page.locator("[data-board=teams]")).to_contain_text("1 of")

    page.get_by_role("button", name="Close the workshop").click()
    expect(page.locator("[data-close-summary]")).to_contain_text("2 teams have joined")
    page.get_by_role("button", name="Yes, close the workshop").click()
    expect(page.locator("[data-board=status]")).to_have_text("Closed")
    # The link's address fetched as the browser would; rendering a PDF can take a while on a
    # busy machine, longer than a click waits.
    link = page.get_by_role("link", name="Group report (PDF)")
    response = page.request.get(live_server.url + link.get_attribute("href"), timeout=300_000)
    assert response.ok and "attachment" in response.headers["content-disposition"]
    assert response.body()[:5] == b"%PDF-"
    text = read_pdf(response.body()).text
    assert "Team Harbour" in text and "Team Quay" in text

    # The phones now read their frozen answers next to the group average.
    context, phone, errors = teams[0]
    phone.goto(live_server.url + "/workshops/team")
    expect(phone.get_by_text("answers are frozen")).to_be_visible()
    expect(phone.get_by_role("heading", name="Your team and the group")).to_be_visible()
    expect(phone.locator("main")).not_to_contain_text("Team Quay")
    assert _fits_the_screen(phone)
    for context, _phone, errors in teams:
        assert not errors, errors
        context.close()
