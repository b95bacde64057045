"""Read-only look-ups: an assessment's questionnaire, its answers and scorecard, and the lists
the pages show."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

import questionnaires as engine
from app.assessments.answers import engine_answer
from app.content import content
from app.extensions import db
from app.models import (
    Answer,
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    EvidenceCheck,
    EvidenceLink,
    QuestionnaireVersion,
    ReviewNote,
)


def questionnaire_of(assessment: Assessment) -> engine.Questionnaire:
    """The exact questionnaire version the assessment is answered against."""
    return content().of_version_id(assessment.questionnaire_version_id)


def shown_questionnaire(assessment: Assessment) -> engine.Questionnaire:
    """The assessment's questionnaire in the assessment's language, where a translation exists.

    Same keys, scores and rules as `questionnaire_of`: only the words differ.
    """
    return content().in_language(questionnaire_of(assessment), assessment.language)


def stored_answers(assessment: Assessment) -> dict[str, Answer]:
    """The assessment's stored answers by question key."""
    rows = db.session.scalars(select(Answer).where(Answer.assessment_id == assessment.id))
    return {row.question_key: row for row in rows}


def evidence_counts_by_assessment(ids: list[int]) -> dict[int, dict[str, int]]:
    """How many documents back each answer of many assessments, in one query.

    A document the buyer marked as not supporting the answer does not count: a basis of
    records resting on it alone scores as one without records, until the answer is clarified.
    """
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if not ids:
        return counts
    rows = db.session.execute(
        select(EvidenceLink.assessment_id, EvidenceLink.question_key, func.count())
        .where(
            EvidenceLink.assessment_id.in_(ids),
            or_(
                EvidenceLink.check.is_(None),
                EvidenceLink.check != EvidenceCheck.NOT_SUPPORTING,
            ),
        )
        .group_by(EvidenceLink.assessment_id, EvidenceLink.question_key)
    )
    for assessment_id, key, count in rows:
        counts[assessment_id][key] = count
    return counts


def engine_answers(assessment: Assessment) -> dict[str, engine.Answer]:
    """The stored answers in the engine's terms, each with its number of documents (a basis
    of records counts in full only with one)."""
    rows = db.session.scalars(select(Answer).where(Answer.assessment_id == assessment.id))
    evidence = evidence_counts_by_assessment([assessment.id]).get(assessment.id, {})
    return {row.question_key: engine_answer(row, evidence.get(row.question_key, 0)) for row in rows}


def scorecard_of(assessment: Assessment) -> engine.Scorecard:
    """The assessment's scores against its own questionnaire version."""
    return engine.score(questionnaire_of(assessment), engine_answers(assessment))


def shown_scorecard(assessment: Assessment) -> engine.Scorecard:
    """The scorecard in the assessment's language (the same scores as `scorecard_of`)."""
    return engine.score(shown_questionnaire(assessment), engine_answers(assessment))


@dataclass(frozen=True)
class ListRow:
    assessment: Assessment
    title: str
    completeness: float | None
    score: float | None
    band: str | None


def answers_by_assessment(ids: list[int]) -> dict[int, dict[str, engine.Answer]]:
    """The answers of many assessments in one query (no query per assessment)."""
    grouped: dict[int, dict[str, engine.Answer]] = defaultdict(dict)
    if not ids:
        return grouped
    rows = db.session.execute(
        select(
            Answer.assessment_id,
            Answer.question_key,
            Answer.value,
            Answer.na_reason,
            Answer.comment,
            Answer.basis,
        ).where(Answer.assessment_id.in_(ids))
    )
    evidence = evidence_counts_by_assessment(ids)
    for assessment_id, key, value, na_reason, comment, basis in rows:
        grouped[assessment_id][key] = engine.Answer(
            value=value,
            na_reason=na_reason,
            comment=comment,
            basis=basis,
            evidence=evidence.get(assessment_id, {}).get(key, 0),
        )
    return grouped


def assessment_list(
    organisation_id: int,
    *,
    status: str | None = None,
    questionnaire: str | None = None,
    limit: int | None = None,
) -> list[ListRow]:
    """The organisation's assessments, newest change first, with completeness and score."""
    stmt = (
        select(Assessment)
        .join(QuestionnaireVersion)
        .options(joinedload(Assessment.questionnaire_version))
        .where(
            Assessment.organisation_id == organisation_id,
            Assessment.kind == AssessmentKind.SELF,
        )
        .order_by(Assessment.updated_at.desc(), Assessment.id.desc())
    )
    if status:
        stmt = stmt.where(Assessment.status == AssessmentStatus(status))
    if questionnaire:
        stmt = stmt.where(QuestionnaireVersion.key == questionnaire)
    if limit:
        stmt = stmt.limit(limit)
    assessments = db.session.scalars(stmt).unique().all()
    answers = answers_by_assessment([a.id for a in assessments])
    rows = []
    for assessment in assessments:
        scorecard = engine.score(questionnaire_of(assessment), answers.get(assessment.id, {}))
        rows.append(
            ListRow(
                assessment=assessment,
                title=assessment.questionnaire_version.title,
                completeness=scorecard.completeness,
                score=scorecard.overall,
                band=scorecard.band.label if scorecard.band else None,
            )
        )
    return rows


def clarification_notes(assessment: Assessment) -> dict[str, str]:
    """The reviewer's "needs clarification" notes on a contractor's answers, by question."""
    if assessment.kind != AssessmentKind.CONTRACTOR:
        return {}
    return ReviewNote.clarification_notes(assessment.id)
