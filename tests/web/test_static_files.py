"""Stylesheets and scripts load once: their addresses name their content, and a browser may
keep what such an address gives for a year; a changed file gets a new address."""

from __future__ import annotations

import re

from app import static_files


def _static_addresses(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/(?:bootstrap/)?static/[^"]+)"', page)


def test_every_stylesheet_and_script_of_a_page_names_its_content(client):
    addresses = _static_addresses(client.get("/sign-in").get_data(as_text=True))
    # Bootstrap's stylesheet and scripts, the app's stylesheet, icon and script.
    assert len(addresses) >= 6
    for address in addresses:
        assert re.search(r"\?v=[0-9a-f]{12}$", address), address


def test_a_named_address_may_be_kept_a_year_and_a_bare_one_is_checked_again(client):
    page = client.get("/sign-in").get_data(as_text=True)
    for address in _static_addresses(page):
        kept = client.get(address)
        assert kept.status_code == 200
        assert kept.cache_control.max_age == static_files.CACHE_SECONDS, address
        assert kept.cache_control.immutable and kept.cache_control.public
        assert not kept.cache_control.no_store
        bare = client.get(address.split("?")[0])
        assert bare.data == kept.data
        assert bare.cache_control.max_age is None, address
    stale = client.get("/static/css/app.css?v=000000000000")
    assert stale.status_code == 200 and stale.cache_control.max_age is None


def test_a_changed_file_gets_a_new_version_at_once(tmp_path):
    path = tmp_path / "app.css"
    path.write_text("body { color: black; }")
    before = static_files.version(str(path))
    assert before == static_files.version(str(path))
    path.write_text("body { color: navy; }")
    after = static_files.version(str(path))
    assert after and after != before
    assert static_files.version(str(tmp_path / "missing.css")) is None


def test_a_missing_file_is_still_a_404(client):
    assert client.get("/static/css/no-such-file.css?v=000000000000").status_code == 404
