"""An answer as a person gives it: read from the autosave JSON, the plain form or a stored
row, then normalised and checked against its question."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import questionnaires as engine
from app.assessments.errors import InvalidAnswer
from app.models import Answer


def _clean(text: str) -> str:
    """NUL characters cannot be stored in PostgreSQL and mean nothing to a reader."""
    return text.replace("\x00", "")


@dataclass(frozen=True)
class AnswerInput:
    """An answer as the person gave it, before it is checked."""

    value: Any = None
    na: bool = False
    na_reason: str = ""
    comment: str = ""
    basis: str = ""

    @classmethod
    def from_row(cls, row) -> AnswerInput:
        """A stored answer as input again (to copy it into another assessment)."""
        return cls(
            value=row.value,
            na=row.na_reason is not None,
            na_reason=row.na_reason or "",
            comment=row.comment or "",
            basis=row.basis or "",
        )

    @classmethod
    def from_json(cls, payload: dict[str, Any]) -> AnswerInput:
        """Read the autosave payload; anything of the wrong kind becomes InvalidAnswer."""
        value = payload.get("value")
        if isinstance(value, str):
            value = _clean(value)
        elif isinstance(value, list):
            value = [_clean(v) if isinstance(v, str) else v for v in value]
        elif (value is not None and not isinstance(value, int | float)) or isinstance(value, bool):
            raise InvalidAnswer("The answer could not be read.")
        texts = []
        for name in ("na_reason", "comment", "basis"):
            text = payload.get(name) or ""
            if not isinstance(text, str):
                raise InvalidAnswer("The answer could not be read.")
            texts.append(_clean(text))
        return cls(
            value=value,
            na=payload.get("na") is True,
            na_reason=texts[0],
            comment=texts[1],
            basis=texts[2],
        )

    @classmethod
    def from_form(cls, subform) -> AnswerInput:
        """Read one question's subform of the answering page."""
        value = subform.value.data
        if isinstance(value, str):
            value = _clean(value)
        elif isinstance(value, list):
            value = [_clean(v) for v in value] or None
        return cls(
            value=value,
            na=bool(subform.na.data),
            na_reason=_clean(subform.na_reason.data or ""),
            comment=_clean(subform.comment.data or ""),
            basis=_clean(subform.basis.data or "") if "basis" in subform else "",
        )

    def state(self) -> dict[str, Any]:
        """The stored form: what the audit trail records as old and new."""
        return {
            "value": None if self.na else self.value,
            "na_reason": self.na_reason.strip() if self.na else None,
            "comment": self.comment.strip() or None,
            "basis": None if self.na else (self.basis.strip() or None),
        }


def answer_state(answer: Answer | None) -> dict[str, Any]:
    """A stored answer (or none) in the form `AnswerInput.state` gives."""
    if answer is None:
        return {"value": None, "na_reason": None, "comment": None, "basis": None}
    return {
        "value": answer.value,
        "na_reason": answer.na_reason,
        "comment": answer.comment,
        "basis": answer.basis,
    }


def engine_answer(row, evidence: int = 0) -> engine.Answer:
    """A stored answer (a model or a row of its columns) in the engine's terms, with the
    number of documents attached to it."""
    return engine.Answer(
        value=row.value,
        na_reason=row.na_reason,
        comment=row.comment,
        basis=row.basis,
        evidence=evidence,
    )


def check_answer(question, given: AnswerInput) -> AnswerInput:
    """Normalise and check an answer against its question; raises InvalidAnswer."""
    value = given.value
    if given.na:
        if not question.allow_na:
            raise InvalidAnswer("This question cannot be marked not applicable.")
        problem = engine.na_reason_problem(given.na_reason)
        if problem:
            raise InvalidAnswer(problem, field="na_reason")
        return AnswerInput(None, True, given.na_reason.strip()[:2000], given.comment[:5000])
    # Only a question that asks how its answer is known keeps a basis.
    basis = given.basis.strip() if question.ask_basis else ""
    if basis and question.basis_level(basis) is None:
        raise InvalidAnswer("Choose how you know from the options given.", field="basis")
    if question.type == "number" and value is not None:
        try:
            value = float(str(value).replace(",", ".").strip())
        except ValueError as error:
            raise InvalidAnswer("Enter a number.") from error
        if value != value or value in (float("inf"), float("-inf")):
            raise InvalidAnswer("Enter a number.")
    elif question.type == "multiple" and value is not None:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidAnswer("Choose from the options given.")
        value = sorted(set(value)) or None
    elif value is not None:
        if not isinstance(value, str):
            raise InvalidAnswer("Choose from the options given.")
        value = value.strip()[:10000] or None
    if value is not None:
        problem = engine.validate_answer(question, engine.Answer(value=value))
        if problem:
            raise InvalidAnswer(problem)
    return AnswerInput(value, False, "", given.comment[:5000], basis)
