"""Registering in the browser, through the link in the message the app sends."""

from __future__ import annotations

from playwright.sync_api import expect

from tests import mailbox

PASSWORD = "a very good password"


def register(page, server, *, organisation: str, kind: str, name: str, email: str) -> None:
    """From the registration page that `page` shows: the address, the link, the rest."""
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Send me the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    page.goto(server.url + mailbox.registration_link(server.app, email))
    page.get_by_label("Organisation name").fill(organisation)
    page.get_by_label("Kind of organisation").select_option(kind)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
