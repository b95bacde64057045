"""Scoring: from a questionnaire and its answers to a scorecard. Pure functions, no I/O.

A question's score is its answer's share of the highest score possible (0-100). A theme's
score is the weighted mean of its answered, applicable questions; the overall score is the
weighted mean of the themes that have a score. Not applicable and hidden questions are left
out of every sum; unanswered ones lower completeness and never count as zero.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from questionnaires.model import (
    SINGLE_CHOICE_TYPES,
    Band,
    Question,
    Questionnaire,
    ScoringPlan,
)


@dataclass(frozen=True)
class Answer:
    """An answer as stored: a value, or not applicable with a reason; a comment either way."""

    value: Any = None
    na_reason: str | None = None
    comment: str | None = None

    @property
    def is_na(self) -> bool:
        """Marked not applicable; without a reason the mark does not count."""
        return bool(self.na_reason and self.na_reason.strip())


@dataclass(frozen=True, slots=True)
class QuestionResult:
    key: str
    theme: str
    visible: bool  # shown, given the answers to the questions it depends on
    applicable: bool  # visible and not marked not applicable
    answered: bool  # applicable and holding a valid answer
    score: float | None  # 0-100 for an answered, scored question
    answer: Answer | None
    critical: bool = False

    @property
    def na(self) -> bool:
        return (
            self.visible and self.answer is not None and self.answer.is_na and not self.applicable
        )


@dataclass(frozen=True, slots=True)
class ThemeResult:
    key: str
    score: float | None  # None when nothing scored in it is answered
    band: Band | None
    answered: int  # scored questions answered
    applicable: int  # scored questions visible and applicable
    weight: float


@dataclass(frozen=True)
class RedFlag:
    """A critical question answered below its threshold."""

    question_key: str
    theme: str
    text: str
    score: float


@dataclass(frozen=True)
class Scorecard:
    questionnaire: Questionnaire
    questions: dict[str, QuestionResult]
    themes: dict[str, ThemeResult]
    overall: float | None
    band: Band | None
    completeness: float | None  # answered / applicable over scored questions; None if none
    red_flags: tuple[RedFlag, ...]

    @property
    def answered(self) -> int:
        return sum(t.answered for t in self.themes.values())

    @property
    def applicable(self) -> int:
        return sum(t.applicable for t in self.themes.values())


def validate_answer(question: Question, answer: Answer) -> str | None:
    """Why a value does not fit the question, for the person answering; None when it fits."""
    value = answer.value
    if value is None:
        return None
    kind = question.type
    if kind in SINGLE_CHOICE_TYPES:
        if not isinstance(value, str) or question.option(value) is None:
            return "Choose one of the options given."
    elif kind == "multiple":
        if (
            not isinstance(value, list | tuple)
            or not value
            or not all(isinstance(v, str) and question.option(v) is not None for v in value)
        ):
            return "Choose from the options given."
    elif kind == "number":
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            return "Enter a number."
        if question.min is not None and value < question.min:
            return f"Enter a number of at least {question.min:g}."
        if question.max is not None and value > question.max:
            return f"Enter a number of at most {question.max:g}."
    elif kind == "text" and not isinstance(value, str):
        return "Enter text."
    return None


def _points(plan: ScoringPlan, value: Any) -> float | None:
    """The score (0-100) a value earns; None for free text or a value that does not fit.

    Accepts exactly what `validate_answer` accepts.
    """
    kind = plan.kind
    if kind in SINGLE_CHOICE_TYPES:
        points = plan.points.get(value) if isinstance(value, str) else None
    elif kind == "multiple":
        if not isinstance(value, list | tuple) or not value:
            return None
        if not all(isinstance(v, str) and v in plan.points for v in value):
            return None
        points = min(sum(plan.points[v] for v in set(value)), plan.top)
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if not math.isfinite(value):
            return None
        if (plan.minimum is not None and value < plan.minimum) or (
            plan.maximum is not None and value > plan.maximum
        ):
            return None
        points = max((score for low, score in plan.bands if value >= low), default=0.0)
    else:
        return None
    return None if points is None else 100.0 * points / plan.top


def question_score(question: Question, value: Any) -> float | None:
    """The score (0-100) a valid value earns; None for free text or a value that does not fit."""
    return _points(ScoringPlan(question), value)


def _weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    total = sum(weight for weight, _ in pairs)
    if not pairs or total <= 0:
        return None
    mean = sum(weight * value for weight, value in pairs) / total
    return min(100.0, max(0.0, mean))


def score(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> Scorecard:
    """The scorecard of a set of answers (keyed by question key) to a questionnaire."""
    results: dict[str, QuestionResult] = {}
    red_flags: list[RedFlag] = []
    per_theme: dict[str, list[tuple[float, float]]] = {t.key: [] for t in questionnaire.themes}
    counts = {t.key: [0, 0] for t in questionnaire.themes}  # answered, applicable
    for plan in questionnaire.scoring_plan:
        answer = answers.get(plan.key)
        if plan.condition is None:
            visible = True
        else:
            trigger = results.get(plan.condition[0])
            visible = False
            if trigger is not None and trigger.answered:
                value = trigger.answer.value
                chosen = set(value) if isinstance(value, list | tuple) else {value}
                visible = not chosen.isdisjoint(plan.condition[1])
        marked_na = answer is not None and answer.is_na
        given = answer is not None and not marked_na and answer.value is not None
        na = marked_na and plan.allow_na
        applicable = visible and not na
        value_score = None
        answered = False
        if applicable and given:
            if plan.scored:
                value_score = _points(plan, answer.value)
                answered = value_score is not None
            else:
                answered = isinstance(answer.value, str) and bool(answer.value.strip())
        results[plan.key] = QuestionResult(
            key=plan.key,
            theme=plan.theme,
            visible=visible,
            applicable=applicable,
            answered=answered,
            score=value_score,
            answer=answer,
            critical=plan.threshold is not None,
        )
        if not (applicable and plan.scored):
            continue
        theme_counts = counts[plan.theme]
        theme_counts[1] += 1
        if value_score is None:
            continue
        theme_counts[0] += 1
        per_theme[plan.theme].append((plan.weight, value_score))
        if plan.threshold is not None and value_score < plan.threshold:
            red_flags.append(RedFlag(plan.key, plan.theme, plan.red_flag, value_score))
    themes: dict[str, ThemeResult] = {}
    for theme in questionnaire.themes:
        theme_score = _weighted_mean(per_theme[theme.key])
        themes[theme.key] = ThemeResult(
            key=theme.key,
            score=theme_score,
            band=questionnaire.band_for(theme_score),
            answered=counts[theme.key][0],
            applicable=counts[theme.key][1],
            weight=theme.weight,
        )
    overall = _weighted_mean([(t.weight, t.score) for t in themes.values() if t.score is not None])
    answered = sum(c[0] for c in counts.values())
    applicable = sum(c[1] for c in counts.values())
    return Scorecard(
        questionnaire=questionnaire,
        questions=results,
        themes=themes,
        overall=overall,
        band=questionnaire.band_for(overall),
        completeness=answered / applicable if applicable else None,
        red_flags=tuple(red_flags),
    )
