"""Generated answers for demonstrations and benchmarks: plausible, with typical gaps.

Deterministic for a given seed, so a demo database and a benchmark report are the same on
every machine.
"""

from __future__ import annotations

import random

from questionnaires.model import SINGLE_CHOICE_TYPES, Questionnaire
from questionnaires.scoring import Answer

EVIDENCE = (
    "Described in the supplier code and the onboarding checklist; records kept by the "
    "compliance team."
)


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
    their best; the last `unanswered` scored questions are left without an answer.
    """
    rng = random.Random(seed)
    answers: dict[str, Answer] = {}
    flagged = 0
    for question in questionnaire.questions:
        options = sorted(question.choices, key=lambda o: o.score)
        if question.type in SINGLE_CHOICE_TYPES:
            if question.critical is not None:
                pick = options[0] if flagged < red_flags else options[-1]
                flagged += pick is options[0]
            else:
                index = round(level * (len(options) - 1)) + rng.choice((-1, 0, 0, 1))
                pick = options[min(max(index, 0), len(options) - 1)]
            value = pick.value
        elif question.type == "multiple":
            value = [o.value for o in question.choices if o.score > 0 and rng.random() < level]
            value = value or [options[-1].value]
        elif question.type == "number":
            low = question.min if question.min is not None else 0.0
            high = question.max if question.max is not None else 100.0
            value = round(low + (high - low) * min(1.0, max(0.0, level + rng.uniform(-0.2, 0.2))))
        else:
            value = EVIDENCE
        comment = "Checked against last year's records." if rng.random() < 0.3 else None
        answers[question.key] = Answer(value=value, comment=comment)
    if unanswered:
        scored = [q.key for q in questionnaire.questions if q.scored and q.critical is None]
        for key in scored[-unanswered:]:
            answers.pop(key, None)
    return answers
