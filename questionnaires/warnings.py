"""What `questionnaires check` warns about: content that loads but is not yet complete.

Warnings never stop the app or the check (it still exits 0); errors are for content that
contradicts itself (see the loader and `Catalogue.primary_resource_problems`).
"""

from __future__ import annotations

from pathlib import Path

from questionnaires.catalogue import Catalogue
from questionnaires.errors import Problem
from questionnaires.model import Questionnaire
from questionnaires.problems import item_path
from questionnaires.yamlfile import read_yaml


def catalogue_warnings(catalogue: Catalogue, file: str = "resources.yaml") -> list[Problem]:
    """Entries without a year, and public entries without an address."""
    warnings = []
    for index, resource in enumerate(catalogue.resources):
        where = f"resources[{index}] '{resource.key}'"
        if resource.year is None:
            warnings.append(Problem(file, where, "has no year"))
        if resource.public and resource.url is None:
            warnings.append(
                Problem(
                    file,
                    where,
                    "has no address: add the publisher's own url, or public: false if the "
                    "document is not published",
                )
            )
    return warnings


def questionnaire_warnings(questionnaire: Questionnaire, path: Path) -> list[Problem]:
    """Scored questions that name no primary resource (their gap falls back on topic matches)."""
    missing = [
        i for i, q in enumerate(questionnaire.questions) if q.scored and not q.primary_resources
    ]
    if not missing:
        return []
    raw = read_yaml(path)
    return [
        Problem(
            path.name,
            item_path(raw, ("questions", i)),
            "names no primary_resources: its gap shows only resources matched by topic",
        )
        for i in missing
    ]
