"""Scoring: from a questionnaire and its answers to a scorecard. Pure functions, no I/O.

A question's score is its answer's share of the highest score possible (0-100). A theme's
score is the weighted mean of its answered, applicable questions; the overall score is the
weighted mean of the themes that have a score. Not applicable and hidden questions are left
out of every sum; unanswered ones lower completeness and never count as zero.

Three rules keep the verdict honest. "We don't know" is an answer worth 0 (and a red flag on a
critical question). A top answer known only from a management statement (or with no basis
given) scores one level lower. While a red flag stands, or a critical question has no
answer, the overall verdict and the verdict of that question's theme are held at the
questionnaire's cap band.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from questionnaires.model import (
    DONT_KNOW,
    SINGLE_CHOICE_TYPES,
    Band,
    Question,
    Questionnaire,
    ScoringPlan,
)

# Reasons that say nothing about why a question does not apply.
_EMPTY_REASONS = frozenset(
    {
        "n/a", "na", "n.a.", "n.a", "n a", "-", "--", "---", "none", "nil", "null", "no",
        "not applicable", "non applicable", "does not apply", "doesn't apply", "not relevant",
        "irrelevant", "nothing", "x", "?", "tbd", "todo", "see above", "as above", "same",
    }
)  # fmt: skip
_MIN_WORDS = 3
_MIN_LETTERS = 15


def na_reason_problem(text: str | None) -> str | None:
    """Why a typed "not applicable" reason is not a real sentence; None when it is one.

    A reason must say why the question does not apply to this organisation, in at least a
    few words: "n/a", "-", "none" or "not applicable" explain nothing.
    """
    reason = (text or "").strip()
    if not reason:
        return "Say why this question does not apply to you."
    plain = re.sub(r"\s+", " ", reason.lower()).strip(" .!")
    if plain in _EMPTY_REASONS:
        return (
            f"\u201c{reason}\u201d does not say why. Explain in a sentence why this question "
            "does not apply to you."
        )
    words = re.findall(r"[^\W\d_]+", reason)
    letters = sum(len(word) for word in words)
    if len(words) < _MIN_WORDS or letters < _MIN_LETTERS:
        return (
            "Explain in a full sentence (at least three words) why this question does not "
            "apply to you."
        )
    return None


def _not_applicable_because(plan, answer, gate_closed: bool) -> str | None:
    """Why a question does not apply: its closed gate, or an N/A with a real reason on a
    question that allows it. One rule for the scorecard and for the progress count."""
    if gate_closed:
        return plan.gate[2]
    if (
        answer is not None
        and answer.is_na
        and plan.allow_na
        and na_reason_problem(answer.na_reason) is None
    ):
        return answer.na_reason.strip()
    return None


@dataclass(frozen=True)
class Answer:
    """An answer as stored: a value, or not applicable with a reason; a comment either way.

    `basis` says how the answer is known (one of the questionnaire's basis values), for the
    questions that ask; `evidence` is the number of documents attached to it.
    """

    value: Any = None
    na_reason: str | None = None
    comment: str | None = None
    basis: str | None = None
    evidence: int = 0

    @property
    def is_na(self) -> bool:
        """Marked not applicable (with some text); whether it counts is up to scoring."""
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
    na_reason: str | None = None  # why it is not applicable: the typed reason or the gate's
    dont_know: bool = False  # answered "we don't know"
    downgraded: bool = False  # a top answer scored one level lower because of its basis
    # ...because its basis needs a document and none is attached
    evidence_missing: bool = False

    @property
    def na(self) -> bool:
        """Shown, and not applicable (by a valid typed reason or through its gating question)."""
        return self.na_reason is not None


@dataclass(frozen=True, slots=True)
class ThemeResult:
    key: str
    score: float | None  # None when nothing scored in it is answered
    band: Band | None
    answered: int  # scored questions answered
    applicable: int  # scored questions visible and applicable
    weight: float
    score_uncapped: float | None = None  # the score before the red-flag cap
    capped: bool = False  # the cap lowered the score or the band


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
    overall: float | None  # the verdict shown everywhere: held at the cap while it applies
    band: Band | None
    completeness: float | None  # answered / applicable over scored questions; None if none
    red_flags: tuple[RedFlag, ...]
    overall_uncapped: float | None = None  # the weighted mean, before the cap
    capped: bool = False  # the cap lowered the overall score or band
    cap_band: Band | None = None  # the cap in force (red flags or unanswered critical questions)
    na_count: int = 0  # shown, scored questions not applicable (typed or through a gate)
    unanswered_critical: tuple[str, ...] = ()  # keys of shown critical questions not answered

    @property
    def answered(self) -> int:
        return sum(t.answered for t in self.themes.values())

    @property
    def applicable(self) -> int:
        return sum(t.applicable for t in self.themes.values())


def validate_answer(question: Question, answer: Answer) -> str | None:
    """Why a value does not fit the question, for the person answering; None when it fits."""
    value = answer.value
    if answer.basis is not None and question.basis_level(answer.basis) is None:
        return (
            "Choose how you know from the options given."
            if question.ask_basis
            else "This question does not ask how you know."
        )
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
        exclusive = [question.option(v) for v in value if question.option(v).exclusive]
        if exclusive and len(set(value)) > 1:
            return (
                f"\u201c{exclusive[0].label}\u201d cannot be ticked together with another option."
            )
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
        if plan.exclusive and len(set(value)) > 1 and not plan.exclusive.isdisjoint(value):
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


def _capped(
    questionnaire: Questionnaire, value: float | None, cap: Band | None
) -> tuple[float | None, bool]:
    """A score held at the top of the cap band, and whether that lowered it."""
    if value is None or cap is None:
        return value, False
    top = questionnaire.band_top(cap)
    return (top, True) if value > top else (value, False)


def _basis_lowers(plan: ScoringPlan, answer: Answer, points: float | None) -> bool:
    """Whether a top answer rests on too weak a basis (a statement, or none given), or on a
    basis that needs a document (records) with none attached."""
    return (
        plan.ask_basis
        and points is not None
        and points >= 100.0
        and plan.lower_points < plan.top
        and (answer.basis not in plan.good_bases or _evidence_missing(plan, answer))
    )


def _evidence_missing(plan: ScoringPlan, answer: Answer) -> bool:
    """The answer's basis counts only with a document attached, and none is."""
    return answer.basis in plan.evidence_bases and answer.evidence <= 0


def score(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> Scorecard:
    """The scorecard of a set of answers (keyed by question key) to a questionnaire."""
    results: dict[str, QuestionResult] = {}
    red_flags: list[RedFlag] = []
    unanswered_critical: list[str] = []
    per_theme: dict[str, list[tuple[float, float]]] = {t.key: [] for t in questionnaire.themes}
    counts = {t.key: [0, 0] for t in questionnaire.themes}  # answered, applicable
    na_count = 0
    for plan in questionnaire.scoring_plan:
        answer = answers.get(plan.key)
        if plan.condition is None:
            visible = True
        else:
            visible = _triggered(results.get(plan.condition[0]), plan.condition[1])
        gate_closed = plan.gate is not None and _triggered(results.get(plan.gate[0]), plan.gate[1])
        na_reason = _not_applicable_because(plan, answer, gate_closed)
        marked_na = answer is not None and answer.is_na
        given = answer is not None and not marked_na and answer.value is not None
        applicable = visible and na_reason is None
        value_score = None
        answered = dont_know = downgraded = evidence_missing = False
        if applicable and given:
            if plan.scored:
                value_score = _points(plan, answer.value)
                if _basis_lowers(plan, answer, value_score):
                    value_score = 100.0 * plan.lower_points / plan.top
                    downgraded = True
                    evidence_missing = _evidence_missing(plan, answer)
                answered = value_score is not None
                dont_know = answered and plan.dont_know and answer.value == DONT_KNOW
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
            na_reason=na_reason if visible else None,
            dont_know=dont_know,
            downgraded=downgraded,
            evidence_missing=evidence_missing,
        )
        if not plan.scored or not visible:
            continue
        if not applicable:
            na_count += 1
            continue
        theme_counts = counts[plan.theme]
        theme_counts[1] += 1
        if value_score is None:
            if plan.threshold is not None:
                unanswered_critical.append(plan.key)
            continue
        theme_counts[0] += 1
        per_theme[plan.theme].append((plan.weight, value_score))
        if plan.threshold is not None and value_score < plan.threshold:
            red_flags.append(RedFlag(plan.key, plan.theme, plan.red_flag, value_score))
    cap = questionnaire.cap_band if red_flags or unanswered_critical else None
    capped_themes = {flag.theme for flag in red_flags} | {
        results[key].theme for key in unanswered_critical
    }
    themes: dict[str, ThemeResult] = {}
    for theme in questionnaire.themes:
        uncapped = _weighted_mean(per_theme[theme.key])
        theme_score, theme_capped = _capped(
            questionnaire, uncapped, cap if theme.key in capped_themes else None
        )
        themes[theme.key] = ThemeResult(
            key=theme.key,
            score=theme_score,
            band=questionnaire.band_for(theme_score),
            answered=counts[theme.key][0],
            applicable=counts[theme.key][1],
            weight=theme.weight,
            score_uncapped=uncapped,
            capped=theme_capped,
        )
    overall_uncapped = _weighted_mean(
        [(t.weight, t.score_uncapped) for t in themes.values() if t.score_uncapped is not None]
    )
    overall, capped = _capped(questionnaire, overall_uncapped, cap)
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
        overall_uncapped=overall_uncapped,
        capped=capped,
        cap_band=cap,
        na_count=na_count,
        unanswered_critical=tuple(unanswered_critical),
    )


