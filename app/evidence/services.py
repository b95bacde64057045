"""Evidence: attaching documents to answers, the document library of an assessment, carrying
documents to a reused response or next year's assessment, and removing blobs nobody uses.

Views call these and never touch files: the content goes through `storage()`. Every attach and
removal is written to the assessment's audit trail.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app import audit
from app.audit import AuditEvent
from app.content import content
from app.evidence import checks
from app.evidence.checks import EvidenceRefused
from app.evidence.scanner import ScannerUnavailable, scanner
from app.evidence.storage import LocalDiskStorage, quarantine_dir, storage
from app.extensions import db
from app.models import Assessment, AssessmentKind, EvidenceFile, EvidenceLink
from app.models.types import utcnow
from app.scoping import Principal

log = logging.getLogger(__name__)

CHUNK = 1 << 20


class EvidenceNotFound(LookupError):
    """No such document in this assessment's library, or not attached to that answer."""


def _user_id(principal: Principal) -> int | None:
    return principal.user.id if principal.user is not None else None


def _require_changeable(assessment: Assessment) -> None:
    if assessment.kind == AssessmentKind.WORKSHOP_TEAM:
        raise EvidenceRefused(_l("Workshop teams do not attach documents."))
    if not assessment.is_draft:
        raise EvidenceRefused(
            _l("This assessment is submitted: its documents can no longer change.")
        )


def _require_question(assessment: Assessment, question_key: str) -> None:
    questionnaire = content().of_version_id(assessment.questionnaire_version_id)
    if not questionnaire.has_question(question_key):
        raise EvidenceNotFound(question_key)


def _clean_title(title: str | None, filename: str) -> str:
    text = " ".join((title or "").replace("\x00", "").split())
    return (text or filename.rsplit(".", 1)[0])[:200]


def _seekable(stream: IO[bytes]) -> IO[bytes]:
    """The upload as a seekable file (Werkzeug spools large uploads to disk already)."""
    try:
        stream.seek(0)
        return stream
    except (AttributeError, OSError):
        spooled = tempfile.SpooledTemporaryFile(max_size=CHUNK)  # noqa: SIM115 (returned open)
        while chunk := stream.read(CHUNK):
            spooled.write(chunk)
        spooled.seek(0)
        return spooled


def _digest(stream: IO[bytes], limit: int) -> tuple[str, int]:
    """The sha256 and size of the content, refusing it once it passes `limit` bytes."""
    sha = hashlib.sha256()
    size = 0
    stream.seek(0)
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > limit:
            break
        sha.update(chunk)
    stream.seek(0)
    checks.refuse_size(size, limit)
    return sha.hexdigest(), size


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    stream.seek(0)
    while chunk := stream.read(CHUNK):
        yield chunk


def _library_bytes(assessment: Assessment) -> int:
    total = db.session.scalar(
        select(func.coalesce(func.sum(EvidenceFile.size), 0)).where(
            EvidenceFile.assessment_id == assessment.id
        )
    )
    return int(total or 0)


def _quarantine(assessment, principal, stream, sha256, filename, finding) -> None:
    """Keep an infected file where it is never served, and write it to the audit trail."""
    LocalDiskStorage(quarantine_dir()).save(sha256, _chunks(stream))
    audit.record(
        assessment,
        AuditEvent.EVIDENCE_QUARANTINED,
        actor=principal,
        new={"filename": filename, "sha256": sha256, "finding": finding},
    )
    db.session.commit()
    log.warning(
        "Evidence upload quarantined: assessment %s, sha256 %s, %s", assessment.id, sha256, finding
    )


def _clear_checks(assessment: Assessment, question_key: str) -> None:
    """The answer's evidence changed: the buyer's check of it no longer holds."""
    for link in db.session.scalars(
        select(EvidenceLink).where(
            EvidenceLink.assessment_id == assessment.id,
            EvidenceLink.question_key == question_key,
            EvidenceLink.check.is_not(None),
        )
    ):
        link.check = None
        link.check_note = None
        link.checked_at = None
        link.checked_by_id = None


def _touch(assessment: Assessment) -> None:
    assessment.updated_at = utcnow()


