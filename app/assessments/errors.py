"""The exceptions the assessment services raise, for the views to turn into messages."""

from __future__ import annotations


class AssessmentClosed(Exception):
    """The assessment is submitted: its answers are frozen."""


class InvalidAnswer(ValueError):
    """The answer does not fit the question; the message says why, for the person answering.

    `field` names the part of the answer at fault (value, na_reason or basis), so that the
    message shows next to it.
    """

    def __init__(self, message: str, field: str = "value"):
        super().__init__(message)
        self.field = field


class EvidenceRequired(Exception):
    """Answered questions that require a document have none: the assessment cannot be
    submitted yet. `questions` are those questions (of the shown questionnaire)."""

    def __init__(self, questions):
        super().__init__(", ".join(q.key for q in questions))
        self.questions = list(questions)
