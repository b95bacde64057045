"""A buyer invites a contractor and copies the link; in a fresh browser the contractor answers
and submits; the buyer returns it with a note; the contractor answers the note and submits
again; the buyer marks it reviewed, compares two contractors and downloads the XLSX."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from playwright.sync_api import expect

import questionnaires as engine
from app.assessments import lifecycle
from app.extensions import db
from app.models import ContractorAssessment
from app.scoping import Principal
from tests import factories
from tests.browser.conftest import served_questionnaire


def _radio_questions(questionnaire, theme_key):
    return [
        q
        for q in questionnaire.questions_in(theme_key)
        if q.type in ("maturity", "yes-partly-no", "choice") and q.show_if is None
    ]


def _watch(page, errors: list[str]):
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page


def test_invite_answer_return_resubmit_review_and_compare(
    live_server, browser, page, context, caplog
):
    supplier = served_questionnaire(live_server, "supplier")
    first = supplier.themes[0]
    q1, q2 = _radio_questions(supplier, first.key)[:2]
    best = {q.key: max(q.choices, key=lambda o: o.score) for q in (q1, q2)}
    worst = {q.key: min(q.choices, key=lambda o: o.score) for q in (q1, q2)}

    with live_server.app.app_context():
        buyer_org = factories.make_organisation("Harbour City Procurement")
        buyer = factories.make_user(buyer_org, "admin", email="pat@harbour.example")
        earlier, _token = factories.make_contractor(buyer_org, buyer, "Earlier Contractor Ltd")
        factories.store_answers(
            earlier.assessment, engine.sample_answers(supplier, seed=3, red_flags=1)
        )
        lifecycle.submit(
            earlier.assessment, Principal(label="Earlier Contractor Ltd"), require_evidence=False
        )
        # A draft half answered with the best options: it must neither show a score nor rank.
        drafting, _token = factories.make_contractor(buyer_org, buyer, "Drafting Supplies Ltd")
        factories.store_answers(
            drafting.assessment,
            {
                k: a
                for k, a in engine.sample_answers(supplier, seed=5, level=1.0, red_flags=0).items()
                if supplier.question(k).theme == first.key
            },
        )
        db.session.remove()

    # The buyer signs in, invites a contractor and copies the link.
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(live_server.url + "/sign-in")
    page.get_by_label("Email address").fill("pat@harbour.example")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Contractors").first.click()
    page.get_by_role("link", name="Invite a contractor").click()
    page.get_by_label("Contractor's name").fill("Bayview Catering")
    page.get_by_label("Contact email address").fill("office@bayview.example")
    page.get_by_label("Contract or tender reference").fill("HC-2026-07 canteen")
    expect(page.get_by_label("Questionnaire")).to_have_value("supplier")
    page.get_by_label("Deadline").fill("2026-12-31")
    page.get_by_role("button", name="Create the invitation").click()
    # The button works once copy.js listens: after the page's deferred scripts have run.
    page.wait_for_load_state()
    page.get_by_role("button", name="Copy the link").click()
    expect(page.locator("[data-copy-status]")).to_have_text("Copied")
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == page.get_by_label(re.compile("Invitation link")).input_value()
    assert "/invitation/" in link
    # Reloading the link page invites nobody again and no longer shows the link.
    page.reload()
    expect(page.get_by_text("cannot be shown again")).to_be_visible()
    with live_server.app.app_context():
        assert (
            db.session.query(ContractorAssessment).count() == 3
        )  # the two made above and this one
        db.session.remove()

    # The contractor opens the link in a fresh browser, without an account.
    contractor_context = browser.new_context(locale="en-GB")
    contractor_context.set_default_timeout(10_000)
    contractor_errors: list[str] = []
    them = _watch(contractor_context.new_page(), contractor_errors)
    token = link.rsplit("/", 1)[1]
    them.goto(link)
    assert them.url.endswith("/invitation/") and token not in them.url
    # The request log shows that a link was opened, never the token itself.
    logged = [record.getMessage() for record in caplog.records]
    assert any("GET /invitation/[token]" in line for line in logged)
    assert not any(token in line for line in logged)
    expect(them.get_by_role("heading", level=1)).to_contain_text("Bayview Catering")
    them.get_by_role("link", name="Answer the questionnaire").click()
    them.get_by_role("link", name="Continue answering").click()
    them.wait_for_url("**/themes/*")  # loaded: answering.js listens before an answer changes
    for question in (q1, q2):
        fieldset = them.locator(f"#q-{question.key}")
        fieldset.locator(f"input[type=radio][value='{worst[question.key].value}']").check()
        expect(fieldset.locator(".save-status")).to_have_text("Saved")
    them.get_by_role("link", name="Overview").click()
    them.get_by_role("link", name="Submit", exact=True).click()
    them.get_by_role("button", name="Submit anyway").click()
    expect(them.get_by_text("Your answers were submitted")).to_be_visible()

    # The buyer asks for clarification of one answer and returns the assessment.
    page.get_by_role("link", name="Contractors").first.click()
    row = page.locator("tr", has_text="Bayview Catering")
    expect(row).to_contain_text("Submitted")
    row.get_by_role("link", name="Bayview Catering").click()
    # Answers are marked in place, without a reload; the rest are accepted at once.
    page.evaluate("window.stillTheSamePage = true")
    card = page.locator(f"#review-{q1.key}")
    card.get_by_label("Needs clarification").check()
    card.get_by_role("button", name="Save the review").click()
    expect(card.get_by_label("Note for the contractor")).to_have_attribute("aria-invalid", "true")
    card.get_by_label("Note for the contractor").fill("Which of your kitchens does this cover?")
    card.get_by_role("button", name="Save the review").click()
    expect(card).to_have_attribute("data-marked", "clarify")
    expect(card.get_by_role("status")).to_have_text("Saved.")
    assert page.evaluate("window.stillTheSamePage === true"), "the page was reloaded"
    page.get_by_role("button", name="Accept every answer not marked").click()
    expect(page.locator(f"#review-{q2.key}")).to_have_attribute("data-marked", "accepted")
    expect(page.locator(f"#review-{q1.key}")).to_have_attribute("data-marked", "clarify")
    # Returning asks first.
    page.get_by_role("button", name="Return to the contractor").click()
    expect(page.locator("[data-review-counts]")).to_contain_text("1 answer needs clarification")
    page.get_by_role("button", name="Yes, return it to the contractor").click()
    expect(page.locator(".badge[data-status]")).to_have_text("Returned")

    # The contractor sees the note beside the question, answers it and submits again.
    them.goto(live_server.url + "/invitation/")
    expect(them.get_by_text(re.compile("1 question to clarify"))).to_be_visible()
    them.get_by_role("link", name="Answer the questionnaire").click()
    them.get_by_role("link", name=first.title).first.click()
    note = them.locator(f"#q-{q1.key} .review-note")
    expect(note).to_contain_text("Which of your kitchens does this cover?")
    expect(them.locator(f"#q-{q2.key} .review-note")).to_have_count(0)
    them.wait_for_load_state()  # answering.js listens before the answer changes
    fieldset = them.locator(f"#q-{q1.key}")
    fieldset.locator(f"input[type=radio][value='{best[q1.key].value}']").check()
    expect(fieldset.locator(".save-status")).to_have_text("Saved")
    them.get_by_role("link", name="Overview").click()
    them.get_by_role("link", name="Submit", exact=True).click()
    them.get_by_role("button", name="Submit anyway").click()
    expect(them.get_by_text("Your answers were submitted")).to_be_visible()

    # The buyer marks it reviewed, compares both contractors and downloads the XLSX.
    page.reload()
    expect(page.locator(".badge[data-status]")).to_have_text("Submitted")
    page.get_by_role("button", name="Mark as reviewed").click()
    page.get_by_role("button", name="Yes, mark it as reviewed").click()
    expect(page.locator(".badge[data-status]")).to_have_text("Reviewed")
    page.get_by_role("link", name="All contractors").click()
    page.get_by_label("Compare Bayview Catering").check()
    page.get_by_label("Compare Earlier Contractor Ltd").check()
    page.get_by_label("Compare Drafting Supplies Ltd").check()
    page.get_by_role("button", name="Compare the chosen contractors").click()
    table = page.locator("table.comparison")
    expect(table).to_contain_text("Bayview Catering")
    expect(table).to_contain_text("Earlier Contractor Ltd")
    # The draft shows its status and completeness only, and comes after the scored ones.
    draft_row = table.locator("tr[data-contractor='Drafting Supplies Ltd']")
    expect(draft_row.locator("td").first).to_have_text(re.compile("Invited|In progress"))
    expect(draft_row.locator("td").nth(1)).to_have_text("\u2013")  # no score
    expect(table.locator("tbody tr").last).to_have_attribute(
        "data-contractor", "Drafting Supplies Ltd"
    )
    expect(page.locator("svg[aria-labelledby='comparison-chart-title']")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download XLSX").click()
    download = download_info.value
    assert download.suggested_filename == "contractor-comparison.xlsx"
    with open(download.path(), "rb") as file:
        workbook = load_workbook(io.BytesIO(file.read()))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "Contractor"
    assert {row[0] for row in rows[1:]} == {
        "Bayview Catering",
        "Earlier Contractor Ltd",
        "Drafting Supplies Ltd",
    }
    bayview = next(row for row in rows[1:] if row[0] == "Bayview Catering")
    assert bayview[2] == "Reviewed"

    contractor_context.close()
    assert not contractor_errors, contractor_errors
