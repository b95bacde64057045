"""Errors raised while loading questionnaires and the resource catalogue.

Every problem names the file, the item's path inside it and what is wrong, so that a person
editing the YAML can find and fix it without reading code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one item of a content file."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message}"


class ContentError(Exception):
    """A content file (questionnaire, catalogue, tag list) is invalid; holds every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
