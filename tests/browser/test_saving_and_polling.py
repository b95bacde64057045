"""What the page does when the server refuses or fails, in Chromium, with the page's clock
in the test's hands (Playwright's fake timers: no waiting).

An autosave the server refuses (signed out, read-only) shows the server's own message, is not
tried again by itself, and keeps the answer on the page; after signing in again in another tab
one click saves it. A server error or a lost connection is tried again after 1 s, then 2 s, and
says so. The workshop board fetches its live part while the workshop is open and the tab is
visible, and stops once the workshop is closed.
"""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from app.content import content
from app.extensions import db
from app.models import User, Workshop
from app.scoping import Principal
from app.workshops import participation
from app.workshops import services as workshops
from tests import factories

START = datetime.datetime(2026, 3, 2, 9, 0)
# The browser reports every answer with an error status, and every lost connection, in the
# console; these are the ones the tests cause.
EXPECTED_STATUSES = ("status of 401", "status of 403", "status of 500", "net::ERR_FAILED")


@pytest.fixture
def page(context):
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not any(s in m.text for s in EXPECTED_STATUSES)
            else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    assert not errors, f"the browser reported errors: {errors}"


def _sign_in(page, live_server, email):
    page.goto(live_server.url + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def _paused_clock(page):
    """Fake timers from the next page on, standing still until the test moves them."""
    page.clock.install(time=START)
    page.clock.pause_at(START + datetime.timedelta(seconds=1))


@pytest.fixture
def answering(live_server, page):
    """An assessor on the first theme of a draft, with the clock paused; returns the first
    choice question's fieldset."""
    with live_server.app.app_context():
        organisation = factories.make_organisation("Harbour Textiles", "company")
        user = factories.make_user(organisation, "assessor")
        assessment = factories.make_assessment(organisation, user)
        questionnaire = content().get("supplier")
        theme = questionnaire.themes[0]
        question = next(q for q in questionnaire.questions_in(theme.key) if q.type == "maturity")
        email, assessment_id = user.email, assessment.id
    _sign_in(page, live_server, email)
    _paused_clock(page)
    page.goto(f"{live_server.url}/assessments/{assessment_id}/themes/{theme.key}")
    fieldset = page.locator(f"#q-{question.key}")
    return fieldset, question, email


def _answers_route(page, statuses):
    """Answer autosaves with these statuses in turn ("abort": no answer at all), then let them
    through; returns the list of autosaves seen."""
    seen = []

    def handle(route):
        seen.append(route.request.url)
        status = statuses[len(seen) - 1] if len(seen) <= len(statuses) else None
        if status == "abort":
            route.abort()
        elif status == 403:
            route.fulfill(
                status=403,
                json={"error": "read-only", "message": "Your role can read but not answer."},
            )
        elif status == 500:
            route.fulfill(status=500, content_type="text/html", body="<h1>Bad gateway</h1>")
        else:
            route.continue_()

    page.route("**/answers/**", handle)
    return seen


def test_a_refused_autosave_shows_the_servers_message_and_waits_for_the_person(
    live_server, context, page, answering
):
    fieldset, question, email = answering
    status = fieldset.locator(".save-status")
    comment = fieldset.locator("textarea[name$='__comment']")
    chosen = fieldset.locator(f"input[value='{question.choices[-1].value}']")
    seen = _answers_route(page, [403])

    chosen.check()
    page.clock.run_for(100)
    expect(status).to_have_text("Your role can read but not answer.")
    page.clock.run_for(120_000)
    assert len(seen) == 1, "a refused save is not tried again by itself"
    expect(chosen).to_be_checked()

    # Signed out in another tab: the server's own words, and the answer stays on the page.
    page.unroute("**/answers/**")
    token = page.locator("input[name=csrf_token]").first.input_value()
    page.request.post(live_server.url + "/sign-out", form={"csrf_token": token})
    seen = _answers_route(page, [])
    fieldset.locator("details summary").first.click()  # the comment, before the documents
    comment.fill("Checked at the March audit.")
    page.clock.run_for(1000)
    expect(status).to_contain_text("Your session has ended. Sign in again.")
    page.clock.run_for(120_000)
    assert len(seen) == 1
    expect(chosen).to_be_checked()
    expect(comment).to_have_value("Checked at the March audit.")

    # Signed in again in another tab, one click saves what is on the page.
    other = context.new_page()
    _sign_in(other, live_server, email)
    other.close()
    status.get_by_role("button", name="Try again").click()
    page.clock.run_for(100)
    expect(status).to_have_text("Saved")
    assert len(seen) == 2


def test_a_failed_autosave_is_tried_again_later_and_says_when(page, answering):
    fieldset, question, _email = answering
    status = fieldset.locator(".save-status")
    seen = _answers_route(page, ["abort", 500])

    fieldset.locator(f"input[value='{question.choices[0].value}']").check()
    page.clock.run_for(100)
    expect(status).to_have_text("Not saved yet, retrying in 1 s.")
    assert len(seen) == 1
    page.clock.run_for(1000)
    expect(status).to_have_text("Not saved yet, retrying in 2 s.")
    assert len(seen) == 2
    page.clock.run_for(1500)
    assert len(seen) == 2, "the second retry waits 2 s"
    page.clock.run_for(500)
    expect(status).to_have_text("Saved")
    assert len(seen) == 3


def _next_fetch(page, status=200):
    """Move the clock to the board's next fetch, and wait until its answer is in place."""
    with page.expect_response(lambda r: "/board/live" in r.url and r.status == status):
        page.clock.run_for(3000)
    expect(page.locator(".htmx-request")).to_have_count(0)


def test_the_board_stops_fetching_once_the_workshop_is_closed(live_server, page):
    with live_server.app.app_context():
        organisation = factories.make_organisation("Fair Work Training", "training_provider")
        user = factories.make_user(organisation, "admin")
        workshop = workshops.create_workshop(
            user=user,
            title="Spring training",
            questionnaire=content().get(workshops.DEFAULT_QUESTIONNAIRE),
            case_text=None,
            reveal_at_end=True,
        )
        code, workshop_id, email, user_id = workshop.join_code, workshop.id, user.email, user.id
    _sign_in(page, live_server, email)
    fetches = []
    page.on("request", lambda r: fetches.append(r.url) if "/board/live" in r.url else None)
    _paused_clock(page)
    page.goto(f"{live_server.url}/workshops/{workshop_id}")
    expect(page.locator("[data-board=teams]")).to_contain_text("No team has joined yet.")

    with live_server.app.app_context():
        participation.join(code, "Team Quay")
    _next_fetch(page)
    expect(page.locator("[data-board=teams]")).to_contain_text("Team Quay")

    # A hidden tab fetches nothing; back in view, the board catches up.
    hidden = "Object.defineProperty(document, 'visibilityState', {value: %r, configurable: true})"
    page.evaluate(hidden % "hidden")
    before = len(fetches)
    page.clock.run_for(30_000)
    page.evaluate("1")
    assert len(fetches) == before
    page.evaluate(hidden % "visible")
    _next_fetch(page)

    # Closed elsewhere: the next fetch says so (286) and is the last.
    with live_server.app.app_context():
        facilitator = Principal(user=db.session.get(User, user_id))
        workshops.close(db.session.get(Workshop, workshop_id), facilitator)
    _next_fetch(page, 286)
    expect(page.locator("[data-board=status]")).to_have_text("Closed")
    expect(page.locator("[data-join-code]")).to_have_count(0)
    expect(page.get_by_role("button", name="Close the workshop")).to_have_count(0)
    after = len(fetches)
    page.clock.run_for(60_000)
    page.evaluate("1")
    assert len(fetches) == after, "the closed board fetches nothing more"
