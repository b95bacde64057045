"""Searching and filtering the resource catalogue.

Text search uses SQLite's own full-text engine, FTS5, with the `porter unicode61` tokenizer: word
forms ("fee" finds "fees"), accents ("societes" finds "sociétés"), and hyphens read as spaces
("employer-pays" is "employer pays"), ranked by relevance (BM25, a title hit counting most).

The catalogue lives in YAML, not in the database, so the index is built in memory from the
loaded catalogue (a few milliseconds for a hundred entries) and kept for the life of the
process. That is one code path for SQLite and PostgreSQL alike, with nothing to migrate or keep
in step with the files; SQLite ships with Python, so nothing is added either.

British and American spellings ("labour"/"labor", "organisation"/"organization") are not word
forms a stemmer knows; both the indexed text and the query are put in one spelling first.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# British spelling -> the one spelling both index and query use. Whole words or word starts;
# "-isation/-ise" verbs are handled by the rule below the table.
_SPELLING = {
    "labour": "labor",
    "labourer": "laborer",
    "harbour": "harbor",
    "behaviour": "behavior",
    "favour": "favor",
    "honour": "honor",
    "neighbour": "neighbor",
    "colour": "color",
    "programme": "program",
    "centre": "center",
    "defence": "defense",
    "offence": "offense",
    "licence": "license",
    "catalogue": "catalog",
    "analyse": "analyze",
    "judgement": "judgment",
    "travelling": "traveling",
    "modelling": "modeling",
    "ageing": "aging",
}
# The "-ise" verbs of the domain with their "-ize" form (organise, recognise, prioritise...).
_ISE_STEMS = (
    "organ|recogn|prioriti|minim|maxim|util|harmon|author|categor|characteri|emphas|summar"
    "|standard|normal|stabil|legal|penal|criminal|mobil|capital|custom|optim|real|special"
    "|synchron|apolog|critic|symbol|victim|civil|central|global|local|formal|industrial"
)
_ISE = re.compile(rf"\b({_ISE_STEMS})(is)(e|es|ed|ing|ation|ations|er|ers)\b")
_WORD = re.compile(r"\w+", re.UNICODE)
_SPELLING_RE = re.compile(r"\b(" + "|".join(sorted(_SPELLING, key=len, reverse=True)) + r")(\w*)")


def normalise_spelling(text: str) -> str:
    """The text in lower case, with British spellings turned into the American ones."""
    text = text.casefold()
    text = _ISE.sub(lambda m: f"{m.group(1)}iz{m.group(3)}", text)
    return _SPELLING_RE.sub(lambda m: _SPELLING[m.group(1)] + m.group(2), text)


@dataclass(frozen=True)
class LibraryQuery:
    """What a visitor asked for; empty fields do not filter."""

    text: str = ""
    tags: frozenset[str] = frozenset()
    type: str = ""
    organisation: str = ""
    language: str = ""
    audience: str = ""


# Column weights for BM25: a word in the title counts most, then another name, then tags.
_COLUMNS = ("title", "alt_title", "tags", "organisation", "summary")
_WEIGHTS = (10.0, 8.0, 3.0, 2.0, 1.0)


class _Index:
    """An in-memory FTS5 index over a fixed list of resources."""

    def __init__(self, resources: Sequence):
        self.resources = list(resources)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            f"CREATE VIRTUAL TABLE doc USING fts5({', '.join(_COLUMNS)}, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        rows = []
        for position, resource in enumerate(self.resources):
            fields = (
                resource.title,
                getattr(resource, "alt_title", None) or "",
                " ".join(resource.tags),
                resource.organisation,
                resource.summary,
            )
            rows.append((position, *(normalise_spelling(f) for f in fields)))
        self._db.executemany(
            f"INSERT INTO doc(rowid, {', '.join(_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)", rows
        )

    def search(self, text: str) -> list[int]:
        """Positions of the resources matching the text, most relevant first.

        Resources with the words side by side, as typed, come first; then those with every
        word anywhere; only when none has them all, those with any of the words. Within each
        group, BM25 relevance decides.
        """
        words = _WORD.findall(normalise_spelling(text))
        if not words:
            return list(range(len(self.resources)))
        # Words are only letters and digits, each quoted: nothing typed is read as FTS5 syntax.
        terms = [f'"{word}"' for word in words]
        queries = [" AND ".join(terms)]
        if len(terms) > 1:
            queries = ['"' + " ".join(words) + '"', *queries]
        weights = ", ".join(str(w) for w in _WEIGHTS)
        sql = f"SELECT rowid FROM doc WHERE doc MATCH ? ORDER BY bm25(doc, {weights}), rowid"
        found: dict[int, None] = {}
        with self._lock:
            for match in queries:
                found.update((row[0], None) for row in self._db.execute(sql, (match,)))
            if not found and len(terms) > 1:
                found.update((row[0], None) for row in self._db.execute(sql, (" OR ".join(terms),)))
        return list(found)


_indexes: dict[tuple[int, ...], _Index] = {}
_indexes_lock = threading.Lock()


def _index_for(resources: Sequence) -> _Index:
    key = tuple(id(r) for r in resources)
    with _indexes_lock:
        index = _indexes.get(key)
        if index is None:
            if len(_indexes) > 8:  # tests build many small catalogues; keep memory bounded
                _indexes.clear()
            index = _indexes[key] = _Index(resources)
    return index


def search_resources(resources: Iterable, query: LibraryQuery) -> list:
    """The resources matching every given filter and the text, the most relevant first.

    Without text, the catalogue's own order is kept.
    """
    resources = list(resources)
    if query.text.strip():
        index = _index_for(resources)
        ordered = [index.resources[i] for i in index.search(query.text)]
    else:
        ordered = resources
    return [r for r in ordered if _passes(r, query)]


def _passes(resource, query: LibraryQuery) -> bool:
    if query.tags and not query.tags & set(resource.tags):
        return False
    if query.type and resource.type != query.type:
        return False
    if query.organisation and resource.organisation != query.organisation:
        return False
    if query.language and query.language not in resource.languages:
        return False
    return not (query.audience and query.audience not in resource.audiences)


def questions_helped(resource, questionnaires: Mapping) -> list[tuple]:
    """For each questionnaire, the questions that share a tag with the resource."""
    result = []
    tags = set(resource.tags)
    for questionnaire in sorted(questionnaires.values(), key=lambda q: q.title):
        questions = [q for q in questionnaire.questions if tags & set(q.tags or ())]
        if questions:
            result.append((questionnaire, questions))
    return result


def picked_for(resource, questionnaires: Mapping) -> list[tuple]:
    """For each questionnaire, the questions naming the resource as a primary resource, with why."""
    result = []
    for questionnaire in sorted(questionnaires.values(), key=lambda q: q.title):
        picks = [
            (question, pick.why)
            for question in questionnaire.questions
            for pick in getattr(question, "primary_resources", ())
            if pick.resource == resource.key
        ]
        if picks:
            result.append((questionnaire, picks))
    return result


def theme_tags(questionnaire, theme_key: str) -> frozenset[str]:
    """The tags of a theme: every tag its questions carry."""
    return frozenset(tag for q in questionnaire.questions_in(theme_key) for tag in (q.tags or ()))
