"""The buyer's check of the evidence behind a contractor's answers.

A check is given per answer and stored on each of its documents' links (`EvidenceLink.check`),
so a document attached later comes in unchecked. "Does not support the answer" is also a
"needs clarification" mark on the answer, with the same note: returning the assessment then
carries it to the contractor like any other note.
"""

from __future__ import annotations

from sqlalchemy import select

from app import audit, signals
from app.audit import AuditEvent
from app.contractors import services
from app.evidence.verdicts import links_by_question
from app.extensions import db
from app.models import (
    ContractorAssessment,
    EvidenceCheck,
    EvidenceLink,
    User,
    Verdict,
    utcnow,
)
from app.scoping import Principal


class NoEvidence(Exception):
    """The answer has no document to check."""


def check_answer(
    contractor: ContractorAssessment,
    question_key: str,
    check: EvidenceCheck,
    note: str,
    user: User,
) -> None:
    """Mark the answer's evidence checked, or not supporting the answer (with a note, which
    also asks the contractor to clarify the answer). Recorded in the history."""
    assessment = contractor.assessment
    if not contractor.under_review:
        raise services.NotPossibleNow()
    links = links_by_question(assessment).get(question_key, [])
    if not links:
        raise NoEvidence()
    note = note.strip()[:5000] or None
    if check == EvidenceCheck.CHECKED:
        note = None
    now = utcnow()
    changed = []
    for link in links:
        if link.check != check or link.check_note != note:
            changed.append(link.evidence.title)
        link.check = check
        link.check_note = note
        link.checked_at = now
        link.checked_by_id = user.id
    if changed:
        audit.record(
            assessment,
            AuditEvent.EVIDENCE_CHECKED,
            actor=Principal(user=user),
            question_key=question_key,
            new={"check": check.value, "note": note, "documents": changed},
        )
    if check == EvidenceCheck.NOT_SUPPORTING:
        # Commits, records the mark and tells the report to render again.
        services.mark_answer(contractor, question_key, Verdict.CLARIFY, note or "", user)
        return
    db.session.commit()
    signals.review_changed.send(assessment)


def checked_share(assessment_ids: list[int], answered: dict[int, set[str]]) -> dict[int, float]:
    """Per assessment, the share of its answered questions whose evidence a buyer checked
    (every document of the answer checked); assessments without answers are left out."""
    if not assessment_ids:
        return {}
    rows = db.session.execute(
        select(EvidenceLink.assessment_id, EvidenceLink.question_key, EvidenceLink.check).where(
            EvidenceLink.assessment_id.in_(assessment_ids)
        )
    )
    checks: dict[tuple[int, str], list] = {}
    for assessment_id, key, check in rows:
        checks.setdefault((assessment_id, key), []).append(check)
    shares = {}
    for assessment_id in assessment_ids:
        keys = answered.get(assessment_id) or set()
        if not keys:
            continue
        checked = sum(
            1
            for key in keys
            if (found := checks.get((assessment_id, key)))
            and all(c == EvidenceCheck.CHECKED for c in found)
        )
        shares[assessment_id] = checked / len(keys)
    return shares
