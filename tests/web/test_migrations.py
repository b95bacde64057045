"""The Alembic migrations build an empty database up to the models, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from config import normalise_database_url


def _postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "")
    return normalise_database_url(url) if url.startswith("postgres") else None


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    """An empty database of each kind; PostgreSQL only where TEST_DATABASE_URL names one."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/migrations.sqlite"
        return
    base = _postgres_url()
    if base is None:
        pytest.skip("PostgreSQL leg only: set TEST_DATABASE_URL to a PostgreSQL database")
    name = f"ddcheck_migrations_{uuid.uuid4().hex[:8]}"
    admin_engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin_engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()


def test_migrations_bring_an_empty_database_to_head_matching_the_models(empty_database):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"organisation", "user_account", "alembic_version"} <= tables
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            differences = compare_metadata(context, db.metadata)
        assert differences == [], f"models and migrations differ: {differences}"
        db.engine.dispose()


def test_the_glossary_migration_keeps_old_data_and_its_questionnaire_current(empty_database):
    """Rows written under the former words (procurer, public_buyer, review marks, question
    requests) come out under today's, and a buyer assessment stored before the renaming still
    counts as answered on today's questionnaire (its content hash is recomputed)."""
    import json
    from datetime import UTC, datetime

    import questionnaires as engine
    from app.content import content

    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade(revision="fab0347398ba")
        today = content().get("buyer")
        before = {**today.snapshot(), "key": "procurer", "audience": "procurer"}
        now = datetime.now(UTC)
        rows = [
            (
                "INSERT INTO organisation (id, name, kind, created_at) "
                "VALUES (1, 'Old Buyer', 'public_buyer', :now)",
                {},
            ),
            (
                "INSERT INTO user_account (id, organisation_id, email, name, password_hash, "
                "role, created_at, session_version) "
                "VALUES (1, 1, 'a@example.org', 'A', 'x', 'admin', :now, 0)",
                {},
            ),
            (
                "INSERT INTO questionnaire_version (id, key, version, content_hash, title, "
                "audience, data, created_at) "
                "VALUES (1, 'procurer', :version, :hash, 'T', 'procurer', :data, :now)",
                {
                    "version": today.version,
                    "hash": engine.hash_snapshot(before),
                    "data": json.dumps(before),
                },
            ),
            (
                "INSERT INTO assessment (id, organisation_id, questionnaire_version_id, subject, "
                "status, kind, created_at, updated_at, language) "
                "VALUES (1, 1, 1, 'Old', 'submitted', 'contractor', :now, :now, 'en')",
                {},
            ),
            (
                "INSERT INTO contractor_assessment (id, assessment_id, contractor_name, "
                "contact_email, results_visible, review_status, plan_required) "
                "VALUES (1, 1, 'C', 'c@example.org', false, 'none', false)",
                {},
            ),
            (
                "INSERT INTO review_mark (id, assessment_id, question_key, verdict, updated_at) "
                "VALUES (1, 1, 'q', 'clarify', :now)",
                {},
            ),
            (
                "INSERT INTO question_request (id, assessment_id, question_key, colleague_id, "
                "created_at) VALUES (1, 1, 'q', 1, :now)",
                {},
            ),
            (
                "INSERT INTO team_event (organisation_id, event, subject_label, actor_label, "
                "created_at) VALUES (1, 'disabled', 'A', 'B', :now)",
                {},
            ),
            (
                "INSERT INTO audit_entry (assessment_id, event, created_at) "
                "VALUES (1, 'question-handed', :now)",
                {},
            ),
        ]
        with db.engine.begin() as connection:
            for sql, values in rows:
                connection.execute(text(sql), {"now": now, **values})
        upgrade()
        with db.engine.connect() as connection:
            one = connection.execute
            assert one(text("SELECT kind FROM organisation")).scalar() == "buyer"
            version = one(
                text("SELECT key, audience, content_hash FROM questionnaire_version")
            ).one()
            assert tuple(version) == ("buyer", "buyer", today.content_hash)
            assert (
                one(text("SELECT review_status FROM contractor_assessment")).scalar() == "in-review"
            )
            assert one(text("SELECT verdict FROM review_note")).scalar() == "clarify"
            assert one(text("SELECT colleague_id FROM handover")).scalar() == 1
            assert one(text("SELECT event FROM audit_entry")).scalar() == "question-handed-over"
            assert one(text("SELECT event FROM colleague_event")).scalar() == "disabled"
            # New rows get fresh ids after the copied ones.
            one(
                text(
                    "INSERT INTO review_note (assessment_id, question_key, verdict, updated_at) "
                    "VALUES (1, 'r', 'accepted', :now)"
                ),
                {"now": now},
            )
        db.engine.dispose()
