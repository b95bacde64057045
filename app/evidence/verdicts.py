"""The buyer's check of each answer's evidence, as the pages show it: the review, and the
contractor's answering page once the assessment is returned."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Assessment, AssessmentKind, EvidenceCheck, EvidenceLink


def links_by_question(assessment: Assessment) -> dict[str, list[EvidenceLink]]:
    """Each answer's documents (links with their files), in the order they were attached."""
    rows = db.session.scalars(
        select(EvidenceLink)
        .where(EvidenceLink.assessment_id == assessment.id)
        .options(selectinload(EvidenceLink.evidence))
        .order_by(EvidenceLink.linked_at, EvidenceLink.id)
    )
    found: dict[str, list[EvidenceLink]] = {}
    for link in rows:
        found.setdefault(link.question_key, []).append(link)
    return found


def answer_check(links: list[EvidenceLink]) -> EvidenceCheck | None:
    """The answer's check as a whole: not supporting if any document is marked so, checked
    when every document is, otherwise none (a new document makes the answer unchecked)."""
    checks = [link.check for link in links]
    if EvidenceCheck.NOT_SUPPORTING in checks:
        return EvidenceCheck.NOT_SUPPORTING
    if checks and all(check == EvidenceCheck.CHECKED for check in checks):
        return EvidenceCheck.CHECKED
    return None


def answer_checks(assessment: Assessment) -> dict[str, tuple[EvidenceCheck, str | None]]:
    """The buyer's check and note per answer of a contractor assessment (answers checked
    only); empty for other assessments, whose evidence no buyer checks."""
    if assessment.kind != AssessmentKind.CONTRACTOR:
        return {}
    found = {}
    for key, links in links_by_question(assessment).items():
        check = answer_check(links)
        if check is not None:
            note = next((link.check_note for link in links if link.check_note), None)
            found[key] = (check, note)
    return found
