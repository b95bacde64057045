"""An organisation leaves: everything of it as one ZIP, and deleting it.

The ZIP holds a portable file per assessment, the action plans as CSV, the members, the
history of every assessment, the workshops and the contractor invitations, written entry by
entry to the response so a large organisation never sits in memory whole.

Deleting follows the foreign keys of the schema: whatever belongs to the organisation goes
with it (its people, assessments with their answers and history, the invitations it issued,
its workshops), while rows of other organisations that merely mention one of its people (a
buyer's copy of a contractor assessment the contractor's user answered) are kept, with that
person's link emptied. The log line names only numbers.
"""

from __future__ import annotations

import json
import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import Table, delete, select, update

from app import exports
from app.action_plans.exports import plan_table
from app.evidence import services as evidence
from app.exports import safe_name
from app.extensions import db
from app.models import (
    Assessment,
    AuditEntry,
    ColleagueInvitation,
    ContractorAssessment,
    Organisation,
    User,
    Workshop,
)
from app.portability import assessment_file

log = logging.getLogger("ddcheck.organisations")


# --- export --------------------------------------------------------------------------------


class _Sink:
    """A write-only stream that hands on what was written since the last look: zipfile writes
    to it (with data descriptors, as it cannot seek) and the response streams the chunks."""

    def __init__(self):
        self.chunks: list[bytes] = []

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def export_zip(organisation: Organisation) -> Iterator[bytes]:
    """The organisation's data as ZIP bytes, produced file by file."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, body in _entries(organisation):
            archive.writestr(name, body)
            yield sink.take()
    yield sink.take()


def _entries(organisation: Organisation) -> Iterator[tuple[str, str | bytes]]:
    yield (
        "organisation.json",
        json.dumps(
            {
                "name": organisation.name,
                "kind": organisation.kind.value,
                "created_at": organisation.created_at.isoformat(),
                "exported_by_app": assessment_file.app_version(),
            },
            ensure_ascii=False,
            indent=2,
        ),
    )
    members = db.session.scalars(
        select(User).where(User.organisation_id == organisation.id).order_by(User.name)
    )
    yield (
        "members.csv",
        exports.to_csv(
            ["name", "email", "role", "created_at", "last_sign_in_at"],
            ([u.name, u.email, u.role.value, u.created_at, u.last_sign_in_at] for u in members),
        ),
    )
    invitations = db.session.scalars(
        select(ColleagueInvitation).where(ColleagueInvitation.organisation_id == organisation.id)
    )
    yield (
        "colleague-invitations.csv",
        exports.to_csv(
            ["name", "email", "role", "created_at", "status"],
            ([i.name, i.email, i.role.value, i.created_at, i.status] for i in invitations),
        ),
    )
    ids = db.session.scalars(
        select(Assessment.id)
        .where(Assessment.organisation_id == organisation.id)
        .order_by(Assessment.id)
    ).all()
    audit_rows = []
    for assessment_id in ids:
        assessment = db.session.get(Assessment, assessment_id)
        stem = f"{assessment.id}-{safe_name(assessment.subject, 'assessment')}"
        yield (
            f"assessments/{stem}.json",
            assessment_file.dumps(assessment_file.export(assessment)),
        )
        if not assessment.is_draft:
            header, rows = plan_table(assessment)
            if rows:
                yield f"action-plans/{stem}.csv", exports.to_csv(header, rows)
        for entry in db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.assessment_id == assessment.id)
            .order_by(AuditEntry.created_at, AuditEntry.id)
        ):
            audit_rows.append(
                [
                    assessment.id,
                    assessment.subject,
                    entry.created_at,
                    entry.actor_label or "",
                    entry.event,
                    entry.question_key or "",
                    json.dumps(entry.old, ensure_ascii=False) if entry.old is not None else "",
                    json.dumps(entry.new, ensure_ascii=False) if entry.new is not None else "",
                ]
            )
        # Each assessment's rows are not needed again: keep the session small.
        db.session.expunge_all()
    yield (
        "audit.csv",
        exports.to_csv(
            ["assessment", "subject", "at", "who", "event", "question", "before", "after"],
            audit_rows,
        ),
    )
    contractors = db.session.execute(
        select(ContractorAssessment, Assessment)
        .join(Assessment, ContractorAssessment.assessment_id == Assessment.id)
        .where(Assessment.organisation_id == organisation.id)
        .order_by(ContractorAssessment.id)
    )
    yield (
        "contractors.csv",
        exports.to_csv(
            ["assessment", "contractor", "contact_email", "reference", "deadline", "status"],
            (
                [
                    a.id,
                    c.contractor_name,
                    c.contact_email,
                    c.reference or "",
                    c.deadline,
                    a.status.value,
                ]
                for c, a in contractors
            ),
        ),
    )
    workshops = db.session.scalars(
        select(Workshop).where(Workshop.organisation_id == organisation.id).order_by(Workshop.id)
    )
    yield (
        "workshops.json",
        json.dumps(
            [
                {
                    "title": w.title,
                    "join_code": w.join_code,
                    "created_at": w.created_at.isoformat(),
                    "closed_at": w.closed_at.isoformat() if w.closed_at else None,
                    "case_text": w.case_text,
                    "teams": [{"name": t.name, "assessment": t.assessment_id} for t in w.teams],
                }
                for w in workshops
            ],
            ensure_ascii=False,
            indent=2,
        ),
    )


def export_file_name(organisation: Organisation) -> str:
    return f"organisation-{safe_name(organisation.name, 'organisation')}.zip"


# --- deletion ------------------------------------------------------------------------------


class NameMismatch(ValueError):
    """The confirmation does not repeat the organisation's name."""


