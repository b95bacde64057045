"""Backup and restore of a database with 1,000 submitted assessments and 80 MiB of evidence
files (time and peak memory).

The assessments (supplier questionnaire, generated answers, one audit entry per answer) are
written straight to the database. `flask backup create` and `flask backup restore` (into an
emptied database) are then timed once each; peak memory is Python's own (tracemalloc) and,
on PostgreSQL, the largest child process (pg_dump, pg_restore, psql). SQLite by default;
BENCH_DATABASE_URL names a PostgreSQL database to measure that instead (it is emptied).
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
import tracemalloc

ASSESSMENTS = 1000
# Evidence files in the backup: streamed into the archive and back out, never held whole.
EVIDENCE_FILES = 40
EVIDENCE_FILE_BYTES = 2 * 1024 * 1024


def _attach_evidence(db, assessment_ids):
    import hashlib

    from sqlalchemy import insert

    from app.evidence.storage import storage
    from app.models import EvidenceFile

    rows = []
    for n in range(EVIDENCE_FILES):
        content = os.urandom(EVIDENCE_FILE_BYTES)  # incompressible, like most PDFs and scans
        sha256 = hashlib.sha256(content).hexdigest()
        storage().save(sha256, [content])
        rows.append(
            {
                "assessment_id": assessment_ids[n % len(assessment_ids)],
                "sha256": sha256,
                "title": f"Document {n}",
                "filename": f"document-{n}.pdf",
                "media_type": "application/pdf",
                "size": len(content),
            }
        )
    db.session.execute(insert(EvidenceFile), rows)


def _populate(db, organisation, user, supplier):
    from sqlalchemy import insert

    import questionnaires as engine
    from app.content import content
    from app.models import (
        Answer,
        Assessment,
        AssessmentKind,
        AssessmentStatus,
        AuditEntry,
        utcnow,
    )

    version = content().version_row(supplier)
    now = utcnow()
    db.session.execute(
        insert(Assessment),
        [
            {
                "organisation_id": organisation.id,
                "questionnaire_version_id": version.id,
                "subject": f"Site {n:04d}",
                "status": AssessmentStatus.SUBMITTED,
                "kind": AssessmentKind.SELF,
                "created_at": now,
                "updated_at": now,
                "submitted_at": now,
                "created_by_id": user.id,
            }
            for n in range(ASSESSMENTS)
        ],
    )
    from sqlalchemy import select

    ids = db.session.scalars(select(Assessment.id).order_by(Assessment.id)).all()
    answers, audit = [], []
    for n, assessment_id in enumerate(ids):
        for key, answer in engine.sample_answers(
            supplier, seed=n, level=0.3 + (n % 7) / 10
        ).items():
            state = {
                "value": answer.value,
                "na_reason": answer.na_reason,
                "comment": answer.comment,
            }
            answers.append(
                dict(
                    state,
                    assessment_id=assessment_id,
                    question_key=key,
                    revision=1,
                    updated_at=now,
                    updated_by_label=user.name,
                    updated_by_id=user.id,
                )
            )
            audit.append(
                {
                    "assessment_id": assessment_id,
                    "event": "answer",
                    "question_key": key,
                    "old": None,
                    "new": state,
                    "actor_id": user.id,
                    "actor_label": user.name,
                    "created_at": now,
                }
            )
        if len(answers) > 20000:
            db.session.execute(insert(Answer), answers)
            db.session.execute(insert(AuditEntry), audit)
            answers, audit = [], []
    if answers:
        db.session.execute(insert(Answer), answers)
        db.session.execute(insert(AuditEntry), audit)
    _attach_evidence(db, ids)
    db.session.commit()


def _measure(work):
    tracemalloc.start()
    started = time.perf_counter()
    result = work()
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, elapsed, peak


def run():
    from flask_migrate import stamp
    from sqlalchemy import text

    from app.content import content
    from app.extensions import db
    from app.portability import backup
    from config import normalise_database_url
    from tests.conftest import make_test_app
    from tests.factories import make_organisation, make_user

    folder = tempfile.mkdtemp(prefix="ddcheck-bench-")
    url = os.environ.get("BENCH_DATABASE_URL")
    url = normalise_database_url(url) if url else f"sqlite:///{folder}/bench.sqlite"
    app = make_test_app(url, EVIDENCE_DIR=os.path.join(folder, "evidence"))
    archive = os.path.join(folder, "backup.tar.gz")
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        stamp()
        organisation = make_organisation("Bench Company", "company")
        user = make_user(organisation, "admin")
        _populate(db, organisation, user, content().get("supplier"))
        manifest, made, made_peak = _measure(lambda: backup.create_backup(archive))
        counts = manifest["row_counts"]
        db.session.remove()
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        # Into an empty evidence folder, as on a new machine.
        app.config["EVIDENCE_DIR"] = os.path.join(folder, "evidence-restored")
        _result, restored, restored_peak = _measure(lambda: backup.restore_backup(archive))
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.engine.dispose()
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    dialect = manifest["database"]["dialect"]
    size = os.path.getsize(archive) / 1024 / 1024
    yield (
        f"{dialect}: {counts['assessment']} submitted assessments, {counts['answer']} answers, "
        f"{counts['audit_entry']} audit entries, {manifest['evidence']['count']} evidence files "
        f"({manifest['evidence']['bytes'] / 1024 / 1024:.0f} MiB); archive {size:.1f} MiB"
    )
    yield f"backup create:  {made:6.2f} s, peak Python memory {made_peak / 1024 / 1024:6.1f} MiB"
    yield (
        f"backup restore: {restored:6.2f} s, peak Python memory {restored_peak / 1024 / 1024:6.1f} "
        "MiB (checks, replaces, migrates)"
    )
    if dialect == "postgresql":
        yield f"largest child process (pg_dump, pg_restore, psql): {children:.1f} MiB"
