"""Backups: backup -> empty database -> restore gives identical rows in every table and the
documents' files, and a bad archive is refused with a clear message without changing anything
(SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import json
import tarfile
from datetime import UTC, datetime

import pytest
from flask import current_app
from flask_migrate import stamp
from sqlalchemy import MetaData, func, select, text

from app import demo
from app.evidence.storage import storage
from app.extensions import db
from app.models import Organisation
from app.portability import backup
from tests import evidence_samples as samples
from tests import factories
from tests.web.test_evidence import attach, documents_of


@pytest.fixture
def stamped(app):
    """The test database, stamped at the latest migration as `db upgrade` leaves it."""
    stamp()
    yield app
    db.session.remove()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def every_row() -> dict[str, list[tuple]]:
    """Every row of every table of the database, in a stable order."""
    db.session.remove()
    reflected = MetaData()
    reflected.reflect(bind=db.engine)
    rows = {}
    with db.engine.connect() as connection:
        for name, table in sorted(reflected.tables.items()):
            order = list(table.primary_key.columns) or list(table.columns)
            rows[name] = [tuple(r) for r in connection.execute(select(table).order_by(*order))]
    return rows


def empty_the_database() -> None:
    """Drop every table there is, also those an older schema has under other names."""
    db.session.remove()
    existing = MetaData()
    existing.reflect(bind=db.engine)
    existing.drop_all(bind=db.engine)


def organisation_count() -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(Organisation))


def test_backup_then_restore_into_an_empty_database_gives_identical_rows(stamped, tmp_path):
    demo.seed()
    before = every_row()
    assert before["answer"] and before["workshop_team"] and before["action_item"]

    manifest = backup.create_backup(tmp_path / "nightly.tar.gz")
    assert manifest["row_counts"]["answer"] == len(before["answer"])
    assert manifest["schema_revision"] in backup.known_revisions()

    empty_the_database()
    assert "answer" not in every_row()
    result = backup.restore_backup(tmp_path / "nightly.tar.gz")

    assert every_row() == before
    assert result.migrated_to == manifest["schema_revision"]


def test_the_command_line_makes_and_restores_a_backup(stamped, runner, tmp_path, organisation):
    archive = tmp_path / "cli.tar.gz"
    made = runner.invoke(args=["backup", "create", str(archive)])
    assert made.exit_code == 0, made.output
    assert "organisation 1" in made.output

    empty_the_database()
    restored = runner.invoke(args=["backup", "restore", "--yes", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert organisation_count() == 1


def _rewrite(archive, target, *, manifest_change=None, member_change=None):
    """Copy an archive, changing its manifest (checksums kept valid) or a member's bytes."""
    with tarfile.open(archive) as source:
        members = {m.name: source.extractfile(m).read() for m in source.getmembers()}
    manifest = json.loads(members["manifest.json"])
    if member_change:
        name, data = member_change(manifest)
        members[name] = data
    if manifest_change:
        manifest_change(manifest)
    members["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(target, "w:gz") as out:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))


def _refused(archive, *words):
    """Restoring `archive` fails with a message holding `words` and changes no row."""
    before = every_row()
    with pytest.raises(backup.BackupError) as refusal:
        backup.restore_backup(archive)
    for word in words:
        assert word in str(refusal.value)
    assert every_row() == before
    return str(refusal.value)


def test_a_truncated_archive_is_refused_and_changes_nothing(stamped, tmp_path, organisation):
    archive = tmp_path / "whole.tar.gz"
    backup.create_backup(archive)
    data = archive.read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(data[: len(data) // 2])
    _refused(cut, "damaged or incomplete")


def test_an_archive_of_a_newer_schema_is_refused(stamped, tmp_path, organisation):
    archive = tmp_path / "whole.tar.gz"
    backup.create_backup(archive)
    newer = tmp_path / "newer.tar.gz"
    _rewrite(archive, newer, manifest_change=lambda m: m.update(schema_revision="ffff00000000"))
    _refused(newer, "newer version of ddcheck", "ffff00000000", "Nothing was restored")


def test_an_archive_whose_database_does_not_match_its_checksum_is_refused(
    stamped, tmp_path, organisation
):
    archive = tmp_path / "whole.tar.gz"
    backup.create_backup(archive)
    changed = tmp_path / "changed.tar.gz"
    _rewrite(
        archive,
        changed,
        member_change=lambda m: (m["database"]["file"], b"not the database at all"),
    )
    _refused(changed, "checksum", "does not match")


def test_a_file_that_is_no_backup_is_refused_on_the_command_line(stamped, runner, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"hello, this is not an archive")
    result = runner.invoke(args=["backup", "restore", "--yes", str(junk)])
    assert result.exit_code == 1
    assert "cannot be read" in result.output


def test_a_backup_of_an_older_schema_is_restored_and_migrated_forward(stamped, tmp_path):
    from alembic.script import ScriptDirectory
    from flask import current_app
    from flask_migrate import upgrade

    config = current_app.extensions["migrate"].migrate.get_config()
    scripts = ScriptDirectory.from_config(config)
    head = scripts.get_current_head()
    older = scripts.get_revision(head).down_revision
    empty_the_database()
    upgrade(revision=older)
    organisation_table = MetaData()
    organisation_table.reflect(bind=db.engine, only=["organisation"])
    with db.engine.begin() as connection:
        connection.execute(
            organisation_table.tables["organisation"]
            .insert()
            .values(name="Old Times Ltd", kind="company", created_at=datetime.now(UTC))
        )
    manifest = backup.create_backup(tmp_path / "older.tar.gz")
    assert manifest["schema_revision"] == older

    empty_the_database()
    result = backup.restore_backup(tmp_path / "older.tar.gz")

    assert result.migrated_to == head
    assert organisation_count() == 1
    assert set(every_row()) >= {t.name for t in db.metadata.sorted_tables}


# --- evidence files ------------------------------------------------------------------------


def _attach_two_documents(admin, admin_client):
    """A draft with two documents, one of them backing two answers (stored once)."""
    draft = factories.make_assessment(admin.organisation, admin)
    policy = samples.pdf("Recruitment fee policy, backed up")
    for question in ("fees-policy", "policy-commitment"):
        attach(admin_client, draft, policy, "policy.pdf", question=question)
    attach(admin_client, draft, samples.csv_file(), "payroll.csv", question="fees-policy")
    documents = {d.id: storage().open(d.sha256).read() for d in documents_of(draft)}
    assert len(documents) == 2
    return draft, documents


def test_documents_download_byte_for_byte_after_a_restore_into_another_evidence_folder(
    stamped, admin, admin_client, tmp_path, monkeypatch
):
    draft, documents = _attach_two_documents(admin, admin_client)
    manifest = backup.create_backup(tmp_path / "with-documents.tar.gz")
    assert (manifest["evidence"]["count"], manifest["evidence"]["bytes"]) == (
        2,
        sum(len(content) for content in documents.values()),
    )
    assert "evidence files 2" in backup.describe(manifest)

    monkeypatch.setitem(current_app.config, "EVIDENCE_DIR", str(tmp_path / "elsewhere"))
    empty_the_database()
    result = backup.restore_backup(tmp_path / "with-documents.tar.gz")

    assert result.evidence_written == 2
    for document_id, content in documents.items():
        response = admin_client.get(f"/assessments/{draft.id}/evidence/{document_id}")
        assert response.status_code == 200 and response.data == content


def test_a_tampered_evidence_file_is_refused_and_nothing_changes(
    stamped, admin, admin_client, tmp_path, monkeypatch
):
    _attach_two_documents(admin, admin_client)
    archive = tmp_path / "whole.tar.gz"
    manifest = backup.create_backup(archive)
    blob = sorted(manifest["evidence"]["files"])[0]
    tampered = tmp_path / "tampered.tar.gz"
    _rewrite(archive, tampered, member_change=lambda m: (f"evidence/{blob}", b"forged contract"))
    monkeypatch.setitem(current_app.config, "EVIDENCE_DIR", str(tmp_path / "elsewhere"))

    message = _refused(tampered, f"evidence/{blob}", "does not match", "Nothing was restored")

    assert "checksum" in message
    assert list(storage().names()) == []


def test_a_file_missing_from_the_storage_is_named_but_the_backup_is_made(
    stamped, admin, admin_client, runner, tmp_path
):
    draft, _ = _attach_two_documents(admin, admin_client)
    gone = documents_of(draft)[0].sha256
    storage().delete(gone)

    made = runner.invoke(args=["backup", "create", str(tmp_path / "partial.tar.gz")])

    assert made.exit_code == 0, made.output
    assert "evidence files 1" in made.output
    assert "WARNING: 1 evidence file(s) that documents name were missing" in made.output
    with tarfile.open(tmp_path / "partial.tar.gz") as archive:
        assert f"evidence/{gone}" not in archive.getnames()
        manifest = json.load(archive.extractfile("manifest.json"))
    assert manifest["evidence"]["missing"] == [gone]


def test_an_archive_from_before_evidence_files_still_restores(stamped, tmp_path, organisation):
    archive = tmp_path / "whole.tar.gz"
    backup.create_backup(archive)
    older = tmp_path / "before-evidence.tar.gz"
    _rewrite(archive, older, manifest_change=lambda m: m.pop("evidence"))

    empty_the_database()
    result = backup.restore_backup(older)

    assert organisation_count() == 1
    assert result.evidence_written == 0
    assert "evidence files" not in backup.describe(result.manifest)