def attach_upload(
    assessment: Assessment,
    question_key: str,
    upload,
    title: str | None,
    document_date: date | None,
    principal: Principal,
) -> EvidenceFile:
    """Check an uploaded file (`upload`: a Werkzeug FileStorage, or anything with `stream`
    and `filename`) and attach it to one answer. The same content already in the library is
    linked, not stored again. Raises EvidenceRefused with the reason, and stores nothing then.
    """
    _require_changeable(assessment)
    _require_question(assessment, question_key)
    config = current_app.config
    stream = _seekable(upload.stream)
    sha256, size = _digest(stream, config["EVIDENCE_MAX_FILE_BYTES"])
    detected = checks.detect(stream, upload.filename or "")
    filename = checks.clean_filename(upload.filename, detected.extension)
    document = db.session.scalar(
        select(EvidenceFile).where(
            EvidenceFile.assessment_id == assessment.id, EvidenceFile.sha256 == sha256
        )
    )
    if document is None:
        limit = config["EVIDENCE_MAX_ASSESSMENT_BYTES"]
        if _library_bytes(assessment) + size > limit:
            raise EvidenceRefused(
                _l(
                    "The documents of this assessment would pass %(limit)s together. "
                    "Remove documents no answer needs, or attach a smaller file.",
                    limit=checks.human_size(limit),
                )
            )
        scan = scanner()
        if scan is not None:
            try:
                finding = scan(stream)
            except ScannerUnavailable as error:
                log.error("Virus scanner unavailable: %s", error)
                raise EvidenceRefused(
                    _l("The file could not be checked for viruses just now. Try again later.")
                ) from error
            if finding:
                _quarantine(assessment, principal, stream, sha256, filename, finding)
                raise EvidenceRefused(
                    _l(
                        "The virus scanner found %(finding)s in this file. It was not attached "
                        "and has been set aside for your administrator.",
                        finding=finding,
                    )
                )
        storage().save(sha256, _chunks(stream))
        document = EvidenceFile(
            assessment_id=assessment.id,
            sha256=sha256,
            title=_clean_title(title, filename),
            document_date=document_date,
            filename=filename,
            media_type=detected.media_type,
            size=size,
            uploaded_by_id=_user_id(principal),
            uploaded_by_label=principal.display_name or None,
        )
        db.session.add(document)
        db.session.flush()
    _link(assessment, document, question_key, principal)
    db.session.commit()
    # A removal elsewhere may have taken the blob between our save and our commit.
    if not storage().exists(sha256):
        storage().save(sha256, _chunks(stream))
    return document


def _link(assessment, document: EvidenceFile, question_key: str, principal) -> EvidenceLink:
    existing = db.session.scalar(
        select(EvidenceLink).where(
            EvidenceLink.evidence_id == document.id, EvidenceLink.question_key == question_key
        )
    )
    if existing is not None:
        raise EvidenceRefused(_l("This document is attached to this answer already."))
    _clear_checks(assessment, question_key)
    link = EvidenceLink(
        evidence_id=document.id, assessment_id=assessment.id, question_key=question_key
    )
    db.session.add(link)
    audit.record(
        assessment,
        AuditEvent.EVIDENCE_ATTACHED,
        actor=principal,
        question_key=question_key,
        new=_described(document),
    )
    _touch(assessment)
    db.session.flush()
    return link


def _described(document: EvidenceFile) -> dict:
    return {
        "title": document.title,
        "filename": document.filename,
        "sha256": document.sha256,
        "size": document.size,
    }


def document_of(assessment: Assessment, evidence_id: int) -> EvidenceFile:
    """A document of the assessment's library (EvidenceNotFound for any other id)."""
    document = db.session.get(EvidenceFile, evidence_id)
    if document is None or document.assessment_id != assessment.id:
        raise EvidenceNotFound(evidence_id)
    return document


def link_existing(
    assessment: Assessment, evidence_id: int, question_key: str, principal: Principal
) -> EvidenceLink:
    """Attach a document already in the library to another answer, without uploading it again."""
    _require_changeable(assessment)
    _require_question(assessment, question_key)
    document = document_of(assessment, evidence_id)
    link = _link(assessment, document, question_key, principal)
    db.session.commit()
    return link


def unlink(
    assessment: Assessment, evidence_id: int, question_key: str, principal: Principal
) -> None:
    """Take a document off one answer; a document no answer uses leaves the library."""
    _require_changeable(assessment)
    document = document_of(assessment, evidence_id)
    link = next((lk for lk in document.links if lk.question_key == question_key), None)
    if link is None:
        raise EvidenceNotFound(question_key)
    document.links.remove(link)
    _removed(assessment, document, [question_key], principal, drop=not document.links)


def remove_document(assessment: Assessment, evidence_id: int, principal: Principal) -> None:
    """Remove a document from the library and from every answer it backs."""
    _require_changeable(assessment)
    document = document_of(assessment, evidence_id)
    keys = [link.question_key for link in document.links] or [None]
    _removed(assessment, document, keys, principal, drop=True)


def _removed(
    assessment: Assessment, document: EvidenceFile, keys: list, principal: Principal, drop: bool
) -> None:
    """Record the document's removal from these answers (None: from the library alone), drop
    it from the library when asked, and free its file once no document anywhere names it."""
    for key in keys:
        if key is not None:
            _clear_checks(assessment, key)
        audit.record(
            assessment,
            AuditEvent.EVIDENCE_REMOVED,
            actor=principal,
            question_key=key,
            old=_described(document),
        )
    sha256 = document.sha256
    if drop:
        db.session.delete(document)
    _touch(assessment)
    db.session.commit()
    delete_unused_blobs([sha256])


