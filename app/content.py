"""The questionnaires and the resource catalogue the app serves, loaded once at start-up.

An invalid content file stops the app with the same messages `questionnaires check` prints.
Assessments store the exact questionnaire version they use (`QuestionnaireVersion`), so an
older version is rebuilt from its stored snapshot when the files have changed since.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError

import questionnaires as engine
from app.extensions import db
from app.models import QuestionnaireVersion


@dataclass
class Content:
    """What the app serves: questionnaires by key, the catalogue, and a cache of versions."""

    questionnaires: dict[str, engine.Questionnaire]
    catalogue: engine.Catalogue
    files: dict[str, str] = field(default_factory=dict)  # questionnaire key -> its file
    # The catalogue's texts by language (`resources.ru.yaml`).
    catalogue_translations: dict[str, engine.CatalogueTranslation] = field(default_factory=dict)
    _by_hash: dict[str, engine.Questionnaire] = field(default_factory=dict)
    _by_id: dict[int, engine.Questionnaire] = field(default_factory=dict)
    _translated: dict[tuple[str, str], engine.Questionnaire] = field(default_factory=dict)
    _readings: dict[str, list[engine.Reading]] = field(default_factory=dict)

    def __post_init__(self):
        self._by_hash.update({q.content_hash: q for q in self.questionnaires.values()})
        self.match = engine.make_matcher(self.catalogue)

    def get(self, key: str) -> engine.Questionnaire | None:
        return self.questionnaires.get(key)

    def for_audiences(self, *audiences: str) -> list[engine.Questionnaire]:
        """The current questionnaires for these audiences, by title."""
        found = [q for q in self.questionnaires.values() if q.audience in audiences]
        return sorted(found, key=lambda q: q.title)

    def of_version_id(self, version_id: int) -> engine.Questionnaire:
        """The questionnaire stored under this id; stored versions never change, so the
        answer is kept for the life of the process and the row is read only once."""
        questionnaire = self._by_id.get(version_id)
        if questionnaire is None:
            questionnaire = self.of_version(db.session.get(QuestionnaireVersion, version_id))
            self._by_id[version_id] = questionnaire
        return questionnaire

    def of_version(self, row: QuestionnaireVersion) -> engine.Questionnaire:
        """The questionnaire exactly as stored for an assessment."""
        questionnaire = self._by_hash.get(row.content_hash)
        if questionnaire is None:
            questionnaire = engine.questionnaire_from_snapshot(row.data)
            self._by_hash[row.content_hash] = questionnaire
        return questionnaire

    def in_language(self, questionnaire: engine.Questionnaire, language: str | None):
        """The questionnaire with the texts of its translation into `language` (the file
        beside its original, e.g. `supplier.ru.yaml`); itself when there is none.

        Keys, scores and rules are the original's, so answers score the same in every language.
        """
        if not language or language == questionnaire.language:
            return questionnaire
        cache_key = (questionnaire.content_hash, language)
        if cache_key not in self._translated:
            self._translated[cache_key] = self._translate(questionnaire, language)
        return self._translated[cache_key]

    def _translate(self, questionnaire: engine.Questionnaire, language: str):
        from questionnaires.translations import load_translation, translate

        original = self.files.get(questionnaire.key)
        if original is None:
            return questionnaire
        path = Path(original).with_name(f"{Path(original).stem}.{language}.yaml")
        if not path.is_file():
            return questionnaire
        translation = load_translation(path)
        if translation.questionnaire != questionnaire.key:
            return questionnaire
        return translate(questionnaire, translation)

    def read(self, resource: engine.Resource, language: str | None) -> engine.Reading:
        """A resource for a reader of `language`: its translated title and summary, and the
        address of the edition in that language where the catalogue records one."""
        code = (language or "en").split("-")[0]
        return engine.read_resource(resource, code, self.catalogue_translations.get(code))

    def resources_in(self, language: str | None) -> list[engine.Reading]:
        """The whole catalogue, in catalogue order, for a reader of `language`.

        Kept per language: the library's search index is cached per list of resources."""
        code = (language or "en").split("-")[0]
        if code not in self._readings:
            self._readings[code] = [self.read(r, code) for r in self.catalogue.resources]
        return self._readings[code]

    def version_row(self, questionnaire: engine.Questionnaire) -> QuestionnaireVersion:
        """The stored version of a questionnaire, created on first use."""
        row = db.session.scalar(
            select(QuestionnaireVersion).where(
                QuestionnaireVersion.content_hash == questionnaire.content_hash
            )
        )
        if row is None:
            row = QuestionnaireVersion(
                key=questionnaire.key,
                version=questionnaire.version,
                content_hash=questionnaire.content_hash,
                title=questionnaire.title,
                audience=questionnaire.audience,
                data=questionnaire.snapshot(),
            )
            db.session.add(row)
            db.session.flush()
        return row


