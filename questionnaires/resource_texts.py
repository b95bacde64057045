"""The resource catalogue in other languages: `resources.ru.yaml` beside `resources.yaml`.

A catalogue translation is keyed by resource key and holds text only: each resource's
`summary`, and its `title` where the resource has an official title in that language.
Everything else (type, year, tags, languages, addresses) stays in the one catalogue. A summary
the translation lacks falls back to the catalogue's wording and `questionnaires check` reports
it as missing; a key the catalogue does not have (orphan) or a field that is not text is refused.

    language: ru
    resources:
      osce-model-guidelines:
        summary: ...
        title: ...        # only an official title of the edition in this language
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from questionnaires.catalogue import Catalogue, Resource
from questionnaires.errors import ContentError, Problem
from questionnaires.translations import (
    TRANSLATION_NAME,
    Translation,
    TranslationCheck,
    _Reader,
    glossary_warnings,
    load_glossary,
    note_missing_and_orphans,
)
from questionnaires.yamlfile import read_yaml

CATALOGUE_STEM = "resources"
RESOURCE_TEXTS = ("summary", "title")


@dataclass(frozen=True)
class CatalogueTranslation:
    """A parsed `resources.<language>.yaml`: resource key -> {summary, title}."""

    file: str
    language: str
    texts: dict[str, dict[str, str]]

    def as_translation(self) -> Translation:
        """The same texts in the shape the glossary check reads."""
        return Translation(self.file, self.language, CATALOGUE_STEM, "", {"resources": self.texts})


def parse_catalogue_translation(raw: Any, *, file: str) -> CatalogueTranslation:
    """Validate a catalogue translation's shape; ContentError names the file, item and problem."""
    reader = _Reader(file)
    if not isinstance(raw, dict):
        raise ContentError([Problem(file, "", "must be a mapping (language, resources)")])
    match = TRANSLATION_NAME.match(file)
    language = raw.get("language")
    if not isinstance(language, str) or not re.fullmatch(r"[a-z]{2,3}", language):
        reader.problem("language", "must be a language code such as ru, fr or de")
        language = ""
    elif match and match["lang"] != language:
        reader.problem("language", f"is '{language}' but the file name says '{match['lang']}'")
    texts: dict[str, dict[str, str]] = {}
    for name, value in raw.items():
        if name == "language":
            continue
        if name != "resources":
            reader.problem(str(name), "is not a field of a catalogue translation")
            continue
        for key, item in reader.mapping(value, "resources").items():
            texts[str(key)] = reader.fields(
                item, f"resources.{key}", RESOURCE_TEXTS, refusal=_not_text
            )
    if reader.problems:
        raise ContentError(reader.problems)
    return CatalogueTranslation(file=file, language=language, texts=texts)


def _not_text(name: str) -> str:
    return (
        f"'{name}' is not a text a catalogue translation holds (only summary and title); "
        "addresses, languages and tags stay in resources.yaml"
    )


def load_catalogue_translation(path: str | Path) -> CatalogueTranslation:
    """Read and shape-check one catalogue translation file."""
    return parse_catalogue_translation(read_yaml(path), file=Path(path).name)


def check_catalogue_translation(
    catalogue: Catalogue, translation: CatalogueTranslation
) -> TranslationCheck:
    """Summaries the translation lacks (missing) and resource keys it invents (orphans)."""
    report = TranslationCheck(file=translation.file, language=translation.language)
    report.missing = [
        f"resources.{r.key}.summary"
        for r in catalogue.resources
        if "summary" not in translation.texts.get(r.key, {})
    ]
    report.orphans = [f"resources.{key}" for key in translation.texts if catalogue.get(key) is None]
    note_missing_and_orphans(
        report,
        translation.file,
        missing="summary(ies) not translated, shown in English instead",
        orphan="is not a resource in resources.yaml (orphan): remove it, or rename it to "
        "the catalogue's key",
    )
    return report


def load_catalogue_translations(
    folder: str | Path, catalogue: Catalogue
) -> tuple[dict[str, CatalogueTranslation], list[TranslationCheck]]:
    """Every `resources.<language>.yaml` of a folder, checked against the catalogue.

    Returns the translations that can be used (no refusals) by language, and one check per
    file, glossary warnings included.
    """
    folder = Path(folder)
    usable: dict[str, CatalogueTranslation] = {}
    checks: list[TranslationCheck] = []
    for path in sorted(folder.glob(f"{CATALOGUE_STEM}.*.y*ml")):
        match = TRANSLATION_NAME.match(path.name)
        if not match or match["stem"] != CATALOGUE_STEM:
            continue
        try:
            translation = load_catalogue_translation(path)
        except ContentError as error:
            checks.append(TranslationCheck(path.name, match["lang"], problems=error.problems))
            continue
        report = check_catalogue_translation(catalogue, translation)
        glossary = folder / f"glossary.{translation.language}.yaml"
        if glossary.is_file():
            try:
                _language, terms = load_glossary(glossary)
                report.warnings.extend(glossary_warnings(translation.as_translation(), terms))
            except ContentError:
                pass  # the glossary's own problems are reported with the questionnaires
        checks.append(report)
        if not report.problems:
            usable[translation.language] = translation
    return usable, checks


@dataclass(frozen=True)
class Reading:
    """A resource as a reader of one language sees it.

    Title and summary in the reader's language where translated; the address of the edition in
    the reader's language where the catalogue records one, else the entry's own address.
    `url_language` is the language that address opens in; `other_language` is it when it is
    not the reader's, so a page can say "in English". Every other field is the resource's.
    """

    resource: Resource
    language: str
    title: str
    summary: str
    url: str | None
    url_language: str

    @property
    def other_language(self) -> str | None:
        """The language of the address where it differs from the reader's, else None."""
        if self.url is None or self.url_language == self.language:
            return None
        return self.url_language

    def __getattr__(self, name: str) -> Any:
        return getattr(self.resource, name)


def read_resource(
    resource: Resource, language: str | None, translation: CatalogueTranslation | None = None
) -> Reading:
    """The resource for a reader of `language`, with the translation's texts if given."""
    code = (language or "en").split("-")[0]
    own = translation.texts.get(resource.key, {}) if translation is not None else {}
    edition = resource.edition(code)
    title = own.get("title", resource.title)
    if edition.url is not None and edition.language == code and edition.title != resource.title:
        title = edition.title  # the edition's own published title
    return Reading(
        resource=resource,
        language=code,
        title=title,
        summary=own.get("summary", resource.summary),
        url=edition.url,
        url_language=edition.language,
    )