def confirm_carried(assessment: Assessment, evidence_id: int, principal: Principal) -> None:
    """The owner confirms a document carried from the earlier assessment still holds."""
    _require_changeable(assessment)
    document = document_of(assessment, evidence_id)
    if document.carried_from_id is None:
        return
    document.carried_from_id = None
    audit.record(
        assessment, AuditEvent.EVIDENCE_CONFIRMED, actor=principal, new=_described(document)
    )
    db.session.commit()


def library(assessment: Assessment) -> list[EvidenceFile]:
    """The assessment's documents, oldest first, each with the answers it backs."""
    return list(
        db.session.scalars(
            select(EvidenceFile)
            .where(EvidenceFile.assessment_id == assessment.id)
            .options(selectinload(EvidenceFile.links))
            .order_by(EvidenceFile.uploaded_at, EvidenceFile.id)
        )
    )


def evidence_by_question(assessment: Assessment) -> dict[str, list[EvidenceFile]]:
    """The documents attached to each answer, by question key, in the order attached."""
    rows = db.session.execute(
        select(EvidenceLink.question_key, EvidenceFile)
        .join(EvidenceFile, EvidenceLink.evidence_id == EvidenceFile.id)
        .where(EvidenceLink.assessment_id == assessment.id)
        .options(selectinload(EvidenceFile.links))
        .order_by(EvidenceLink.id)
    )
    grouped: dict[str, list[EvidenceFile]] = defaultdict(list)
    for key, document in rows:
        grouped[key].append(document)
    return dict(grouped)


def evidence_counts(assessment: Assessment) -> dict[str, int]:
    """How many documents are attached to each answer, by question key."""
    rows = db.session.execute(
        select(EvidenceLink.question_key, func.count())
        .where(EvidenceLink.assessment_id == assessment.id)
        .group_by(EvidenceLink.question_key)
    )
    return dict(rows.all())


def carry_evidence(
    source: Assessment, target: Assessment, keys: Iterable[str] | None = None
) -> int:
    """Give `target` the documents of `source`'s answers (all, or those of `keys`): new rows
    pointing at the same blobs, never copies, marked as from the earlier assessment until the
    owner confirms them. Returns how many links were made. In the caller's transaction."""
    wanted = None if keys is None else set(keys)
    existing = {
        document.sha256: document
        for document in db.session.scalars(
            select(EvidenceFile)
            .where(EvidenceFile.assessment_id == target.id)
            .options(selectinload(EvidenceFile.links))
        )
    }
    made = 0
    for document in library(source):
        links = [lk for lk in document.links if wanted is None or lk.question_key in wanted]
        if not links:
            continue
        copy = existing.get(document.sha256)
        if copy is None:
            copy = EvidenceFile(
                assessment_id=target.id,
                sha256=document.sha256,
                title=document.title,
                document_date=document.document_date,
                filename=document.filename,
                media_type=document.media_type,
                size=document.size,
                uploaded_at=document.uploaded_at,
                uploaded_by_id=document.uploaded_by_id,
                uploaded_by_label=document.uploaded_by_label,
                carried_from_id=source.id,
            )
            db.session.add(copy)
            db.session.flush()
            existing[document.sha256] = copy
        linked = {lk.question_key for lk in copy.links}
        for link in links:
            if link.question_key in linked:
                continue
            copy.links.append(EvidenceLink(assessment_id=target.id, question_key=link.question_key))
            linked.add(link.question_key)
            made += 1
    db.session.flush()
    return made


def hashes_of(organisation_id: int) -> list[str]:
    """The content hashes of every document of an organisation's assessments (read before
    deleting them, so that their blobs can go afterwards)."""
    return list(
        db.session.scalars(
            select(EvidenceFile.sha256)
            .join(Assessment, EvidenceFile.assessment_id == Assessment.id)
            .where(Assessment.organisation_id == organisation_id)
            .distinct()
        )
    )


def delete_unused_blobs(hashes: Iterable[str]) -> list[str]:
    """Delete the blobs of these hashes that no document row uses any more (committed rows:
    call after the commit). Returns the hashes deleted."""
    candidates = set(hashes)
    if not candidates:
        return []
    used = set(
        db.session.scalars(
            select(EvidenceFile.sha256).where(EvidenceFile.sha256.in_(candidates)).distinct()
        )
    )
    gone = sorted(candidates - used)
    store = storage()
    for sha256 in gone:
        store.delete(sha256)
    return gone


def orphans() -> list[str]:
    """Blobs in storage that no document row names (left by a crash or a deleted assessment)."""
    used = set(db.session.scalars(select(EvidenceFile.sha256).distinct()))
    return [name for name in storage().names() if name not in used]


def open_blob(document: EvidenceFile) -> IO[bytes]:
    """The content of a document for reading (FileNotFoundError when its blob is missing)."""
    return storage().open(document.sha256)
