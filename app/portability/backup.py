"""Backups: one archive holding a consistent snapshot of the database, the report cache
manifest, every evidence file a document names (`evidence/<sha256>`) and a manifest of the
whole (schema revision, app version, row counts, checksums, the evidence files).

SQLite is copied with its online backup API, so writers carry on while the copy is made;
PostgreSQL is dumped with `pg_dump -Fc` inside an exported snapshot, so the row counts of the
manifest describe exactly the rows of the dump. A restore checks everything it can before it
touches the database (the archive reads to the end, every checksum matches, the schema is
one this installation knows, every evidence file's content matches its name), then writes
the evidence files into the configured storage, replaces the database and runs the migrations
forward.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from flask import current_app
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.evidence.storage import SHA256, storage
from app.extensions import db

FORMAT = "ddcheck-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite"
POSTGRES_MEMBER = "database.pgdump"
CACHE_MEMBER = "report-cache.json"
# Evidence files go in as `evidence/<sha256>`: the name is the checksum of the content.
EVIDENCE_FOLDER = "evidence/"
_CHUNK = 1 << 20


class BackupError(Exception):
    """A backup could not be made or restored; the message says why, for the operator."""


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict[str, Any]
    migrated_to: str | None
    # Evidence files written into the storage (the others were there already).
    evidence_written: int = 0


def app_version() -> str:
    try:
        return metadata.version("ddcheck")
    except metadata.PackageNotFoundError:
        return "unknown"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def known_revisions() -> set[str]:
    """Every migration revision this installation ships."""
    from alembic.script import ScriptDirectory

    config = current_app.extensions["migrate"].migrate.get_config()
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


# --- creating ------------------------------------------------------------------------------


def create_backup(target: str | os.PathLike) -> dict[str, Any]:
    """Write a backup archive to `target` (made under a temporary name, then moved in place)
    and return its manifest."""
    target = Path(target)
    dialect = db.engine.dialect.name
    with tempfile.TemporaryDirectory(prefix="ddcheck-backup-") as work:
        work = Path(work)
        if dialect == "sqlite":
            member = SQLITE_MEMBER
            revision, counts, blobs = _sqlite_snapshot(work / member)
        elif dialect == "postgresql":
            member = POSTGRES_MEMBER
            revision, counts, blobs = _postgres_dump(work / member)
        else:
            raise BackupError(f"Backups of {dialect} databases are not supported.")
        (work / CACHE_MEMBER).write_text(json.dumps(_report_cache_manifest(), indent=2))
        files = {
            name: {"sha256": sha256_of(work / name), "size": (work / name).stat().st_size}
            for name in (member, CACHE_MEMBER)
        }
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "app_version": app_version(),
            "database": {"dialect": dialect, "file": member},
            "schema_revision": revision,
            "row_counts": counts,
            "files": files,
        }
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        try:
            with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
                for name in (member, CACHE_MEMBER):
                    archive.add(work / name, arcname=name)
                manifest["evidence"] = _add_evidence(archive, blobs)
                # Last, so that it can describe the evidence files streamed in before it.
                (work / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
                archive.add(work / MANIFEST, arcname=MANIFEST)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        os.replace(partial, target)
    return manifest


class _Hashing:
    """A file object that hashes what is read through it (tarfile streams from it)."""

    def __init__(self, source: IO[bytes]):
        self.source = source
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        return data


def _blob_size(handle: IO[bytes], recorded: int) -> int:
    # The size in the tar header must be right before the content is streamed: ask the file
    # itself where it can tell, else trust the size the document rows recorded.
    try:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(0)
        return size
    except (AttributeError, OSError, ValueError):
        return recorded


def _add_evidence(archive: tarfile.TarFile, blobs: dict[str, int]) -> dict[str, Any]:
    """Stream every evidence file the snapshot's documents name into the archive, each once,
    and return the manifest's account of them.

    A file missing from the storage does not stop the backup (the database matters more); it
    is listed as missing. A file whose content no longer matches its name is listed as damaged
    (it is in the archive, but a restore leaves it out).
    """
    store = storage()
    listed: dict[str, int] = {}
    missing: list[str] = []
    damaged: list[str] = []
    for sha256, recorded in sorted(blobs.items()):
        try:
            handle = store.open(sha256)
        except (FileNotFoundError, ValueError):
            missing.append(sha256)
            continue
        with handle:
            info = tarfile.TarInfo(EVIDENCE_FOLDER + sha256)
            info.size = _blob_size(handle, recorded)
            info.mtime = int(datetime.now(UTC).timestamp())
            info.mode = 0o640
            reader = _Hashing(handle)
            try:
                archive.addfile(info, reader)
            except OSError as error:
                # It shrank while it was read: the archive is broken from here on.
                raise BackupError(
                    f"The evidence file {sha256} changed while it was backed up ({error}); "
                    "no backup was written. Run the backup again."
                ) from error
        if reader.digest.hexdigest() != sha256:
            damaged.append(sha256)
        else:
            listed[sha256] = info.size
    return {
        "count": len(listed),
        "bytes": sum(listed.values()),
        "files": listed,
        "missing": missing,
        "damaged": damaged,
    }


def _sqlite_path() -> Path:
    database = make_url(db.engine.url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(database)


def _sqlite_snapshot(destination: Path) -> tuple[str | None, dict[str, int], dict[str, int]]:
    source = sqlite3.connect(_sqlite_path())
    copy = sqlite3.connect(destination)
    try:
        source.backup(copy)
    finally:
        source.close()
    try:
        revision, counts = _sqlite_facts(copy)
        blobs = {}
        if "evidence_file" in counts:
            blobs = dict(
                copy.execute("SELECT sha256, max(size) FROM evidence_file GROUP BY sha256")
            )
        return revision, counts, blobs
    finally:
        copy.close()


def _sqlite_facts(connection: sqlite3.Connection) -> tuple[str | None, dict[str, int]]:
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    counts = {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    revision = None
    if "alembic_version" in tables:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    return revision, counts


def _postgres_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not on the PATH: install the PostgreSQL client tools "
            "(for example the Debian package postgresql-client-15)."
        )
    return found


def _postgres_connection_args() -> tuple[list[str], dict[str, str]]:
    url = make_url(db.engine.url)
    args = []
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    # The password goes through the environment, never the command line others can read.
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _postgres_dump(destination: Path) -> tuple[str | None, dict[str, int], dict[str, int]]:
    pg_dump = _postgres_tool("pg_dump")
    args, env = _postgres_connection_args()
    database = make_url(db.engine.url).database
    connection = db.engine.connect().execution_options(isolation_level="REPEATABLE READ")
    with connection, connection.begin():
        # The dump and the counts read the same snapshot, so they describe the same rows.
        snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        tables = connection.execute(
            text(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
                "ORDER BY table_name"
            )
        ).scalars()
        counts = {
            t: connection.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()
            for t in list(tables)
        }
        revision = None
        if "alembic_version" in counts:
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        # The evidence files the dump's documents name, from the same snapshot.
        blobs = {}
        if "evidence_file" in counts:
            blobs = dict(
                connection.execute(
                    text("SELECT sha256, max(size) FROM evidence_file GROUP BY sha256")
                ).all()
            )
        completed = subprocess.run(
            [
                pg_dump,
                *args,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={destination}",
                f"--dbname={database}",
            ],
            env=env,
            capture_output=True,
            text=True,
        )
    if completed.returncode != 0:
        raise BackupError(f"pg_dump failed: {completed.stderr.strip()}")
    return revision, counts, blobs


def _report_cache_manifest() -> dict[str, Any]:
    """What the report cache held: file names, sizes and checksums (the PDFs themselves are
    rebuilt on demand, so they are not copied)."""
    configured = current_app.config.get("REPORT_CACHE_DIR")
    folder = Path(configured) if configured else Path(current_app.instance_path) / "report-cache"
    files = []
    if folder.is_dir():
        for path in sorted(folder.glob("*.pdf")):
            files.append(
                {"name": path.name, "size": path.stat().st_size, "sha256": sha256_of(path)}
            )
    return {"folder": str(folder), "files": files}


# --- restoring -----------------------------------------------------------------------------


def read_archive(source: str | os.PathLike, work: Path) -> dict[str, Any]:
    """Unpack and check an archive into `work`; returns its manifest or raises BackupError.

    Nothing is changed anywhere but in `work`. Evidence files are not unpacked: their content
    is read through once to check that it matches its name, and `restore_evidence` reads them
    from the archive again.
    """
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"There is no file {source}.")
    evidence: dict[str, str] = {}  # name -> sha256 of the content, as read
    try:
        with tarfile.open(source, "r:*") as archive:
            names = archive.getnames()
            for member in archive.getmembers():
                blob = _evidence_name(member.name)
                if member.isfile() and blob is not None:
                    evidence[blob] = _sha256_of_stream(archive.extractfile(member))
                elif not member.isfile() or "/" in member.name or member.name.startswith("."):
                    raise BackupError(
                        f"{source} is not a ddcheck backup: it holds {member.name!r}."
                    )
                else:
                    archive.extract(member, work, filter="data")
    except (tarfile.TarError, EOFError, OSError, ValueError) as error:
        raise BackupError(
            f"{source} is damaged or incomplete (was it truncated?) and cannot be read: {error}."
        ) from error
    if MANIFEST not in names:
        raise BackupError(f"{source} is not a ddcheck backup: it has no {MANIFEST}.")
    try:
        manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"The {MANIFEST} of {source} cannot be read: {error}.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is not a ddcheck backup.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{source} is a backup of format {manifest.get('format_version')!r}; this "
            f"installation reads format {FORMAT_VERSION}."
        )
    files = manifest.get("files")
    database = manifest.get("database")
    if not isinstance(files, dict) or not isinstance(database, dict):
        raise BackupError(f"The {MANIFEST} of {source} is incomplete.")
    if database.get("file") not in files:
        raise BackupError(f"The {MANIFEST} of {source} names no database file.")
    for name, facts in files.items():
        if not isinstance(name, str) or name not in names:
            raise BackupError(f"{source} lacks the file {name!r} its manifest lists.")
        expected = facts.get("sha256") if isinstance(facts, dict) else None
        if sha256_of(work / name) != expected:
            raise BackupError(
                f"The checksum of {name} in {source} does not match its manifest: the archive "
                "was changed or damaged. Nothing was restored."
            )
    _check_evidence(source, manifest, evidence)
    return manifest


def _evidence_name(name: str) -> str | None:
    """The sha256 an archive member holds an evidence file of, or None."""
    if name.startswith(EVIDENCE_FOLDER) and SHA256.match(name[len(EVIDENCE_FOLDER) :]):
        return name[len(EVIDENCE_FOLDER) :]
    return None


def _sha256_of_stream(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _listed_evidence(manifest: dict[str, Any]) -> dict[str, int]:
    """The evidence files a manifest lists (none in an archive made before there were any)."""
    evidence = manifest.get("evidence")
    if evidence is None:
        return {}
    files = evidence.get("files") if isinstance(evidence, dict) else None
    if not isinstance(files, dict):
        raise BackupError(
            f"The {MANIFEST} lists its evidence files in a form this installation does not read."
        )
    return files


def _check_evidence(source: Path, manifest: dict[str, Any], read: dict[str, str]) -> None:
    damaged = set((manifest.get("evidence") or {}).get("damaged") or [])
    for name, content in sorted(read.items()):
        # A file the backup already found damaged is known and left out; any other must match.
        if content != name and name not in damaged:
            raise BackupError(
                f"The evidence file {EVIDENCE_FOLDER}{name} in {source} does not match its "
                "checksum (its name): the archive was changed or damaged. Nothing was restored."
            )
    absent = [name for name in _listed_evidence(manifest) if name not in read]
    if absent:
        raise BackupError(
            f"{source} lacks {len(absent)} evidence file(s) its manifest lists "
            f"(the first: {EVIDENCE_FOLDER}{absent[0]}). Nothing was restored."
        )


def restore_evidence(source: str | os.PathLike, manifest: dict[str, Any]) -> int:
    """Write the archive's evidence files into the configured storage, skipping those already
    there; returns how many were written. Each is checked again as it streams in, and a file
    that does not match is never stored."""
    wanted = set(_listed_evidence(manifest))
    if not wanted:
        return 0
    store = storage()
    written = 0
    with tarfile.open(source, "r:*") as archive:
        for member in archive:
            name = _evidence_name(member.name)
            if name not in wanted or store.exists(name):
                continue
            store.save(name, _verified_chunks(archive.extractfile(member), name))
            written += 1
    return written


def _verified_chunks(stream: IO[bytes], sha256: str):
    # Raising after the last chunk makes the storage drop its temporary file: a blob whose
    # content changed since `read_archive` checked it never gets its name.
    digest = hashlib.sha256()
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
        yield chunk
    if digest.hexdigest() != sha256:
        raise BackupError(
            f"The evidence file {EVIDENCE_FOLDER}{sha256} changed while it was restored."
        )


def restore_backup(source: str | os.PathLike) -> RestoreResult:
    """Replace the database with the archive's snapshot and migrate it forward.

    Everything is checked first; a refused archive changes nothing. Stop the app before
    restoring: the running processes keep connections to the old database.
    """
    dialect = db.engine.dialect.name
    with tempfile.TemporaryDirectory(prefix="ddcheck-restore-") as work:
        work = Path(work)
        manifest = read_archive(source, work)
        database = manifest["database"]
        if database.get("dialect") != dialect:
            raise BackupError(
                f"This backup is of a {database.get('dialect')} database; this installation uses "
                f"{dialect}. Nothing was restored."
            )
        revision = manifest.get("schema_revision")
        if revision is not None and revision not in known_revisions():
            raise BackupError(
                f"This backup comes from a newer version of ddcheck (database schema {revision}, "
                f"app {manifest.get('app_version')}); this installation ({app_version()}) does "
                "not know that schema. Upgrade ddcheck first. Nothing was restored."
            )
        snapshot = work / database["file"]
        if dialect == "sqlite":
            _sqlite_check(snapshot)
        else:
            script = _postgres_script(snapshot)
        # The files go in before the rows that name them; extra files are harmless (content-
        # addressed, and `flask evidence orphans` finds any no row names).
        try:
            written = restore_evidence(source, manifest)
        except (OSError, tarfile.TarError) as error:
            raise BackupError(
                f"The evidence files could not be written to the evidence storage: {error}. "
                "The database was left as it was."
            ) from error
        db.session.remove()
        db.engine.dispose()
        if dialect == "sqlite":
            _sqlite_restore(snapshot)
        else:
            _postgres_load(script)
    db.engine.dispose()
    # Questionnaire versions are remembered by row id; the restored rows may number anew.
    content_cache = current_app.extensions.get("ddcheck.content")
    if content_cache is not None:
        content_cache._by_id.clear()
    migrated_to = None
    if revision is not None:
        from flask_migrate import upgrade

        upgrade()
        with db.engine.connect() as connection:
            migrated_to = connection.execute(
                text("SELECT version_num FROM alembic_version")
            ).scalar()
        db.engine.dispose()
    return RestoreResult(manifest=manifest, migrated_to=migrated_to, evidence_written=written)


def _sqlite_check(snapshot: Path) -> None:
    source = sqlite3.connect(snapshot)
    try:
        problem = source.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"The database in the backup cannot be read: {error}.") from error
    finally:
        source.close()
    if problem != "ok":
        raise BackupError(f"The database in the backup is damaged: {problem}.")


def _sqlite_restore(snapshot: Path) -> None:
    source = sqlite3.connect(snapshot)
    try:
        target = sqlite3.connect(_sqlite_path(), timeout=30)
        try:
            # The backup API copies page by page into the live file under one lock, so other
            # connections see the old database or the new one, never half of each.
            source.backup(target)
        finally:
            target.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"The database in the backup cannot be read: {error}.") from error
    finally:
        source.close()


def _postgres_script(snapshot: Path) -> Path:
    """The dump as an SQL script (checked readable), ready for `_postgres_load`."""
    pg_restore = _postgres_tool("pg_restore")
    _postgres_tool("psql")
    _, env = _postgres_connection_args()
    listing = subprocess.run([pg_restore, "--list", str(snapshot)], capture_output=True, env=env)
    if listing.returncode != 0:
        raise BackupError(
            "The database dump in the backup cannot be read: "
            f"{listing.stderr.decode(errors='replace').strip()}. Nothing was restored."
        )
    script = snapshot.with_suffix(".sql")
    completed = subprocess.run(
        [pg_restore, "--no-owner", "--no-privileges", f"--file={script}", str(snapshot)],
        capture_output=True,
        env=env,
    )
    if completed.returncode != 0:
        raise BackupError(
            f"pg_restore failed: {completed.stderr.decode(errors='replace').strip()}. "
            "Nothing was restored."
        )
    return script


def _postgres_load(script: Path) -> None:
    psql = _postgres_tool("psql")
    args, env = _postgres_connection_args()
    database = make_url(db.engine.url).database
    # One transaction empties the schema and loads the dump: tables of a later schema do not
    # linger, and a failure leaves the database as it was.
    preamble = script.with_suffix(".pre.sql")
    preamble.write_text(
        "DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n", encoding="utf-8"
    )
    completed = subprocess.run(
        [
            psql,
            *args,
            "--quiet",
            "--no-psqlrc",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            f"--file={preamble}",
            f"--file={script}",
            f"--dbname={database}",
        ],
        capture_output=True,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    if completed.returncode != 0:
        raise BackupError(
            f"Loading the dump failed: {completed.stderr.decode(errors='replace').strip()}. "
            "The database was left as it was."
        )


def describe(manifest: dict[str, Any]) -> str:
    """One paragraph about a backup, for the command line."""
    counts = manifest.get("row_counts") or {}
    buffer = io.StringIO()
    dialect = manifest.get("database", {}).get("dialect")
    revision = manifest.get("schema_revision") or "not stamped"
    buffer.write(
        f"{dialect} database, schema {revision}, ddcheck {manifest.get('app_version')}, "
        f"made {manifest.get('created_at')}: "
    )
    buffer.write(", ".join(f"{table} {count}" for table, count in sorted(counts.items())))
    evidence = manifest.get("evidence")
    if isinstance(evidence, dict):
        buffer.write(
            f"; evidence files {evidence.get('count', 0)} ({_size(evidence.get('bytes', 0))})"
        )
    return buffer.getvalue()


def evidence_problems(manifest: dict[str, Any]) -> str | None:
    """A warning for the operator when documents name evidence files the backup could not
    hold (missing from the storage, or damaged), or None."""
    evidence = manifest.get("evidence")
    if not isinstance(evidence, dict):
        return None
    missing = len(evidence.get("missing") or [])
    damaged = len(evidence.get("damaged") or [])
    if not missing and not damaged:
        return None
    parts = []
    if missing:
        parts.append(
            f"{missing} evidence file(s) that documents name were missing from the storage"
        )
    if damaged:
        parts.append(f"{damaged} evidence file(s) were damaged (content does not match the name)")
    return (
        "WARNING: " + " and ".join(parts) + "; they are not in this backup, and their "
        "documents will not download after a restore. The manifest lists their sha256."
    )


def _size(count: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count} bytes"
