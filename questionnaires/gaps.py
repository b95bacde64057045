"""Gap finding: which answers fall short, in what order to deal with them, and what helps.

A gap is a visible, applicable, scored question below its target. Red flags (critical
questions below their threshold) come first, then the other gaps by weight times shortfall,
then the questions without an answer ("no information"), critical ones first.
"""

from __future__ import annotations

from dataclasses import dataclass

from questionnaires.matching import Match, Matcher
from questionnaires.model import BasisLevel
from questionnaires.scoring import Answer, Scorecard

RED_FLAG = "red-flag"
BELOW_TARGET = "below-target"
NO_INFORMATION = "no-information"


@dataclass(frozen=True)
class Gap:
    kind: str  # red-flag, below-target or no-information
    question_key: str
    question_text: str
    theme_key: str
    theme_title: str
    score: float | None  # None for no information
    target: float
    weight: float
    critical: bool
    red_flag: str | None  # the finding, for a red flag
    action: str
    tags: tuple[str, ...]
    source: str
    answer: Answer | None
    # The question's primary resources (with why they help) first, then tag matches.
    resources: tuple[Match, ...] = ()
    dont_know: bool = False  # answered "we don't know": the action says how to find out
    basis: BasisLevel | None = None  # how the answer is known, where the question asks
    downgraded: bool = False  # a top answer scored one level lower for its basis
    # ...because its basis (records) needs a document and none is attached
    evidence_missing: bool = False

    @property
    def shortfall(self) -> float:
        """How far below target, in points (0-100); the whole target for no information."""
        return self.target - (self.score or 0.0)

    @property
    def severity(self) -> float:
        return self.weight * self.shortfall


def find_gaps(
    scorecard: Scorecard,
    *,
    match: Matcher | None = None,
    include_no_information: bool = True,
) -> tuple[Gap, ...]:
    """The gaps of a scorecard, ranked, each with its action and (given `match`) resources."""
    questionnaire = scorecard.questionnaire
    order = {q.key: i for i, q in enumerate(questionnaire.questions)}
    found: list[Gap] = []
    for question in questionnaire.questions:
        result = scorecard.questions[question.key]
        if not (question.scored and result.visible and result.applicable):
            continue
        target = question.effective_target
        critical = question.critical
        if not result.answered:
            if not include_no_information:
                continue
            kind = NO_INFORMATION
        elif critical is not None and result.score < critical.threshold:
            kind = RED_FLAG
        elif result.score < target:
            kind = BELOW_TARGET
        else:
            continue
        found.append(
            Gap(
                kind=kind,
                question_key=question.key,
                question_text=question.text,
                theme_key=question.theme,
                theme_title=questionnaire.theme(question.theme).title,
                score=result.score,
                target=target,
                weight=question.weight,
                critical=critical is not None,
                red_flag=critical.red_flag if kind == RED_FLAG else None,
                action=(question.dont_know_action if result.dont_know else question.action) or "",
                tags=question.tags,
                source=question.source,
                answer=result.answer,
                resources=match(question, questionnaire.audience, questionnaire.language)
                if match is not None
                else (),
                dont_know=result.dont_know,
                basis=question.basis_level(result.answer.basis) if result.answer else None,
                downgraded=result.downgraded,
                evidence_missing=result.evidence_missing,
            )
        )
    rank = {RED_FLAG: 0, BELOW_TARGET: 1, NO_INFORMATION: 2}
    found.sort(
        key=lambda gap: (
            rank[gap.kind],
            not gap.critical if gap.kind == NO_INFORMATION else 0,
            -gap.severity,
            order[gap.question_key],
        )
    )
    return tuple(found)