@lru_cache(maxsize=8)
def _load(folder: str, stamp: tuple) -> Content:
    """Load and check a content folder; cached per folder and file modification times."""
    loaded = engine.load_content(folder)
    return Content(
        questionnaires=loaded.questionnaires,
        catalogue=loaded.catalogue,
        files={key: str(path) for key, path in loaded.files.items()},
        catalogue_translations=loaded.catalogue_translations,
    )


def _stamp(folder: str) -> tuple:
    return tuple(
        sorted(
            (name, os.stat(os.path.join(folder, name)).st_mtime_ns)
            for name in os.listdir(folder)
            if name.endswith((".yaml", ".yml"))
        )
    )


def changed_versions(loaded: Content) -> list[str]:
    """Why each loaded questionnaire whose content differs from the stored version of the same
    key and version cannot be served; empty when every version matches or is new.

    Needs an application context; a database without tables yet (before the first migration)
    has nothing stored to differ from.
    """
    wanted = {(q.key, q.version): q for q in loaded.questionnaires.values()}
    try:
        rows = db.session.execute(
            select(
                QuestionnaireVersion.key,
                QuestionnaireVersion.version,
                QuestionnaireVersion.content_hash,
            ).where(QuestionnaireVersion.key.in_([key for key, _ in wanted]))
        ).all()
    except (OperationalError, ProgrammingError):
        db.session.rollback()
        return []
    problems = []
    for key, version, stored_hash in rows:
        questionnaire = wanted.get((key, version))
        if questionnaire is not None and questionnaire.content_hash != stored_hash:
            problems.append(
                f"{loaded.files.get(key, key)}: the questionnaire '{key}' version {version} "
                f"differs from the version {version} already stored (stored content hash "
                f"{stored_hash[:12]}, file {questionnaire.content_hash[:12]}). Assessments "
                "keep the version they were answered on: raise `version` in the file when "
                "its content changes."
            )
    return sorted(set(problems))


def init_app(app: Flask) -> None:
    """Load the content folder, or refuse to start with every problem named: invalid content,
    or a questionnaire changed without a new version number."""
    folder = app.config.get("QUESTIONNAIRES_DIR") or str(engine.SHIPPED_DIR)
    try:
        loaded = _load(os.path.abspath(folder), _stamp(folder))
    except engine.ContentError as error:
        raise SystemExit(
            f"Refusing to start: the content in {folder} has problems:\n{error}"
        ) from error
    app.extensions["ddcheck.content"] = loaded
    with app.app_context():
        try:
            problems = changed_versions(loaded)
        finally:
            db.session.remove()
            _close_start_up_connections()
    if problems:
        raise SystemExit(
            "Refusing to start: a questionnaire changed but kept its version:\n"
            + "\n".join(problems)
        )


def _close_start_up_connections() -> None:
    """Close the connection the start-up check opened. Under `gunicorn --preload` the workers
    are forked after this point; a pooled connection would be one socket shared by every
    worker, and their transactions would interleave on it."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return  # an in-memory database lives only as long as its connection
    db.engine.dispose()


def content() -> Content:
    """The content of the running app."""
    return current_app.extensions["ddcheck.content"]
