"""Generated answers for demonstrations and benchmarks: plausible, with typical gaps.

Deterministic for a given seed, so a demo database and a benchmark report are the same on
every machine. They follow the rules a real organisation meets: a basis for every question
that asks how the answer is known (mostly records, sometimes only a management statement),
"we don't know" now and then where it is offered, and no answer to a question that an
earlier answer made not applicable.
"""

from __future__ import annotations

import random

from questionnaires.model import DONT_KNOW, SINGLE_CHOICE_TYPES, Questionnaire
from questionnaires.scoring import Answer

EVIDENCE = (
    "Described in the supplier code and the onboarding checklist; records kept by the "
    "compliance team."
)
# How often a question that offers "we don't know" gets it (never a critical one: those follow
# `red_flags`).
DONT_KNOW_SHARE = 0.12


def _basis(questionnaire: Questionnaire, rng: random.Random, *, strong: bool) -> str | None:
    """Mostly the first basis that counts in full; a statement alone now and then, unless
    `strong`."""
    levels = questionnaire.basis
    if not levels:
        return None
    weak = [level.value for level in levels if level.counts_one_lower]
    full = [level.value for level in levels if not level.counts_one_lower]
    if strong:
        # Samples carry no documents: a basis that needs one would count one lower.
        full = [v for v in full if not _needs_evidence(questionnaire, v)] or full
    roll = rng.random()
    if weak and roll < 0.25 and not (strong and full):
        return weak[0]
    if len(full) > 1 and roll > 0.85:
        return full[-1]
    return full[0] if full else weak[0]


def _needs_evidence(questionnaire: Questionnaire, value: str) -> bool:
    return any(level.value == value and level.needs_evidence for level in questionnaire.basis)


def _gated(question, answers: dict[str, Answer]) -> bool:
    gate = question.na_if
    if gate is None:
        return False
    given = answers.get(gate.question)
    if given is None or given.value is None:
        return False
    chosen = set(given.value) if isinstance(given.value, list | tuple) else {given.value}
    return not chosen.isdisjoint(gate.any_of)


def sample_answers(
    questionnaire: Questionnaire,
    *,
    seed: int = 0,
    level: float = 0.6,
    red_flags: int = 1,
    unanswered: int = 0,
) -> dict[str, Answer]:
    """Answers to every question of `questionnaire` around `level` (0-1) of the best answer.

    The first `red_flags` critical questions get their weakest answer, the other critical ones
    their best; the last `unanswered` scored questions are left without an answer. Questions
    made not applicable by an earlier answer (`na_if`) get no answer.
    """
    rng = random.Random(seed)
    answers: dict[str, Answer] = {}
    flagged = 0
    for question in questionnaire.questions:
        if _gated(question, answers):
            continue
        real = [o for o in question.choices if o.value != DONT_KNOW]
        options = sorted(real, key=lambda o: o.score)
        basis = None
        if question.type in SINGLE_CHOICE_TYPES:
            if question.critical is not None:
                pick = options[0] if flagged < red_flags else options[-1]
                flagged += pick is options[0]
                value = pick.value
            elif question.dont_know and rng.random() < DONT_KNOW_SHARE:
                value = DONT_KNOW
            else:
                index = round(level * (len(options) - 1)) + rng.choice((-1, 0, 0, 1))
                value = options[min(max(index, 0), len(options) - 1)].value
            if question.ask_basis and value != DONT_KNOW:
                # A critical answer rests on records, so that `red_flags` alone decides the
                # red flags (a top answer on a statement would keep its red flag open).
                basis = _basis(questionnaire, rng, strong=question.critical is not None)
        elif question.type == "multiple":
            positive = [o for o in real if o.score > 0 and not o.exclusive]
            value = [o.value for o in positive if rng.random() < level]
            value = value or [options[-1].value]
        elif question.type == "number":
            low = question.min if question.min is not None else 0.0
            high = question.max if question.max is not None else 100.0
            value = round(low + (high - low) * min(1.0, max(0.0, level + rng.uniform(-0.2, 0.2))))
        else:
            value = EVIDENCE
        comment = "Checked against last year's records." if rng.random() < 0.3 else None
        answers[question.key] = Answer(value=value, comment=comment, basis=basis)
    if unanswered:
        scored = [q.key for q in questionnaire.questions if q.scored and q.critical is None]
        for key in scored[-unanswered:]:
            answers.pop(key, None)
    return answers
