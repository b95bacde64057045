"""Browser tests: Debian's Chromium driven by Playwright against the app on a loopback port.

Outside CI they are skipped when Chromium is missing; with CI=true a missing Chromium fails.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from app.extensions import db
from tests.conftest import release_test_app, shared_test_app

# Debian's chromium-headless-shell first: the same Blink and V8 as the full browser without the
# browser around them (it is what Playwright itself runs headless). A journey costs about half
# the CPU in it: 90 CPU-seconds for all browser tests against 181 in the full browser.
CHROMIUM = (
    os.environ.get("CHROMIUM_PATH")
    or shutil.which("chromium-headless-shell")
    or shutil.which("chromium")
    or "/usr/bin/chromium-headless-shell"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


# As long as the contexts' own timeout for actions: assertions such as "the answer shows
# Saved" wait for a save that a busy machine (the whole suite on two cores) can take more than
# Playwright's default 5 s to send and answer. A passing assertion returns at once.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is required in CI but was not found at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install chromium-headless-shell")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# Werkzeug gives its logger a stream handler of its own when it finds none, bound to whatever
# stderr is at that moment: under pytest a capture file that is closed later, so a request the
# server thread logs after its test ended printed a logging error. With a handler in place it
# adds none; the request lines still reach pytest's log capture (the journeys read them).
logging.getLogger("werkzeug").addHandler(logging.NullHandler())
logging.getLogger("werkzeug").setLevel(logging.INFO)


@contextmanager
def serving(database_url: str, **settings):
    """An app on a clean database, served by a real HTTP server in a thread on a free loopback
    port; `settings` override the test app's settings. The app is the shared one for these
    settings (built once, reset for each test), as the `app` fixture's is."""
    app = shared_test_app(database_url, WTF_CSRF_ENABLED=True, **settings)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.app = app
    server.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        release_test_app(app)


def served_questionnaire(server, key: str):
    """A shipped questionnaire as the served app loaded it: a journey need not read and check
    the content folder a second time."""
    return server.app.extensions["ddcheck.content"].get(key)


@pytest.fixture
def live_server(database_url):
    """The app served by a real HTTP server in a thread, on a free loopback port."""
    with serving(database_url) as server:
        yield server


@pytest.fixture
def context(browser):
    context = browser.new_context(accept_downloads=True, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    assert not errors, f"the browser reported errors: {errors}"
