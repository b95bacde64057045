"""Started once and forked (gunicorn --preload), the app must not hand its workers a shared
database connection: the start-up check closes what it opened."""

from __future__ import annotations

from app.extensions import db
from tests.conftest import make_test_app


def test_the_app_keeps_no_database_connection_open_after_it_starts(app, database_url):
    started = make_test_app(database_url)
    with started.app_context():
        assert db.engine.pool.checkedin() == 0
