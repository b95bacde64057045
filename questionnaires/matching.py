"""Matching a gap to the resources that help close it. Pure functions over the catalogue.

A gap's first resources are the ones its question names by hand (`primary_resources`), each with
the line saying why it helps. The rest come from the topic tags the question shares with the
catalogue, ranked by a score that adds up:

- how much of the question's topic the resource covers: the share of the question's tags it
  carries, each tag weighted by how rare it is in the catalogue (a resource sharing the specific
  "identity-documents" says more than one sharing the broad "legislation");
- whether it is the kind of resource the gap calls for (`resource_need`): a practice gap (most
  questions: is something done, and how well?) wants guidance, tools and training first; a gap
  about the legal basis (a question tagged "legislation") wants laws and standards first; studies
  and reports come last in both, as background rather than help;
- whether it is written for the assessment's audience, has a public address, and exists in the
  assessment's language (smaller weights, in that order).

The year plays no part: a recent law does not push an older practical guide aside, and an entry
without a year is not held back. Entries kept as general reading never come from tag matching.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from questionnaires.catalogue import Catalogue, Resource

PRACTICE = "practice"
LEGAL_BASIS = "legal-basis"

# How well each kind of resource fits each need (0-1).
KIND_FIT: dict[str, dict[str, float]] = {
    PRACTICE: {
        "tool": 1.0,
        "guidance": 1.0,
        "training": 0.8,
        "standard": 0.6,
        "law-or-policy": 0.3,
        "report": 0.1,
    },
    LEGAL_BASIS: {
        "law-or-policy": 1.0,
        "standard": 0.9,
        "guidance": 0.5,
        "tool": 0.4,
        "training": 0.3,
        "report": 0.1,
    },
}
COVERAGE_WEIGHT = 2.0
AUDIENCE_WEIGHT = 0.4
ADDRESS_WEIGHT = 0.2
LANGUAGE_WEIGHT = 0.1


def resource_need(tags: Iterable[str]) -> str:
    """What kind of resource a question's gap calls for: the legal basis or practice.

    A question tagged "legislation" asks about a legal duty (publishing a statement, exclusion
    grounds): laws and standards help most. Every other question asks about practice.
    """
    return LEGAL_BASIS if "legislation" in set(tags) else PRACTICE


@dataclass(frozen=True)
class Match:
    """A resource matched to a question, and why."""

    resource: Resource
    shared_tags: tuple[str, ...]
    for_audience: bool
    in_language: bool
    why: str | None = None  # for a primary resource: the question author's "why this helps"

    @property
    def primary(self) -> bool:
        """Whether the question's author picked this resource by hand."""
        return self.why is not None

    @property
    def reason(self) -> str:
        """Why it is shown: the author's line for a primary resource, else what it shares."""
        if self.why is not None:
            return self.why
        parts = ["shares the topics " + ", ".join(t.replace("-", " ") for t in self.shared_tags)]
        if self.for_audience:
            parts.append("written for this audience")
        if self.in_language:
            parts.append("available in the assessment's language")
        return "; ".join(parts)


def _fits(resource: Resource, audience: str | None, language: str | None) -> tuple[bool, bool]:
    for_audience = audience is not None and audience in resource.audiences
    in_language = language is not None and language.split("-")[0] in resource.languages
    return for_audience, in_language


def match_resources(
    resources: Iterable[Resource],
    *,
    tags: Sequence[str],
    audience: str | None = None,
    language: str | None = None,
    limit: int = 3,
    need: str | None = None,
    tag_weights: Mapping[str, float] | None = None,
    exclude: Iterable[str] = (),
) -> tuple[Match, ...]:
    """The best `limit` resources sharing a tag with a question, best first (see module doc).

    `need` defaults to `resource_need(tags)`; `tag_weights` (tag -> weight, default 1 each) say
    how much each shared tag counts; resources whose key is in `exclude` (already shown as
    primary resources) and general reading are left out.
    """
    if limit <= 0:
        return ()
    need = need or resource_need(tags)
    fit = KIND_FIT[need]
    weights = tag_weights or {}
    wanted = list(dict.fromkeys(tags))
    total = sum(weights.get(t, 1.0) for t in wanted) or 1.0

    skip = set(exclude)
    ranked = []
    for resource in resources:
        if resource.key in skip or resource.general_reading:
            continue
        carried = set(resource.tags)
        shared = tuple(t for t in wanted if t in carried)
        if not shared:
            continue
        for_audience, in_language = _fits(resource, audience, language)
        score = (
            COVERAGE_WEIGHT * sum(weights.get(t, 1.0) for t in shared) / total
            + fit.get(resource.type, 0.0)
            + AUDIENCE_WEIGHT * for_audience
            + ADDRESS_WEIGHT * (resource.url is not None)
            + LANGUAGE_WEIGHT * in_language
        )
        match = Match(resource, shared, for_audience, in_language)
        ranked.append((-round(score, 9), resource.title.casefold(), resource.key, match))
    ranked.sort(key=lambda row: row[:3])
    return tuple(row[3] for row in ranked[:limit])


def tag_weights(catalogue: Catalogue) -> dict[str, float]:
    """How much sharing each tag counts: rarer tags say more (inverse document frequency)."""
    pool = [r for r in catalogue.resources if not r.general_reading] or list(catalogue.resources)
    counts: dict[str, int] = {}
    for resource in pool:
        for tag in set(resource.tags):
            counts[tag] = counts.get(tag, 0) + 1
    n = len(pool)
    return {tag: 1.0 + math.log(n / count) for tag, count in counts.items()}


def primary_matches(
    catalogue: Catalogue,
    picks: Iterable[Any],
    *,
    tags: Sequence[str],
    audience: str | None = None,
    language: str | None = None,
) -> tuple[Match, ...]:
    """The question's hand-picked resources (`PrimaryResource` items), in the author's order."""

    found = []
    for pick in picks:
        resource = catalogue.get(pick.resource)
        if resource is None or resource.url is None:
            continue  # the loader refuses both; a stored older version may still name one
        for_audience, in_language = _fits(resource, audience, language)
        shared = tuple(t for t in dict.fromkeys(tags) if t in set(resource.tags))
        found.append(Match(resource, shared, for_audience, in_language, why=pick.why))
    return tuple(found)


Matcher = Callable[[Any, str | None, str | None], tuple[Match, ...]]


def make_matcher(catalogue: Catalogue, limit: int = 3) -> Matcher:
    """A cached `match(question, audience, language)` over one catalogue.

    `question` is a `Question` (its primary resources come first, then tag matches) or, for
    callers that have only topics, a sequence of tags.
    """
    weights = tag_weights(catalogue)

    @lru_cache(maxsize=4096)
    def cached(tags: tuple[str, ...], picks: tuple, audience: str | None, language: str | None):
        first = primary_matches(catalogue, picks, tags=tags, audience=audience, language=language)
        first = first[:limit]
        rest = match_resources(
            catalogue.with_any_tag(tags),
            tags=tags,
            audience=audience,
            language=language,
            limit=limit - len(first),
            tag_weights=weights,
            exclude=[m.resource.key for m in first],
        )
        return first + rest

    def match(question: Any, audience: str | None = None, language: str | None = None):
        if isinstance(question, str | list | tuple):
            return cached(tuple(question), (), audience, language)
        picks = tuple(getattr(question, "primary_resources", ()))
        return cached(tuple(question.tags), picks, audience, language)

    return match
