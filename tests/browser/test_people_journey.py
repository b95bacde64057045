"""An admin removes a colleague; the colleague's open browser is sent to sign-in."""

from __future__ import annotations

from playwright.sync_api import expect

from tests import factories


def _sign_in(page, url, email):
    page.goto(url + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_an_admin_removes_a_colleague_whose_open_browser_goes_to_sign_in(
    live_server, browser, page
):
    with live_server.app.app_context():
        organisation = factories.make_organisation("Harbour Textiles Ltd", kind="company")
        admin = factories.make_user(organisation, "admin", name="Ada Admin")
        colleague = factories.make_user(organisation, "assessor", name="Colin Leaving")
        admin_email, colleague_email = admin.email, colleague.email
    them = browser.new_context(locale="en-GB").new_page()
    _sign_in(them, live_server.url, colleague_email)
    _sign_in(page, live_server.url, admin_email)

    page.get_by_role("link", name="Colleagues").first.click()
    row = page.get_by_role("row").filter(has_text="Colin Leaving")
    row.get_by_role("link", name="Remove").click()
    page.get_by_role("button", name="Remove Colin Leaving").click()
    expect(page.get_by_text("Colin Leaving is removed from the team.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=colleague_email)).to_have_count(0)

    # The colleague's next click lands on the sign-in page.
    them.get_by_role("link", name="Assessments").first.click()
    expect(them).to_have_url(f"{live_server.url}/sign-in?next=%2Fassessments%2F")
    expect(them.get_by_role("heading", level=1)).to_have_text("Sign in")
    them.context.close()
