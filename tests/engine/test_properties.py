"""Properties of scoring that hold for any answers to the small questionnaire.

The questionnaire is used without its show_if conditions, so every question is always shown;
weights are drawn at random where that makes the property stronger.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import questionnaires as engine
from questionnaires import Answer
from tests.engine.builders import (
    honest_questionnaire,
    parse,
    small_questionnaire,
    without_conditions,
)

EXAMPLES = settings(max_examples=60, deadline=None)

WEIGHTS = st.floats(min_value=0.1, max_value=10, allow_nan=False, allow_infinity=False)

PLAIN = parse(without_conditions(small_questionnaire()))
# Reasons that are real sentences (na_reason_problem accepts them), so that N/A counts.
REASONS = st.sampled_from(
    (
        "We have no workers on our own sites.",
        "All our work is done by our own permanent staff.",
        "We publish nothing because the law does not cover us.",
    )
)


@st.composite
def weighted_questionnaires(draw) -> engine.Questionnaire:
    """The small questionnaire without conditions, with random theme and question weights."""
    raw = without_conditions(small_questionnaire())
    for item in raw["themes"] + raw["questions"]:
        item["weight"] = draw(WEIGHTS)
    return parse(raw)


def values_for(question: engine.Question) -> st.SearchStrategy[Any]:
    """Valid values for a question."""
    options = [o.value for o in question.choices]
    if question.type == "multiple":
        return st.lists(st.sampled_from(options), min_size=1, unique=True)
    if question.type == "number":
        return st.one_of(
            st.integers(min_value=0, max_value=100),
            st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False),
        )
    if question.type == "text":
        return st.text(max_size=30)
    return st.sampled_from(options)


def answers_for(questionnaire: engine.Questionnaire) -> st.SearchStrategy[dict[str, Answer]]:
    """Any mix of unanswered, answered and (where allowed) not applicable questions."""
    per_question = {}
    for question in questionnaire.questions:
        choices = [st.none(), values_for(question).map(lambda value: Answer(value=value))]
        if question.allow_na:
            choices.append(REASONS.map(lambda reason: Answer(na_reason=reason)))
        per_question[question.key] = st.one_of(*choices)
    return st.fixed_dictionaries(per_question).map(
        lambda drawn: {key: answer for key, answer in drawn.items() if answer is not None}
    )


@st.composite
def questionnaires_and_answers(draw):
    questionnaire = draw(weighted_questionnaires())
    return questionnaire, draw(answers_for(questionnaire))


def in_range(value: float | None) -> bool:
    return value is None or (math.isfinite(value) and 0 <= value <= 100)


@EXAMPLES
@given(questionnaires_and_answers())
def test_every_score_lies_between_0_and_100(drawn):
    questionnaire, answers = drawn

    card = engine.score(questionnaire, answers)

    assert all(in_range(result.score) for result in card.questions.values())
    assert all(in_range(result.score) for result in card.themes.values())
    assert in_range(card.overall)
    assert card.completeness is None or 0 <= card.completeness <= 1
    assert all(0 <= gap.score <= 100 for gap in engine.find_gaps(card) if gap.score is not None)


@st.composite
def a_raised_answer(draw):
    """A questionnaire, answers, and the same answers with one of them replaced by a better one."""
    questionnaire = draw(weighted_questionnaires())
    answers = draw(answers_for(questionnaire))
    raisable = []
    for key, answer in answers.items():
        question = questionnaire.question(key)
        if answer.is_na or not question.scored:
            continue
        if question.type == "number":
            can_rise = answer.value < 100
        elif question.type == "multiple":
            can_rise = len(answer.value) < len(question.choices)
        else:
            can_rise = any(o.score > question.option(answer.value).score for o in question.choices)
        if can_rise:
            raisable.append(key)
    if not raisable:
        # answer the first question with its lowest level, so there is always one to raise
        raisable = ["fees-policy"]
        answers = {**answers, "fees-policy": Answer("none")}
    key = draw(st.sampled_from(raisable))
    question = questionnaire.question(key)
    old = answers[key].value
    if question.type == "number":
        new = draw(st.floats(min_value=old, max_value=100, exclude_min=True, allow_nan=False))
    elif question.type == "multiple":
        unticked = [o.value for o in question.choices if o.value not in old]
        new = [*old, *draw(st.lists(st.sampled_from(unticked), min_size=1, unique=True))]
    else:
        current = question.option(old).score
        new = draw(st.sampled_from([o.value for o in question.choices if o.score > current]))
    return questionnaire, answers, {**answers, key: Answer(value=new)}


@EXAMPLES
@given(a_raised_answer())
def test_raising_one_answer_never_lowers_a_theme_score_or_the_overall_score(drawn):
    questionnaire, before, after = drawn

    old = engine.score(questionnaire, before)
    new = engine.score(questionnaire, after)

    for key, theme in old.themes.items():
        if theme.score is not None:
            assert new.themes[key].score >= theme.score - 1e-9, key
    assert new.overall >= old.overall - 1e-9
    assert new.completeness == old.completeness


@EXAMPLES
@given(questionnaires_and_answers(), st.randoms(use_true_random=False))
def test_the_order_of_the_answers_does_not_matter(drawn, random):
    questionnaire, answers = drawn
    shuffled_keys = list(answers)
    random.shuffle(shuffled_keys)
    shuffled = {key: answers[key] for key in shuffled_keys}

    card = engine.score(questionnaire, answers)
    again = engine.score(questionnaire, shuffled)

    assert again == card
    assert list(again.questions) == list(card.questions)
    assert engine.find_gaps(again) == engine.find_gaps(card)


@EXAMPLES
@given(
    st.sets(st.sampled_from([q.key for q in PLAIN.questions if q.scored and not q.critical])),
    REASONS,
    st.data(),
)
def test_not_applicable_everywhere_it_is_allowed_never_yields_a_score(allowed, reason, data):
    raw = without_conditions(small_questionnaire())
    for item in raw["questions"]:
        if item["key"] in allowed:
            item["allow_na"] = True
    for item in raw["themes"] + raw["questions"]:
        item["weight"] = data.draw(WEIGHTS)
    questionnaire = parse(raw)
    answers = {q.key: Answer(na_reason=reason) for q in questionnaire.questions if q.allow_na}

    card = engine.score(questionnaire, answers)

    assert card.overall is None
    assert card.band is None
    assert all(theme.score is None for theme in card.themes.values())
    assert card.red_flags == ()
    everything_na = all(q.allow_na for q in questionnaire.questions if q.scored)
    assert card.completeness == (None if everything_na else 0.0)
    assert not [g for g in engine.find_gaps(card) if g.kind != "no-information"]


# --- the rules that keep a verdict honest (builders.honest_questionnaire) ----------------------

HONEST = parse(honest_questionnaire())
BASES = st.sampled_from([None, "statement", "records", "verified"])


@st.composite
def honest_answers(draw) -> dict[str, Answer]:
    """Any mix of unanswered, answered (with any basis) and "not applicable" answers, including
    N/A typed on critical questions and empty N/A reasons."""
    answers = {}
    for question in HONEST.questions:
        kind = draw(st.sampled_from(("none", "value", "na", "junk-na")))
        if kind == "value":
            basis = draw(BASES) if question.ask_basis else None
            answers[question.key] = Answer(value=draw(values_for(question)), basis=basis)
        elif kind == "na":
            answers[question.key] = Answer(na_reason=draw(REASONS))
        elif kind == "junk-na":
            answers[question.key] = Answer(na_reason=draw(st.sampled_from(("n/a", "-", "none"))))
    return answers


def lowest(question: engine.Question) -> Answer:
    """The worst real option of a single-choice question (not "don't know")."""
    options = [o for o in question.choices if o.value != engine.DONT_KNOW]
    return Answer(value=min(options, key=lambda o: o.score).value)


def at_or_below(card: engine.Scorecard, band: engine.Band, value: float | None) -> bool:
    top = card.questionnaire.band_top(band)
    return value is None or value <= top


@EXAMPLES
@given(honest_answers())
def test_any_open_red_flag_keeps_the_verdict_and_its_theme_at_or_below_the_cap(answers):
    card = engine.score(HONEST, answers)

    if card.red_flags:
        cap = HONEST.cap_band
        assert card.cap_band == cap
        assert at_or_below(card, cap, card.overall)
        assert card.band is None or card.band.min <= cap.min
        for flag in card.red_flags:
            theme = card.themes[flag.theme]
            assert at_or_below(card, cap, theme.score)
            assert theme.band.min <= cap.min


@EXAMPLES
@given(honest_answers(), REASONS)
def test_na_on_critical_questions_never_lifts_the_verdict_above_what_no_would_allow(
    answers, reason
):
    """N/A cannot be given on a critical question: it leaves the question unanswered, and an
    unanswered critical question holds the verdict at the cap as "no" would."""
    critical = [q for q in HONEST.questions if q.critical is not None]
    with_na = {**answers, **{q.key: Answer(na_reason=reason) for q in critical}}
    with_no = {**answers, **{q.key: lowest(q) for q in critical}}

    na_card = engine.score(HONEST, with_na)
    no_card = engine.score(HONEST, with_no)

    assert not any(na_card.questions[q.key].answered for q in critical)
    ceiling = max(no_card.overall or 0, HONEST.band_top(HONEST.cap_band))
    assert na_card.overall is None or na_card.overall <= ceiling
    if na_card.band is not None and no_card.band is not None:
        assert na_card.band.min <= max(no_card.band.min, HONEST.cap_band.min)


@EXAMPLES
@given(honest_answers(), st.data())
def test_dont_know_never_scores_above_the_worst_answer(answers, data):
    unsure = [q for q in HONEST.questions if q.dont_know]
    chosen = data.draw(st.lists(st.sampled_from(unsure), min_size=1, unique=True))
    dont_know = {**answers, **{q.key: Answer(value=engine.DONT_KNOW) for q in chosen}}
    worst = {**answers, **{q.key: lowest(q) for q in chosen}}

    a = engine.score(HONEST, dont_know)
    b = engine.score(HONEST, worst)

    for question in chosen:
        if b.questions[question.key].answered:
            assert a.questions[question.key].score <= b.questions[question.key].score
    if b.overall is not None:
        assert a.overall <= b.overall + 1e-9
    assert len(a.red_flags) >= len(b.red_flags)


@EXAMPLES
@given(
    honest_answers(), st.sampled_from(["statement", None]), st.sampled_from(["records", "verified"])
)
def test_a_weak_basis_never_scores_a_top_answer_above_the_next_level(answers, weak, strong):
    """The basis downgrade: on a statement (or nothing) the top answer earns what the next
    level down earns; on records or verification, the full score."""
    top = {**answers, "fees-policy": Answer("verified", basis=weak)}
    next_level = {**answers, "fees-policy": Answer("applied", basis=strong)}
    proven = {**answers, "fees-policy": Answer("verified", basis=strong)}

    weak_card = engine.score(HONEST, top)
    lower_card = engine.score(HONEST, next_level)
    proven_card = engine.score(HONEST, proven)

    assert weak_card.questions["fees-policy"].score == lower_card.questions["fees-policy"].score
    assert weak_card.overall == lower_card.overall
    assert proven_card.questions["fees-policy"].score == 100
    assert proven_card.overall_uncapped >= weak_card.overall_uncapped
