"""The resource catalogue: guidance, laws, standards and tools that gaps link to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from questionnaires.errors import ContentError, Problem
from questionnaires.model import Key, Text
from questionnaires.problems import item_path, problems_from_validation
from questionnaires.yamlfile import read_yaml

Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]


def _web_address(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in url.strip():
        raise ValueError("must be a full web address starting with https:// or http://")
    return url.strip()


class Version(BaseModel):
    """A language edition of a resource: its own address, and its title where it differs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    title: Text | None = None

    @field_validator("url")
    @classmethod
    def _address(cls, url: str) -> str:
        return _web_address(url)


@dataclass(frozen=True)
class Edition:
    """What a reader of one language is sent to: the address, its title and its language."""

    url: str | None
    title: str
    language: str  # the language the address opens in


class Resource(BaseModel):
    """One entry of the catalogue."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    key: Key
    title: Text
    # Another name the document is known by (a short name, or its full title where `title` keeps
    # the wording of the source that named it); found by the library search as well.
    alt_title: Text | None = None
    organisation: Text
    type: Literal["law-or-policy", "guidance", "tool", "report", "standard", "training"]
    year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    jurisdiction: str | None = None
    # The languages it is published in; the first is the language `url` opens in.
    languages: Annotated[tuple[Language, ...], Field(min_length=1)]
    url: str | None = None
    # The other language editions with an address of their own: language -> url (and title).
    versions: dict[Language, Version] = Field(default_factory=dict)
    # False for a document that is not published (a paid standard, an internal or training
    # pack): it has no address on purpose and is never a question's primary resource.
    public: bool = True
    summary: Text
    # True for background kept on purpose although no question's gap links to it: the library
    # lists it under "General reading".
    general_reading: bool = False
    audiences: Annotated[tuple[Literal["buyer", "supplier", "workshop"], ...], Field(min_length=1)]
    tags: Annotated[tuple[Key, ...], Field(min_length=1)]

    @field_validator("url")
    @classmethod
    def _address(cls, url: str | None) -> str | None:
        return None if url is None else _web_address(url)

    @model_validator(mode="after")
    def _public_or_not(self) -> Resource:
        if not self.public and (self.url is not None or self.versions):
            raise ValueError("has an address but says public: false; drop one of the two")
        return self

    @model_validator(mode="after")
    def _versions_fit(self) -> Resource:
        for language, version in self.versions.items():
            if language not in self.languages:
                raise ValueError(
                    f"versions.{language}: '{language}' is not in languages; list every "
                    "language the resource is published in"
                )
            if language == self.languages[0]:
                raise ValueError(
                    f"versions.{language}: '{language}' is the language of url (the first in "
                    "languages); a version is another language's edition"
                )
            if version.url == self.url:
                raise ValueError(
                    f"versions.{language}.url is the entry's own url; give the address of the "
                    f"{language} edition, or leave the version out"
                )
        return self

    def edition(self, language: str | None) -> Edition:
        """The edition for a reader of `language`: theirs where it has an address of its own,
        else the entry's own address, in the language it opens in."""
        version = self.versions.get((language or "").split("-")[0])
        if version is not None:
            return Edition(version.url, version.title or self.title, language.split("-")[0])
        return Edition(self.url, self.title, self.languages[0])


class CatalogueFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    resources: Annotated[tuple[Resource, ...], Field(min_length=1)]


class Catalogue(BaseModel):
    """The loaded catalogue, with look-ups by key and by tag."""

    model_config = ConfigDict(frozen=True)

    resources: tuple[Resource, ...]
    _by_key: dict[str, Resource] = PrivateAttr(default_factory=dict)
    _by_tag: dict[str, tuple[Resource, ...]] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context, /) -> None:
        self._by_key = {r.key: r for r in self.resources}
        by_tag: dict[str, list[Resource]] = {}
        for resource in self.resources:
            for tag in resource.tags:
                by_tag.setdefault(tag, []).append(resource)
        self._by_tag = {tag: tuple(items) for tag, items in by_tag.items()}

    def get(self, key: str) -> Resource | None:
        return self._by_key.get(key)

    def with_any_tag(self, tags: Iterable[str]) -> list[Resource]:
        """Resources that carry at least one of the tags, each once, in catalogue order."""
        seen: dict[str, Resource] = {}
        for tag in tags:
            for resource in self._by_tag.get(tag, ()):
                seen.setdefault(resource.key, resource)
        order = {r.key: i for i, r in enumerate(self.resources)}
        return sorted(seen.values(), key=lambda r: order[r.key])

    def primary_resource_problems(self, questions: Iterable) -> list[tuple[tuple, str]]:
        """Where questions name primary resources the catalogue cannot back: (location, why).

        A location is `("questions", index, "primary_resources", n, "resource")`. An unknown key
        is an error, and so is a resource without a public address: a primary resource is shown
        as the first thing to read, so it must be something a reader can open.
        """
        problems: list[tuple[tuple, str]] = []
        for i, question in enumerate(questions):
            for n, picked in enumerate(question.primary_resources):
                at = ("questions", i, "primary_resources", n, "resource")
                resource = self.get(picked.resource)
                if resource is None:
                    problems.append(
                        (at, f"'{picked.resource}' is not a resource in resources.yaml")
                    )
                elif resource.url is None:
                    problems.append(
                        (
                            at,
                            f"'{picked.resource}' has no public address in resources.yaml, so it "
                            "cannot be a primary resource (pick one a reader can open)",
                        )
                    )
        return problems

    @property
    def tags(self) -> frozenset[str]:
        """Every tag at least one resource a gap can link to carries (general reading aside)."""
        return frozenset(
            tag for tag, items in self._by_tag.items() if any(not r.general_reading for r in items)
        )


def load_catalogue(path: str | Path, tags: Iterable[str] | None = None) -> Catalogue:
    """Load and check a catalogue file; ContentError lists every problem."""
    name = Path(path).name
    raw = read_yaml(path)
    try:
        parsed = CatalogueFile.model_validate(raw)
    except ValidationError as error:
        raise ContentError(problems_from_validation(name, raw, error)) from error
    known = set(tags) if tags is not None else None
    problems: list[Problem] = []
    first_key: dict[str, int] = {}
    first_title: dict[str, int] = {}
    for index, resource in enumerate(parsed.resources):
        where = item_path(raw, ("resources", index))
        if resource.key in first_key:
            problems.append(
                Problem(name, where, f"the key is used by resources[{first_key[resource.key]}] too")
            )
        first_key.setdefault(resource.key, index)
        title = " ".join(resource.title.casefold().split())
        if title in first_title:
            problems.append(
                Problem(name, where, f"the title is used by resources[{first_title[title]}] too")
            )
        first_title.setdefault(title, index)
        if known is not None:
            for tag in resource.tags:
                if tag not in known:
                    problems.append(
                        Problem(name, f"{where}.tags", f"'{tag}' is not a tag in tags.yaml")
                    )
    if problems:
        raise ContentError(problems)
    return Catalogue(resources=parsed.resources)
