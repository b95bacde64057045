"""Generated sample answers follow the rules of the questionnaire: valid answers, a basis where
the question asks how the answer is known, no answer behind a gate, "don't know" now and
then."""

from __future__ import annotations

import questionnaires as engine
from tests.engine.builders import honest_questionnaire, parse, question

HONEST = parse(honest_questionnaire())


def _with_dont_know_on_a_plain_question() -> engine.Questionnaire:
    raw = honest_questionnaire()
    question(raw, "uses-agencies").update(
        dont_know=True, dont_know_action="Ask the site managers which agencies they call."
    )
    return parse(raw)


def test_every_sample_answer_fits_its_question_and_gives_a_basis_where_asked():
    for seed in range(20):
        answers = engine.sample_answers(HONEST, seed=seed, level=0.7)
        for key, answer in answers.items():
            question = HONEST.question(key)
            assert engine.validate_answer(question, answer) is None, (seed, key, answer)
            if question.ask_basis:
                assert answer.basis in {"statement", "records", "verified"}
            else:
                assert answer.basis is None


def test_samples_answer_dont_know_now_and_then_but_never_on_a_critical_question():
    questionnaire = _with_dont_know_on_a_plain_question()
    seen = set()
    for seed in range(60):
        answers = engine.sample_answers(questionnaire, seed=seed, red_flags=0)
        seen |= {key for key, answer in answers.items() if answer.value == engine.DONT_KNOW}
    assert seen == {"uses-agencies"}  # now and then; never fees-who-pays or provider-fees


def test_a_question_made_not_applicable_by_an_earlier_answer_gets_no_answer():
    for seed in range(40):
        answers = engine.sample_answers(HONEST, seed=seed)
        if answers["uses-providers"].value == "no":
            assert "provider-fees" not in answers
            return
    raise AssertionError("no seed answered the gating question with 'no'")


def test_the_red_flags_of_samples_are_exactly_the_ones_asked_for():
    supplier = engine.load_content(engine.SHIPPED_DIR).questionnaires["supplier"]
    for seed in range(5):
        for flags in (0, 2):
            card = engine.score(
                supplier, engine.sample_answers(supplier, seed=seed, red_flags=flags)
            )
            assert len(card.red_flags) == flags, (seed, flags)
