"""One rule copies answers (next period's draft, a contractor's reuse and kept copy): the value
or not-applicable reason, the comment and how the answer is known all travel."""

from __future__ import annotations

import pytest

from app.assessments.answers import answer_state
from app.assessments.copying import copy_answers
from app.assessments.queries import stored_answers
from app.extensions import db
from app.scoping import Principal
from tests import factories

NA_REASON = "We use no recruitment agencies at all."


def _draft(admin, subject="Own buying"):
    return factories.make_assessment(
        admin.organisation, admin, questionnaire="buyer", subject=subject
    )


@pytest.fixture
def source(admin):
    assessment = _draft(admin)
    factories.answer(
        assessment, "risk-before-tender", "verified", user=admin, basis="statement", comment="B"
    )
    factories.answer(assessment, "central-guidance", na_reason=NA_REASON, user=admin, comment="C")
    return assessment


@pytest.mark.parametrize("as_typed", [False, True], ids=["into a new one", "as typed"])
def test_copied_answers_keep_value_na_reason_comment_and_basis(admin, source, as_typed):
    target = _draft(admin, "Next year")
    if as_typed:  # a draft with its own answer, which the copy replaces
        factories.answer(target, "risk-before-tender", "none", user=admin)

    copied = copy_answers(source, target, Principal(user=admin), as_typed=as_typed)
    db.session.commit()

    expected = {key: answer_state(row) for key, row in stored_answers(source).items()}
    assert copied == len(expected) == 2
    assert {key: answer_state(row) for key, row in stored_answers(target).items()} == expected
    assert expected["risk-before-tender"]["basis"] == "statement"
    assert expected["central-guidance"] == {
        "value": None,
        "na_reason": NA_REASON,
        "comment": "C",
        "basis": None,
    }
    assert stored_answers(target)["risk-before-tender"].revision == (2 if as_typed else 1)
