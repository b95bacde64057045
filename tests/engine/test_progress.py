"""The progress an autosave reports is exactly what the full scorecard says of the same answers.

`progress` skips the scores to be quick on every save; these properties hold it to `score` on
the shipped questionnaires, whose conditions and gates make visibility depend on earlier
answers.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import questionnaires as engine
from questionnaires import Answer
from tests.engine.test_properties import REASONS, values_for

SHIPPED = engine.load_content(str(engine.SHIPPED_DIR)).questionnaires


def _answer(question: engine.Question) -> st.SearchStrategy[Answer | None]:
    return st.one_of(
        st.none(),
        values_for(question).map(lambda value: Answer(value=value)),
        st.just(Answer(value="not-an-option")),
        REASONS.map(lambda reason: Answer(na_reason=reason)),
        st.just(Answer(na_reason="n/a")),
        st.just(Answer(value=None, comment="Only a comment.")),
    )


@st.composite
def shipped_answers(draw):
    questionnaire = SHIPPED[draw(st.sampled_from(sorted(SHIPPED)))]
    answers = {}
    for question in questionnaire.questions:
        answer = draw(_answer(question))
        if answer is not None:
            answers[question.key] = answer
    return questionnaire, answers


@settings(max_examples=25, deadline=None)
@given(shipped_answers())
def test_progress_says_what_the_scorecard_says(drawn):
    questionnaire, answers = drawn
    card = engine.score(questionnaire, answers)
    found = engine.progress(questionnaire, answers)

    conditional = {q.key for q in questionnaire.questions if q.show_if is not None}
    assert found.visible == {
        key: result.visible for key, result in card.questions.items() if key in conditional
    }
    # A question without a condition always shows, so the progress leaves it out.
    assert all(card.questions[key].visible for key in card.questions.keys() - conditional)
    gates = {q.key: q.na_if.reason for q in questionnaire.questions if q.na_if is not None}
    assert found.gated == {
        key: card.questions[key].na_reason if card.questions[key].na_reason == reason else None
        for key, reason in gates.items()
    }
    for key, theme in card.themes.items():
        na = sum(
            1
            for result in card.questions.values()
            if result.theme == key and result.na and questionnaire.question(result.key).scored
        )
        assert found.themes[key] == (theme.answered, theme.applicable, na)
    assert sum(na for _a, _b, na in found.themes.values()) == card.na_count


def test_a_gate_that_holds_is_reported_with_its_reason():
    questionnaire = SHIPPED["supplier"]
    gated = next(q for q in questionnaire.questions if q.na_if is not None)
    gate = questionnaire.question(gated.na_if.question)
    value = sorted(gated.na_if.any_of)[0]
    if gate.type == "multiple":
        value = [value]

    found = engine.progress(questionnaire, {gate.key: Answer(value=value)})

    assert found.gated[gated.key] == gated.na_if.reason
    assert engine.progress(questionnaire, {}).gated[gated.key] is None