@dataclass
class Deletion:
    """How many rows of each table went; numbers only, nothing personal."""

    deleted: dict[str, int] = field(default_factory=dict)
    unlinked: dict[str, int] = field(default_factory=dict)


def _foreign_keys_to(table: Table) -> list[tuple[Table, object, bool]]:
    """(referencing table, referencing column, whether the database empties the link on
    delete) for every foreign key pointing at `table`."""
    found = []
    for other in db.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is table:
                found.append((other, fk.parent, (fk.ondelete or "").upper() == "SET NULL"))
    return found


def _purge(table: Table, ids: list, result: Deletion) -> None:
    """Delete rows of `table` by primary key, after what depends on them.

    Rows that refer to a person or to an earlier assessment only by a nullable link are kept
    with the link emptied; every other dependent row is deleted with its parent.
    """
    if not ids:
        return
    user_table = User.__table__
    key = next(iter(table.primary_key.columns))
    for child, column, set_null in _foreign_keys_to(table):
        # Another organisation's document carried from one of these assessments stays.
        unlink = column.nullable and (table is user_table or child is table or set_null)
        if unlink:
            done = db.session.execute(
                update(child).where(column.in_(ids)).values({column.name: None})
            )
            if done.rowcount:
                result.unlinked[child.name] = result.unlinked.get(child.name, 0) + done.rowcount
            continue
        child_key = next(iter(child.primary_key.columns))
        child_ids = db.session.scalars(select(child_key).where(column.in_(ids))).all()
        _purge(child, child_ids, result)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        done = db.session.execute(delete(table).where(key.in_(chunk)))
        result.deleted[table.name] = result.deleted.get(table.name, 0) + done.rowcount


def delete_organisation(organisation: Organisation, confirmation: str) -> Deletion:
    """Delete the organisation and everything it owns, once `confirmation` repeats its name
    (surrounding spaces and letter case aside). Logged with numbers only."""
    if confirmation.strip().casefold() != organisation.name.strip().casefold():
        raise NameMismatch()
    organisation_id = organisation.id
    result = Deletion()
    hashes = evidence.hashes_of(organisation_id)
    db.session.expunge_all()
    _purge(Organisation.__table__, [organisation_id], result)
    db.session.commit()
    # The files of its documents go too, unless another organisation's document names them.
    files = evidence.delete_unused_blobs(hashes)
    log.info("Organisation %s deleted: %s evidence files removed", organisation_id, len(files))
    log.info(
        "Organisation %s deleted: %s; links emptied: %s",
        organisation_id,
        ", ".join(f"{n} {t}" for t, n in sorted(result.deleted.items())),
        ", ".join(f"{n} {t}" for t, n in sorted(result.unlinked.items())) or "none",
    )
    return result
