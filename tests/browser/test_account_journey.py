"""A new organisation registers, signs out and signs in again through the real pages."""

from __future__ import annotations

from playwright.sync_api import expect


def test_register_sign_out_and_sign_in(live_server, page):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Register your organisation").first.click()
    page.get_by_label("Organisation name").fill("Riverside Hospital Trust")
    page.get_by_label("Kind of organisation").select_option("public_buyer")
    page.get_by_label("Your name").fill("Rita Procurement")
    page.get_by_label("Email address").fill("rita@riverside.example")
    page.get_by_label("Password", exact=True).fill("a very good password")
    page.get_by_label("Repeat the password").fill("a very good password")
    page.get_by_role("button", name="Register").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Hospital Trust")
    expect(page.get_by_text("Invite a colleague").first).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()

    page.get_by_label("Email address").fill("rita@riverside.example")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("The email address or the password is wrong.")).to_be_visible()

    page.get_by_label("Password").fill("a very good password")
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
