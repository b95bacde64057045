"""Read-only queries: the buyer's contractor list and the comparison of contractors.

Answers of every listed or compared assessment are read in one query and scored with the
engine, so the pages cost the same few queries for 3 contractors as for 300.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import joinedload

import questionnaires as engine
from app.assessments.queries import answers_by_assessment
from app.content import content
from app.contractors.evidence import checked_share
from app.extensions import db
from app.formatting import verdict_note
from app.i18n import interface_language
from app.models import (
    Assessment,
    AssessmentKind,
    ContractorAssessment,
    ContractorStatus,
    utc_today,
)


@dataclass(frozen=True)
class ContractorRow:
    """One contractor assessment as the list and the comparison show it."""

    contractor: ContractorAssessment
    status: ContractorStatus
    questionnaire_key: str
    questionnaire_title: str
    completeness: float | None
    # Scores, band and red flags only once the contractor has submitted: a draft's score is
    # neither final nor the buyer's to see, and would rank a half-answered draft.
    overall: float | None
    band: str | None
    red_flags: int | None
    theme_scores: dict[str, float | None] = field(default_factory=dict)
    # "Held at Developing: 2 red flags" when the red-flag cap lowered the verdict.
    verdict_note: str | None = None
    na_count: int = 0
    # The share (0-1) of the answered questions whose evidence the buyer checked; None before
    # the contractor submits or when nothing is answered.
    evidence_checked: float | None = None

    @property
    def assessment(self) -> Assessment:
        return self.contractor.assessment

    @property
    def submitted(self) -> bool:
        return not self.contractor.assessment.is_draft


def _contractors(organisation_id: int, ids: list[int] | None = None) -> list[ContractorAssessment]:
    stmt = (
        select(ContractorAssessment)
        .join(Assessment, ContractorAssessment.assessment_id == Assessment.id)
        # The questionnaire versions come from the content cache: loading their stored
        # snapshots with each row would parse the same large JSON once per assessment.
        .options(joinedload(ContractorAssessment.assessment))
        .where(
            Assessment.organisation_id == organisation_id,
            Assessment.kind == AssessmentKind.CONTRACTOR,
        )
        .order_by(Assessment.updated_at.desc(), Assessment.id.desc())
    )
    if ids is not None:
        stmt = stmt.where(Assessment.id.in_(ids))
    return list(db.session.scalars(stmt).unique())


def contractor_rows(organisation_id: int, ids: list[int] | None = None) -> list[ContractorRow]:
    """The organisation's contractor assessments (or those of `ids`), newest change first."""
    contractors = _contractors(organisation_id, ids)
    answers = answers_by_assessment([c.assessment_id for c in contractors])
    scorecards = {}
    # Titles and band names in the reader's language; answers are kept by key, so a
    # contractor who answered in another language scores the same.
    language = interface_language()
    rows = []
    for contractor in contractors:
        assessment = contractor.assessment
        questionnaire = content().in_language(
            content().of_version_id(assessment.questionnaire_version_id), language
        )
        given = answers.get(assessment.id, {})
        scorecards[assessment.id] = scorecard = engine.score(questionnaire, given)
        scored = not assessment.is_draft
        rows.append(
            ContractorRow(
                contractor=contractor,
                status=contractor.status(answered=bool(given)),
                questionnaire_key=questionnaire.key,
                questionnaire_title=questionnaire.title,
                completeness=scorecard.completeness,
                overall=scorecard.overall if scored else None,
                band=scorecard.band.label if scored and scorecard.band else None,
                red_flags=len(scorecard.red_flags) if scored else None,
                theme_scores=(
                    {key: theme.score for key, theme in scorecard.themes.items()} if scored else {}
                ),
                verdict_note=verdict_note(scorecard) if scored else None,
                na_count=scorecard.na_count,
            )
        )
    return _with_evidence_checked(rows, scorecards)