@dataclass(frozen=True)
class Progress:
    """What an answering page needs after every save: which of the questions with a condition
    show (the others always do), which are not applicable through their gating question (the
    gate's reason), and per theme how many scored questions are answered, applicable and not
    applicable. Exactly what `score` says of the same answers, without the scores, bands and
    red flags."""

    visible: dict[str, bool]  # per question with a condition: whether it shows
    gated: dict[str, str | None]  # per question with a gate: its reason while it holds
    themes: dict[str, tuple[int, int, int]]  # answered, applicable, not applicable


def progress(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> Progress:
    """The progress of a set of answers: `score`'s visibility and counts, and nothing else.

    Autosave sends this back on every change of every answer, so it skips what only the
    verdict needs (scores, caps, bands, red flags, per-question results).
    """
    visible: dict[str, bool] = {}
    gated: dict[str, str | None] = {}
    counts = {t.key: [0, 0, 0] for t in questionnaire.themes}  # answered, applicable, n/a
    # The value of every answered question so far: what later conditions and gates look at.
    chosen: dict[str, Any] = {}
    for plan in questionnaire.scoring_plan:
        answer = answers.get(plan.key)
        shown = plan.condition is None or _chosen(chosen, *plan.condition)
        if answer is None and plan.gate is None:
            # Most questions of a new assessment: unanswered and never not applicable, so
            # they count as applicable (if shown and scored), and nothing more.
            if plan.condition is not None:
                visible[plan.key] = shown
            if shown and plan.scored:
                counts[plan.theme][1] += 1
            continue
        gate_closed = plan.gate is not None and _chosen(chosen, plan.gate[0], plan.gate[1])
        na_reason = _not_applicable_because(plan, answer, gate_closed)
        marked_na = answer is not None and answer.is_na
        answered = False
        if shown and na_reason is None and not marked_na and answer is not None:
            value = answer.value
            if value is not None:
                if plan.scored:
                    answered = _points(plan, value) is not None
                else:
                    answered = isinstance(value, str) and bool(value.strip())
        if answered:
            chosen[plan.key] = answer.value
        if plan.condition is not None:
            # Only these can change; the page keeps the others as they are.
            visible[plan.key] = shown
        if plan.gate is not None:
            reason = na_reason if shown else None
            gated[plan.key] = reason if reason == plan.gate[2] else None
        if not plan.scored or not shown:
            continue
        theme_counts = counts[plan.theme]
        if na_reason is not None:
            theme_counts[2] += 1
            continue
        theme_counts[1] += 1
        if answered:
            theme_counts[0] += 1
    return Progress(
        visible=visible, gated=gated, themes={key: tuple(c) for key, c in counts.items()}
    )


def _chosen(chosen: dict[str, Any], key: str, values: frozenset[str]) -> bool:
    """Whether the answered question `key` holds one of `values` (see `_triggered`)."""
    if key not in chosen:
        return False
    value = chosen[key]
    picked = set(value) if isinstance(value, list | tuple) else {value}
    return not picked.isdisjoint(values)


def _triggered(trigger: QuestionResult | None, values: frozenset[str]) -> bool:
    """Whether an earlier question was answered with one of `values`."""
    if trigger is None or not trigger.answered:
        return False
    value = trigger.answer.value
    chosen = set(value) if isinstance(value, list | tuple) else {value}
    return not chosen.isdisjoint(values)
