"""Searching and filtering the resource catalogue (pure functions over the catalogue)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class LibraryQuery:
    """What a visitor asked for; empty fields do not filter."""

    text: str = ""
    tags: frozenset[str] = frozenset()
    type: str = ""
    organisation: str = ""
    language: str = ""
    audience: str = ""


def _words(text: str) -> list[str]:
    return [word for word in text.casefold().split() if word]


def search_resources(resources: Iterable, query: LibraryQuery) -> list:
    """The resources matching every given filter, each word of the text in title, organisation
    or summary; sorted by how many words hit the title, then newest first, then title."""
    words = _words(query.text)
    found = []
    for resource in resources:
        if query.tags and not query.tags & set(resource.tags):
            continue
        if query.type and resource.type != query.type:
            continue
        if query.organisation and resource.organisation != query.organisation:
            continue
        if query.language and query.language not in resource.languages:
            continue
        if query.audience and query.audience not in resource.audiences:
            continue
        haystack = f"{resource.title} {resource.organisation} {resource.summary}".casefold()
        if not all(word in haystack for word in words):
            continue
        title_hits = sum(word in resource.title.casefold() for word in words)
        found.append((-title_hits, -(resource.year or 0), resource.title.casefold(), resource))
    found.sort(key=lambda item: item[:3])
    return [item[3] for item in found]


def questions_helped(resource, questionnaires: Mapping) -> list[tuple]:
    """For each questionnaire, the questions that share a tag with the resource."""
    result = []
    tags = set(resource.tags)
    for questionnaire in sorted(questionnaires.values(), key=lambda q: q.title):
        questions = [q for q in questionnaire.questions if tags & set(q.tags or ())]
        if questions:
            result.append((questionnaire, questions))
    return result


def theme_tags(questionnaire, theme_key: str) -> frozenset[str]:
    """The tags of a theme: every tag its questions carry."""
    return frozenset(tag for q in questionnaire.questions_in(theme_key) for tag in (q.tags or ()))
