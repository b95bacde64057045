"""Matching a gap to the resources that help close it. Pure functions over the catalogue.

Resources are ranked by how many topic tags they share with the question, then whether they
are written for the assessment's audience, then whether they exist in its language, then
how recent they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from questionnaires.catalogue import Catalogue, Resource

# A questionnaire's audience, as the catalogue names the people a resource is written for.
RESOURCE_AUDIENCE = {"procurer": "procurer", "supplier": "supplier", "workshop": "facilitator"}


@dataclass(frozen=True)
class Match:
    """A resource matched to a question, and why."""

    resource: Resource
    shared_tags: tuple[str, ...]
    for_audience: bool
    in_language: bool

    @property
    def reason(self) -> str:
        parts = ["shares the topics " + ", ".join(t.replace("-", " ") for t in self.shared_tags)]
        if self.for_audience:
            parts.append("written for this audience")
        if self.in_language:
            parts.append("available in the assessment's language")
        return "; ".join(parts)


def match_resources(
    resources: Iterable[Resource],
    *,
    tags: Sequence[str],
    audience: str | None = None,
    language: str | None = None,
    limit: int = 3,
) -> tuple[Match, ...]:
    """The best `limit` resources for a question with these tags, best first."""
    wanted = set(tags)
    reader = RESOURCE_AUDIENCE.get(audience or "", audience)
    ranked = []
    for resource in resources:
        shared = tuple(t for t in tags if t in set(resource.tags))
        if not shared:
            continue
        match = Match(
            resource=resource,
            shared_tags=shared,
            for_audience=reader is not None and reader in resource.audiences,
            in_language=language is not None and language.split("-")[0] in resource.languages,
        )
        ranked.append(
            (
                -len(wanted & set(resource.tags)),
                not match.for_audience,
                not match.in_language,
                -(resource.year or 0),
                resource.title.casefold(),
                match,
            )
        )
    ranked.sort(key=lambda row: row[:5])
    return tuple(row[5] for row in ranked[:limit])


Matcher = Callable[[Sequence[str], str | None, str | None], tuple[Match, ...]]


def make_matcher(catalogue: Catalogue, limit: int = 3) -> Matcher:
    """A cached `match(tags, audience, language)` over one catalogue."""

    @lru_cache(maxsize=4096)
    def cached(tags: tuple[str, ...], audience: str | None, language: str | None):
        candidates = catalogue.with_any_tag(tags)
        return match_resources(
            candidates, tags=tags, audience=audience, language=language, limit=limit
        )

    def match(tags: Sequence[str], audience: str | None = None, language: str | None = None):
        return cached(tuple(tags), audience, language)

    return match
