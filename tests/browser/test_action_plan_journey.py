"""A company submits a self-assessment with a red flag, fills in its action plan (and cannot
decline the red flag without a reason), marks an action done, and finds the plan in the PDF."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from app.content import content
from app.models import utc_today
from tests import factories
from tests.reports.pdf_text import read_pdf


def test_a_company_fills_in_its_action_plan_and_finds_it_in_the_report(live_server, page):
    with live_server.app.app_context():
        supplier = content().get("supplier")
        critical = next(q for q in supplier.questions if q.critical and q.show_if is None)
        plain = next(
            q
            for q in supplier.questions
            if q.critical is None and q.type == "maturity" and q.show_if is None
        )
        organisation = factories.make_organisation("Lakeside Foods Ltd", kind="company")
        user = factories.make_user(
            organisation, "admin", name="Lena Compliance", email="lena@lakeside.example"
        )
        assessment = factories.make_assessment(organisation, user, subject="Lakeside bakery")
        factories.answer(assessment, critical.key, factories.worst_option(supplier, critical))
        factories.answer(assessment, plain.key, factories.worst_option(supplier, plain))
        assessment_id = assessment.id

    page.goto(live_server.url + "/sign-in")
    page.get_by_label("Email address").fill("lena@lakeside.example")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/assessments/{assessment_id}")
    page.get_by_role("link", name="Submit", exact=True).click()
    page.get_by_role("button", name="Submit anyway").click()
    expect(page.get_by_text("The assessment is submitted.")).to_be_visible()

    page.get_by_role("link", name="Action plan").click()
    red_flag = page.locator(f"[data-plan-item='{critical.key}']")
    expect(red_flag).to_contain_text(critical.critical.red_flag)
    # Red flags come first.
    expect(page.locator("[data-plan-item]").first).to_have_attribute("data-plan-item", critical.key)

    # The whole plan is answered on this page: each row saves without a reload.
    page.wait_for_load_state()  # the page's script handles "Save this response" once loaded
    page.evaluate("window.stillTheSamePage = true")
    # Declining the red flag without a reason is refused, beside the reason, and not saved.
    red_flag.get_by_label("Declined").check()
    red_flag.get_by_role("button", name="Save this response").click()
    reason = red_flag.get_by_label("Why you decline it")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(red_flag).to_contain_text("at least a sentence")
    expect(red_flag).to_have_attribute("data-status", "open")

    # Accepting it without an owner and a due date says what is missing, beside those fields.
    red_flag.get_by_label("Accepted").check()
    red_flag.get_by_label("The action you will take").fill("Refund the fees and change agency")
    red_flag.get_by_role("button", name="Save this response").click()
    expect(red_flag).to_contain_text("To accept, give an owner and a due date.")
    expect(red_flag.get_by_label("Due date")).to_have_attribute("aria-invalid", "true")
    red_flag.get_by_label("Owner").select_option(label="Lena Compliance")
    red_flag.get_by_label("Due date").fill((utc_today() + timedelta(days=30)).isoformat())
    red_flag.get_by_role("button", name="Save this response").click()
    expect(red_flag).to_have_attribute("data-status", "accepted")
    expect(red_flag.get_by_role("status")).to_have_text("Saved.")
    assert page.evaluate("window.stillTheSamePage === true"), "the page was reloaded"

    # The other gap, on a phone: already in progress, then done.
    page.set_viewport_size({"width": 390, "height": 844})
    other = page.locator(f"[data-plan-item='{plain.key}']")
    other.get_by_label("Already in progress").check()
    other.get_by_label("The action you will take").fill("Policy training for buyers")
    other.get_by_role("button", name="Save this response").click()
    expect(other).to_have_attribute("data-status", "in-progress")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    other.get_by_label("What was done").fill("Trained all twelve buyers")
    other.get_by_role("button", name="Mark done").click()
    expect(page.get_by_text("Marked as done.")).to_be_visible()
    expect(other).to_have_attribute("data-status", "done")
    page.set_viewport_size({"width": 1280, "height": 800})

    # The report carries the plan.
    page.get_by_role("link", name="Results").click()
    # The link's address fetched as the browser would; rendering a PDF can take a while on a
    # busy machine, longer than a click waits.
    link = page.get_by_role("link", name="Download the gap report (PDF)")
    response = page.request.get(live_server.url + link.get_attribute("href"), timeout=300_000)
    assert response.ok and "attachment" in response.headers["content-disposition"]
    pdf = read_pdf(response.body())
    assert pdf.contains("Accepted: Refund the fees and change agency")
    assert pdf.contains("Policy training for buyers")
    assert pdf.contains("Trained all twelve buyers")


def test_a_contractor_reuses_a_submitted_assessment_for_another_buyer(live_server, page):
    from sqlalchemy import select

    import questionnaires as engine
    from app.extensions import db
    from app.models import Answer
    from app.scoping import Principal

    with live_server.app.app_context():
        from app.assessments import lifecycle
        from app.assessments.queries import stored_answers

        supplier = content().get("supplier")
        company_org = factories.make_organisation("Acme Cleaning Ltd", kind="company")
        company = factories.make_user(
            company_org, "admin", name="Ada Acme", email="ada@acme.example"
        )
        # A response the company submitted before (kept in its account).
        earlier = factories.make_assessment(company_org, company, subject="Acme Cleaning Ltd")
        given = engine.sample_answers(supplier, seed=7, level=0.7)
        factories.store_answers(earlier, given, user=company)
        lifecycle.submit(earlier, Principal(user=company), require_evidence=False)
        buyer_org = factories.make_organisation("Second City Council")
        buyer = factories.make_user(buyer_org, "admin", email="bea@second.example")
        contractor, token = factories.make_contractor(buyer_org, buyer, "Acme Cleaning Ltd")
        target_id = contractor.assessment_id
        expected = {k: a.value for k, a in stored_answers(earlier).items()}
        assert len(expected) > 20
        db.session.remove()

    page.goto(live_server.url + "/sign-in")
    page.get_by_label("Email address").fill("ada@acme.example")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/invitation/{token}")
    assert "/invitation/" + token not in page.url
    reuse = page.locator("[data-reuse]")
    expect(reuse).to_contain_text("Reuse an assessment you already submitted")
    reuse.get_by_role("button", name="Reuse these answers").click()
    expect(page.get_by_text("answers were filled in from your earlier assessment")).to_be_visible()
    page.get_by_role("link", name="Submit", exact=True).click()
    page.get_by_role("button", name=re.compile("^Submit")).click()
    expect(page.get_by_text("The assessment is submitted.")).to_be_visible()

    with live_server.app.app_context():
        stored = {
            a.question_key: a.value
            for a in db.session.scalars(select(Answer).where(Answer.assessment_id == target_id))
        }
    assert stored == expected
