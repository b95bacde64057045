"""Fixtures shared by every test: an app on a fresh database, clients signed in per role.

The database is SQLite in a temporary folder unless TEST_DATABASE_URL names another one
(CI runs the whole suite a second time on PostgreSQL that way).
"""

from __future__ import annotations

import os
import tempfile

os.environ["DDCHECK_ENV"] = "testing"

import pytest
from flask.testing import FlaskClient

from app import create_app
from app.extensions import db
from config import normalise_database_url
from tests import factories


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    The `app` fixture keeps an app context open for the test body; without this, requests
    would share its `g` (and the signed-in user cached there) and its database session.
    After each request the test's session forgets cached rows, so assertions see what the
    request wrote.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


def make_test_app(database_url: str, **overrides):
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
        # PDFs rendered by tests stay out of the instance folder a developer uses.
        "REPORT_CACHE_DIR": os.path.join(tempfile.gettempdir(), f"ddcheck-reports-{os.getpid()}"),
    }
    settings.update(overrides)
    app = create_app(settings)
    app.test_client_class = IsolatedClient
    # The loaded content is shared by every app of the process and remembers questionnaire
    # versions by row id; each test's fresh database numbers its versions anew.
    app.extensions["ddcheck.content"]._by_id.clear()
    return app


@pytest.fixture
def app_settings() -> dict:
    """Override in a test module to change settings of the `app` fixture."""
    return {}


@pytest.fixture
def app(database_url, app_settings):
    app = make_test_app(database_url, **app_settings)
    with app.app_context():
        db.drop_all()
        db.create_all()
    with app.app_context():
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def organisation(app):
    return factories.make_organisation("Acme Public Works")


@pytest.fixture
def admin(organisation):
    return factories.make_user(organisation, "admin")


@pytest.fixture
def assessor(organisation):
    return factories.make_user(organisation, "assessor")


@pytest.fixture
def viewer(organisation):
    return factories.make_user(organisation, "viewer")


@pytest.fixture
def other_admin(app):
    """An admin of a different organisation, to prove what one organisation cannot see."""
    other = factories.make_organisation("Other Org Ltd", kind="company")
    return factories.make_user(other, "admin", name="Olga Other")


@pytest.fixture
def admin_client(app, admin):
    return factories.signed_in(app.test_client(), admin)


@pytest.fixture
def assessor_client(app, assessor):
    return factories.signed_in(app.test_client(), assessor)


@pytest.fixture
def viewer_client(app, viewer):
    return factories.signed_in(app.test_client(), viewer)


@pytest.fixture
def other_client(app, other_admin):
    return factories.signed_in(app.test_client(), other_admin)
