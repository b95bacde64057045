"""Fixtures shared by every test: an app on a clean database, clients signed in per role.

The database is SQLite in a temporary folder unless TEST_DATABASE_URL names another one
(CI runs the suite a second time on PostgreSQL that way, leaving out the tests that use no
database: they would only repeat the first run). Under pytest-xdist each worker
has its own SQLite file, or its own PostgreSQL database made beside the named one.

Speed: the schema is built once per session and emptied before each test (a test that changes
the schema, such as a restore or a migration, gets it rebuilt); an app is built once per
combination of settings and reused, its settings, throttling counters and caches reset before
each test. A test that adds routes or hooks to its app gets a fresh app next time.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import OrderedDict

os.environ["DDCHECK_ENV"] = "testing"

import pytest
from flask import Flask
from flask.testing import FlaskClient
from limits.storage import MemoryStorage
from sqlalchemy import MetaData, create_engine, event, text
from sqlalchemy.engine import Engine, make_url

from app import create_app
from app.auth import throttle
from app.extensions import db, limiter
from config import normalise_database_url
from tests import factories

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


# --- the order files are handed to xdist workers: the longest first ---

# The files that take longest, longest first (measured with --durations on 2 cores; refresh when
# a file grows). `make test` runs `--dist loadfile --no-loadscope-reorder`: a worker runs a whole
# file, and files are handed out in collection order. Started last, one of these kept a worker
# busy for a minute after the others had finished; started first, the short files fill the gaps.
LONGEST_FILES = [
    "web/test_no_input_breaks_a_page.py",
    "web/test_report_pages.py",
    "web/test_report_queue.py",
    "browser/test_accessibility_and_phones.py",
    "web/test_assessments.py",
    "web/test_fuzz_routes.py",
    "web/test_action_plans.py",
    "browser/test_evidence_journey.py",
    "web/test_contractor_comparison.py",
    "web/test_workshops.py",
    "web/test_contractor_report.py",
    "browser/test_russian_journey.py",
    "browser/test_action_plan_journey.py",
    "reports/test_report_pdf.py",
    "web/test_capped_verdicts.py",
    "web/test_contractor_scope.py",
    "web/test_valid_html.py",
    "engine/test_properties.py",
    "browser/test_multilingual_contractors_journey.py",
    "web/test_cli.py",
    "web/test_evidence.py",
    "portability/test_assessment_file.py",
    "browser/test_contractor_journey.py",
    "browser/test_saving_and_polling.py",
    "web/test_languages.py",
    "reports/test_report_evidence.py",
    "browser/test_workshop_journey.py",
    "reports/test_report_primary_resources.py",
    "web/test_submission_race.py",
    "web/test_questionnaire_versions.py",
]


# A test reaches a database only through one of these fixtures (directly or through `app`,
# `client` and the rest, which all ask for `database_url`).
DATABASE_FIXTURES = {"database_url", "empty_database"}


def pytest_collection_modifyitems(config, items):
    """The longest files first, the rest in their usual order (each file's tests unchanged).

    On another database than SQLite only the tests that use a database run: the others (the
    engine, the report's layout, the architecture, pure helpers) would repeat the SQLite leg
    exactly. They are reported as deselected."""
    if _named_database():
        used = {item: bool(DATABASE_FIXTURES & set(item.fixturenames)) for item in items}
        config.hook.pytest_deselected(items=[item for item in items if not used[item]])
        items[:] = [item for item in items if used[item]]
    rank = {f"tests/{name}": place for place, name in enumerate(LONGEST_FILES)}
    last = len(rank)
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], last))


def _named_database() -> bool:
    """Whether TEST_DATABASE_URL names a database other than SQLite (the PostgreSQL leg)."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    return bool(url) and not url.startswith("sqlite")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")
        yield url
        _forget_engine(url)
        return
    url = normalise_database_url(url)
    if not WORKER or not url.startswith("postgresql"):
        yield url
        _drop_schema(url)
        return
    # One database per xdist worker, made beside the named one and dropped at the end.
    name = f"{make_url(url).database}_{WORKER}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        # A test database need not survive a power cut: commits don't wait for the disk.
        connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    worker_url = make_url(url).set(database=name).render_as_string(hide_password=False)
    try:
        yield worker_url
    finally:
        _forget_engine(worker_url)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- the schema: built once, emptied before each test, rebuilt after a test changed it ---

_engines: dict[str, Engine] = {}
_schema_ready: set[str] = set()
_DDL = re.compile(r"^\s*(CREATE|DROP|ALTER)\b", re.IGNORECASE)


def _engine(url: str) -> Engine:
    if url not in _engines:
        _engines[url] = create_engine(url)
    return _engines[url]


def _forget_engine(url: str) -> None:
    _schema_ready.discard(url)
    engine = _engines.pop(url, None)
    if engine is not None:
        engine.dispose()


@event.listens_for(Engine, "before_cursor_execute")
def _notice_schema_changes(connection, cursor, statement, parameters, context, executemany):
    """A test that creates, drops or alters tables in a test database (a restore, a migration,
    `drop_all`) leaves a schema the next test cannot trust: it is rebuilt before that test."""
    if _schema_ready and _DDL.match(statement):
        database = connection.engine.url.database
        for url in list(_schema_ready):
            if make_url(url).database == database:
                _schema_ready.discard(url)


def _drop_everything(engine: Engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        return
    reflected = MetaData()
    reflected.reflect(bind=engine)
    reflected.drop_all(bind=engine)


def _drop_schema(url: str) -> None:
    if url in _engines:
        _drop_everything(_engines[url])
    _forget_engine(url)


def clean_database(url: str) -> None:
    """Every table of the models, empty, with ids counting from 1 as in a new database."""
    engine = _engine(url)
    if url in _schema_ready and _tables(engine) != _model_tables():
        _schema_ready.discard(url)  # changed behind SQLAlchemy's back (psql, another process)
    if url not in _schema_ready:
        _drop_everything(engine)
        db.metadata.create_all(bind=engine)
        _schema_ready.add(url)
        return
    # DELETE, from the last dependant table up: far cheaper than TRUNCATE or a new schema on
    # tables that hold a few rows. PostgreSQL gets it all in one round trip.
    deletes = [f"DELETE FROM {_quoted(engine, t)}" for t in reversed(db.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            restarts = [f"SELECT setval('{s}', 1, false)" for s in _sequences(connection)]
            connection.exec_driver_sql("; ".join(deletes + restarts))
            return
        for statement in deletes:
            connection.exec_driver_sql(statement)
        # Tables declared AUTOINCREMENT remember their last id here.
        sequences = "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"
        if connection.exec_driver_sql(sequences).first():
            connection.exec_driver_sql("DELETE FROM sqlite_sequence")


def _quoted(engine: Engine, table) -> str:
    return engine.dialect.identifier_preparer.format_table(table)


def _tables(bind) -> set[str]:
    """The tables in the database, in one query."""
    if bind.dialect.name == "postgresql":
        query = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    if isinstance(bind, Engine):
        with bind.connect() as connection:
            return set(connection.exec_driver_sql(query).scalars())
    return set(bind.exec_driver_sql(query).scalars())


def _model_tables() -> set[str]:
    return {table.name for table in db.metadata.sorted_tables}


_sequence_names: list[str] | None = None


def _sequences(connection) -> list[str]:
    """The sequences that number the rows of the models' tables (PostgreSQL)."""
    global _sequence_names
    if _sequence_names is None:
        found = []
        for table in db.metadata.sorted_tables:
            for column in table.primary_key.columns:
                name = connection.execute(
                    text("SELECT pg_get_serial_sequence(:t, :c)"),
                    {"t": table.name, "c": column.name},
                ).scalar()
                if name:
                    found.append(name)
        _sequence_names = found
    return _sequence_names


# --- apps: one per combination of settings, reset before each test ---

_apps: OrderedDict[str, Flask] = OrderedDict()
_MAX_APPS = 6


def _fingerprint(app: Flask) -> tuple:
    """What a test may add to an app that the next test must not see."""
    return (
        tuple(sorted(app.view_functions)),
        len(list(app.url_map.iter_rules())),
        _handlers(app.error_handler_spec),
        _handlers(app.before_request_funcs),
        _handlers(app.after_request_funcs),
        _handlers(app.teardown_request_funcs),
        _handlers(app.template_context_processors),
    )


def _handlers(registry) -> str:
    """A registry of hooks or error handlers without its empty entries: Flask keeps them in
    defaultdicts that gain an empty entry whenever a request looks a handler up (every 403 or
    404 did), which made a reused app look changed and be built again for the next test."""

    def filled(value):
        if isinstance(value, dict):
            entries = ((key, filled(v)) for key, v in value.items())
            return {key: v for key, v in entries if v}
        return value

    return repr(sorted(filled(registry).items(), key=repr))


def _remember_state(app: Flask) -> None:
    state = {
        "config": dict(app.config),
        # The limiter is one object shared by every app; each app's own state is put back.
        "limiter": dict(limiter.__dict__),
        "fingerprint": _fingerprint(app),
    }
    app.extensions["ddcheck.test_state"] = state
    state["extensions"] = set(app.extensions)


def _reset(app: Flask) -> None:
    state = app.extensions["ddcheck.test_state"]
    app.config.clear()
    app.config.update(state["config"])
    limiter.__dict__.update(state["limiter"])
    # What the app kept since it was built (the test outbox of sent mail, caches) is
    # forgotten, as a new app would not have it.
    for key in set(app.extensions) - state["extensions"]:
        del app.extensions[key]
    for store in (limiter.__dict__.get("_storage"), app.extensions.get(throttle.EXTENSION)):
        if isinstance(store, MemoryStorage):
            store.reset()
    # Tests may add routes to an app they are given; a reused app has served requests before.
    app._got_first_request = False
    # The loaded content is shared by every app of the process and remembers questionnaire
    # versions by row id; each test's emptied database numbers its versions anew.
    app.extensions["ddcheck.content"]._by_id.clear()


def shared_test_app(database_url: str, **settings) -> Flask:
    """The test app for these settings on a clean database: built once, reset for each test."""
    clean_database(database_url)
    key = repr((database_url, sorted(settings.items())))
    app = _apps.get(key)
    if app is None:
        app = make_test_app(database_url, **settings)
        _remember_state(app)
        _apps[key] = app
        while len(_apps) > _MAX_APPS:
            _, old = _apps.popitem(last=False)
            with old.app_context():
                db.engine.dispose()
    else:
        _apps.move_to_end(key)
        _reset(app)
    return app


def release_test_app(app: Flask) -> None:
    """After a test: an app the test added routes or hooks to is not used again."""
    if _fingerprint(app) != app.extensions["ddcheck.test_state"]["fingerprint"]:
        for key, cached in list(_apps.items()):
            if cached is app:
                del _apps[key]
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app_settings() -> dict:
    """Override in a test module to change settings of the `app` fixture."""
    return {}


@pytest.fixture
def app(database_url, app_settings):
    app = shared_test_app(database_url, **app_settings)
    with app.app_context():
        yield app
        db.session.remove()
    release_test_app(app)


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
        # ...and so do the evidence files they upload.
        "EVIDENCE_DIR": os.path.join(tempfile.gettempdir(), f"ddcheck-evidence-{os.getpid()}"),
        "EVIDENCE_QUARANTINE_DIR": os.path.join(
            tempfile.gettempdir(), f"ddcheck-quarantine-{os.getpid()}"
        ),
    }
    settings.update(overrides)
    app = create_app(settings)
    app.test_client_class = IsolatedClient
    # The loaded content is shared by every app of the process and remembers questionnaire
    # versions by row id; each test's fresh database numbers its versions anew.
    app.extensions["ddcheck.content"]._by_id.clear()
    return app


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
