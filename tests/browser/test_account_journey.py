"""A new organisation registers through the link sent to its address, signs out and in again,
forgets its password and chooses a new one through the real pages."""

from __future__ import annotations

from playwright.sync_api import expect

from tests import mailbox
from tests.browser.registration import PASSWORD, register

EMAIL = "rita@riverside.example"
NEW_PASSWORD = "quiet lantern meadow"


def test_register_sign_out_sign_in_and_reset_the_password(live_server, page):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Register your organisation").first.click()
    register(
        page,
        live_server,
        organisation="Riverside Hospital Trust",
        kind="buyer",
        name="Rita Procurement",
        email=EMAIL,
    )

    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Hospital Trust")
    expect(page.get_by_text("Invite a colleague").first).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()

    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("The email address or the password is wrong.")).to_be_visible()

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Hospital Trust")
    page.get_by_role("button", name="Sign out").click()

    # Forgotten: a link by mail, a new password, and the old one no longer works.
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_role("button", name="Send me the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    message = mailbox.last(live_server.app, EMAIL)
    (link,) = [path for path in mailbox.links(message) if "/reset-password/" in path]
    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password is changed")).to_be_visible()

    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("The email address or the password is wrong.")).to_be_visible()
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Hospital Trust")


def test_keyboard_users_can_skip_to_the_content(live_server, page):
    page.goto(live_server.url + "/sign-in")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Email address")).to_be_focused()
