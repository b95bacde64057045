"""The app serves its own copy of htmx: the one package-lock.json pins, unchanged."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENDORED = ROOT / "app/static/vendor/htmx"
PACKAGE = ROOT / "node_modules/htmx.org"


def test_the_served_htmx_is_the_pinned_package_unchanged():
    pinned = json.loads((ROOT / "package-lock.json").read_text())["packages"][
        "node_modules/htmx.org"
    ]["version"]
    assert f"# htmx {pinned}\n" in (VENDORED / "README.md").read_text()
    if not PACKAGE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("node_modules/htmx.org is missing: make install")
        pytest.skip("node_modules/htmx.org is missing (npm): make install")
    assert json.loads((PACKAGE / "package.json").read_text())["version"] == pinned
    assert (VENDORED / "htmx.min.js").read_bytes() == (PACKAGE / "dist/htmx.min.js").read_bytes()
    assert (VENDORED / "LICENSE").read_bytes() == (PACKAGE / "LICENSE").read_bytes()


def test_the_app_serves_it_itself(admin_client):
    response = admin_client.get("/static/vendor/htmx/htmx.min.js")
    assert response.status_code == 200 and b"htmx" in response.data
