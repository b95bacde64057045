"""The controlled list of topic tags that questions and resources share."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from questionnaires.errors import ContentError
from questionnaires.model import Key
from questionnaires.problems import problems_from_validation
from questionnaires.yamlfile import read_yaml


class TagFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    tags: dict[Key, Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]]


def load_tags(path: str | Path) -> dict[str, str]:
    """Tag key to its description; ContentError naming the file and item when invalid."""
    raw = read_yaml(path)
    try:
        return dict(TagFile.model_validate(raw).tags)
    except ValidationError as error:
        raise ContentError(problems_from_validation(Path(path).name, raw, error)) from error