def _with_evidence_checked(
    rows: list[ContractorRow], scorecards: dict[int, engine.Scorecard]
) -> list[ContractorRow]:
    """The rows of submitted assessments with their share of checked evidence (one query)."""
    answered = {
        row.assessment.id: {
            key
            for key, result in scorecards[row.assessment.id].questions.items()
            if result.answered
        }
        for row in rows
        if row.submitted
    }
    shares = checked_share(list(answered), answered)
    return [
        replace(row, evidence_checked=shares.get(row.assessment.id)) if row.submitted else row
        for row in rows
    ]


@dataclass(frozen=True)
class ContractorSummary:
    """What a buyer's dashboard says about its contractors."""

    total: int
    by_status: dict[ContractorStatus, int]
    overdue: int
    waiting_for_review: int
    red_flags: int


def contractor_summary(organisation_id: int) -> ContractorSummary:
    """Counts by status, overdue drafts, submissions waiting for review, red flags found."""
    rows = contractor_rows(organisation_id)
    today = utc_today()
    by_status = dict.fromkeys(ContractorStatus, 0)
    for row in rows:
        by_status[row.status] += 1
    return ContractorSummary(
        total=len(rows),
        by_status=by_status,
        overdue=sum(
            1
            for row in rows
            if not row.submitted and row.contractor.deadline and row.contractor.deadline < today
        ),
        waiting_for_review=by_status[ContractorStatus.SUBMITTED],
        red_flags=sum(row.red_flags or 0 for row in rows),
    )


SORTS = {
    "name": lambda row: row.contractor.contractor_name.casefold(),
    "reference": lambda row: (row.contractor.reference or "").casefold(),
    "status": lambda row: list(ContractorStatus).index(row.status),
    "overall": lambda row: row.overall,
    "red-flags": lambda row: row.red_flags,
    "completeness": lambda row: row.completeness,
    "evidence-checked": lambda row: row.evidence_checked,
}


@dataclass(frozen=True)
class Comparison:
    """Contractor assessments on one questionnaire, side by side."""

    title: str
    themes: list[tuple[str, str]]
    rows: list[ContractorRow]
    sort: str
    # Why some chosen assessments are left out (another questionnaire), or None.
    left_out: list[ContractorRow]


def sort_key_of(sort: str, themes: list[tuple[str, str]]):
    """The function that sorts rows by `sort` (a column name, or theme:<key>), or None."""
    name = sort.removeprefix("-")
    if name.startswith("theme:"):
        key = name.removeprefix("theme:")
        if key in {k for k, _ in themes}:
            return lambda row: row.theme_scores.get(key)
        return None
    return SORTS.get(name)


def sort_rows(rows: list[ContractorRow], sort: str, themes) -> tuple[list[ContractorRow], str]:
    """Rows in the order asked for; rows without a value come last either way."""
    key = sort_key_of(sort, themes)
    if key is None:
        sort, key = "-overall", SORTS["overall"]
    descending = sort.startswith("-")
    present = [row for row in rows if key(row) is not None]
    missing = [row for row in rows if key(row) is None]
    present.sort(key=key, reverse=descending)
    missing.sort(key=SORTS["name"])
    return present + missing, sort


def comparison(organisation_id: int, ids: list[int], sort: str = "-overall") -> Comparison:
    """The chosen contractor assessments that share the first one's questionnaire."""
    rows = contractor_rows(organisation_id, ids)
    if not rows:
        return Comparison("", [], [], sort, [])
    # The most common questionnaire among those chosen decides; others are left out.
    keys = [row.questionnaire_key for row in rows]
    chosen_key = max(dict.fromkeys(keys), key=keys.count)
    kept = [row for row in rows if row.questionnaire_key == chosen_key]
    left_out = [row for row in rows if row.questionnaire_key != chosen_key]
    questionnaire = content().get(chosen_key) or content().of_version_id(
        kept[0].assessment.questionnaire_version_id
    )
    questionnaire = content().in_language(questionnaire, interface_language())
    themes = [(theme.key, theme.title) for theme in questionnaire.themes]
    ordered, sort = sort_rows(kept, sort, themes)
    return Comparison(questionnaire.title, themes, ordered, sort, left_out)
