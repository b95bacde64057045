"""Every page: a title, a language, a skip link, labels; the dashboard guides a new user."""

from __future__ import annotations

import re

import pytest

PUBLIC_PAGES = ["/", "/sign-in", "/register"]
SIGNED_IN_PAGES = [
    "/dashboard",
    "/colleagues/",
    "/colleagues/invite",
    "/account",
    "/account/password",
]


def assert_accessible_basics(html: str):
    assert re.search(r"<html lang=\"[a-z]{2}", html)
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title and title.group(1).strip(" ·")
    assert 'href="#content"' in html and 'id="content"' in html
    for field_id in re.findall(r"<(?:input|select|textarea)[^>]*\bid=\"([^\"]+)\"", html):
        input_tag = re.search(
            rf"<(?:input|select|textarea)[^>]*\bid=\"{field_id}\"[^>]*>", html
        ).group(0)
        if 'type="hidden"' in input_tag or "readonly" in input_tag:
            continue
        assert f'for="{field_id}"' in html, f"no label for {field_id}"


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_the_basics(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_accessible_basics(response.get_data(as_text=True))


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_signed_in_pages_have_the_basics(admin_client, path):
    response = admin_client.get(path)
    assert response.status_code == 200
    assert_accessible_basics(response.get_data(as_text=True))


def test_the_dashboard_tells_a_lone_admin_to_invite_colleagues(admin_client):
    html = admin_client.get("/dashboard").get_data(as_text=True)
    assert "Invite a colleague" in html


def test_the_locale_follows_the_browser_then_the_users_setting(app, admin_client, admin):
    from app.extensions import db

    html = admin_client.get("/dashboard", headers={"Accept-Language": "fr,en;q=0.5"}).get_data(
        as_text=True
    )
    assert '<html lang="fr">' in html
    assert "Tableau de bord" in html
    html = admin_client.get("/dashboard", headers={"Accept-Language": "pt,en;q=0.5"}).get_data(
        as_text=True
    )
    assert '<html lang="en">' in html  # Portuguese is not offered: English
    admin.locale = "de"
    db.session.commit()
    html = admin_client.get("/dashboard", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="de">' in html
