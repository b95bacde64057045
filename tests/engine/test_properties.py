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
from tests.engine.builders import parse, small_questionnaire, without_conditions

EXAMPLES = settings(max_examples=60, deadline=None)

WEIGHTS = st.floats(min_value=0.1, max_value=10, allow_nan=False, allow_infinity=False)

PLAIN = parse(without_conditions(small_questionnaire()))
REASONS = st.text(min_size=1, max_size=20)


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
    st.sets(st.sampled_from([q.key for q in PLAIN.questions if q.scored])),
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
