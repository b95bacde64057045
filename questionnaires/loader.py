"""Loading questionnaire folders: schema checks, the checks across items, and a summary.

Every problem found is collected before anything is raised, so one run of
`questionnaires check` shows all that is wrong in all files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from questionnaires.catalogue import Catalogue, load_catalogue
from questionnaires.errors import ContentError, Problem
from questionnaires.model import CHOICE_TYPES, DONT_KNOW, SINGLE_CHOICE_TYPES, Questionnaire
from questionnaires.problems import item_path, problems_from_validation
from questionnaires.resource_texts import (
    CATALOGUE_STEM,
    CatalogueTranslation,
    load_catalogue_translations,
)
from questionnaires.tags import load_tags
from questionnaires.translations import (
    GLOSSARY_STEM,
    TRANSLATION_NAME,
    check_folder_translations,
    is_translation_file,
)
from questionnaires.warnings import catalogue_warnings, questionnaire_warnings
from questionnaires.yamlfile import read_yaml

SHIPPED_DIR = Path(__file__).resolve().parent
TAGS_FILE = "tags.yaml"
CATALOGUE_FILE = "resources.yaml"
SPECIAL_FILES = frozenset({TAGS_FILE, CATALOGUE_FILE})


def _earlier_question_problems(
    q: Questionnaire, i: int, position: dict[str, int], condition: Any, at: str, name: str
) -> list[tuple[str, str]]:
    """A show_if or na_if must name an earlier choice question and options it has."""
    question = q.questions[i]
    trigger_at = position.get(condition.question)
    if condition.question == question.key:
        return [(f"{at}.{name}", "a question cannot depend on itself")]
    if trigger_at is None:
        later = any(other.key == condition.question for other in q.questions[i:])
        return [
            (
                f"{at}.{name}",
                f"depends on '{condition.question}', which comes later; a condition can "
                "only depend on an earlier question"
                if later
                else f"depends on '{condition.question}', which is not a question here",
            )
        ]
    trigger = q.questions[trigger_at]
    if trigger.type not in CHOICE_TYPES:
        return [(f"{at}.{name}", f"'{trigger.key}' is not a choice question")]
    values = {o.value for o in (trigger.options or q.scales.get(trigger.scale or trigger.type, ()))}
    if trigger.dont_know:
        values.add(DONT_KNOW)
    return [
        (f"{at}.{name}.any_of", f"'{value}' is not an option of '{trigger.key}'")
        for value in condition.any_of
        if values and value not in values
    ]


def _rule_problems(q: Questionnaire, where, strict: bool) -> list[tuple[str, str]]:
    """The rules that keep a verdict honest: the cap, the basis levels, N/A on red flags."""
    problems: list[tuple[str, str]] = []
    labels = [band.label for band in q.bands]
    if q.red_flag_cap is not None and q.red_flag_cap not in labels:
        problems.append(
            ("red_flag_cap", f"'{q.red_flag_cap}' is not a band; the bands are {', '.join(labels)}")
        )
    values = [level.value for level in q.basis]
    if len(set(values)) != len(values):
        problems.append(("basis", "a basis value is given twice"))
    if q.basis and all(level.counts_one_lower for level in q.basis):
        problems.append(("basis", "every basis level counts one lower; at least one must not"))
    for name, options in q.scales.items():
        if any(o.exclusive for o in options):
            problems.append(
                (f"scales.{name}", "only an option of a 'multiple' question can be exclusive")
            )
    for i, question in enumerate(q.questions):
        at = where("questions", i)
        if question.ask_basis and not q.basis:
            problems.append(
                (
                    f"{at}.ask_basis",
                    "asks how you know, but the questionnaire lists no basis levels",
                )
            )
        if strict and question.critical is not None and question.allow_na:
            problems.append(
                (
                    f"{at}.allow_na",
                    "a critical question may not be marked not applicable, or N/A would hide "
                    "its red flag; gate it with na_if on an earlier question instead",
                )
            )
        if question.dont_know and not question.options:
            scale = q.scales.get(question.scale or question.type, ())
            if any(o.value == DONT_KNOW for o in scale):
                problems.append(
                    (
                        f"{at}.dont_know",
                        f"its scale already has the value '{DONT_KNOW}', which dont_know adds",
                    )
                )
    return problems


def _cross_check(
    q: Questionnaire, raw: Any, tags: Iterable[str] | None, *, strict: bool = True
) -> list[tuple[str, str]]:
    """Problems that no single item shows: references, duplicates, scales, conditions.

    `strict` adds the authoring rules that stored older versions may predate.
    """
    problems: list[tuple[str, str]] = []

    def where(*location) -> str:
        return item_path(raw, location)

    problems.extend(_rule_problems(q, where, strict))

    for name, options in q.scales.items():
        values = [o.value for o in options]
        if len(set(values)) != len(values):
            problems.append((f"scales.{name}", "an option value is given twice"))
        if max(o.score for o in options) <= 0:
            problems.append((f"scales.{name}", "no option scores more than 0"))

    theme_index: dict[str, int] = {}
    for i, theme in enumerate(q.themes):
        if theme.key in theme_index:
            problems.append(
                (where("themes", i), f"the key is used by themes[{theme_index[theme.key]}] too")
            )
        theme_index.setdefault(theme.key, i)

    known_tags = set(tags) if tags is not None else None
    position: dict[str, int] = {}
    for i, question in enumerate(q.questions):
        at = where("questions", i)
        if question.key in position:
            problems.append((at, f"the key is used by questions[{position[question.key]}] too"))
        if question.theme not in theme_index:
            problems.append((f"{at}.theme", f"'{question.theme}' is not one of the themes"))
        if question.type in SINGLE_CHOICE_TYPES and not question.options:
            scale = question.scale or question.type
            if scale not in q.scales:
                problems.append((at, f"uses the scale '{scale}', which is not defined in scales"))
        if known_tags is not None:
            for tag in question.tags:
                if tag not in known_tags:
                    problems.append((f"{at}.tags", f"'{tag}' is not a tag in tags.yaml"))
        for name in ("show_if", "na_if"):
            condition = getattr(question, name)
            if condition is not None:
                problems.extend(_earlier_question_problems(q, i, position, condition, at, name))
        position.setdefault(question.key, i)

    for i, theme in enumerate(q.themes):
        if not any(question.theme == theme.key for question in q.questions):
            problems.append((where("themes", i), "the theme has no questions"))
    return problems


def parse_questionnaire(
    raw: Any, *, file: str, tags: Iterable[str] | None = None, strict: bool = True
) -> Questionnaire:
    """Validate parsed YAML as a questionnaire and prepare it; ContentError lists problems.

    `strict=False` skips the authoring rules added since a version may have been stored (a
    critical question that allows N/A), so that every stored version stays readable.
    """
    try:
        questionnaire = Questionnaire.model_validate(raw)
    except ValidationError as error:
        raise ContentError(problems_from_validation(file, raw, error)) from error
    problems = _cross_check(questionnaire, raw, tags, strict=strict)
    if problems:
        raise ContentError([Problem(file, path, message) for path, message in problems])
    return questionnaire.prepare()


def load_questionnaire(path: str | Path, tags: Iterable[str] | None = None) -> Questionnaire:
    """Load one questionnaire file, checking its tags against `tags` when given."""
    return parse_questionnaire(read_yaml(path), file=Path(path).name, tags=tags)


def questionnaire_from_snapshot(data: Mapping[str, Any]) -> Questionnaire:
    """Rebuild a questionnaire from `Questionnaire.snapshot()`, exactly as it was stored.

    Tags are not checked against today's list: a stored version stays readable even when the
    tag list has moved on since.
    """
    return parse_questionnaire(dict(data), file="stored questionnaire", tags=None, strict=False)


@dataclass(frozen=True)
class ContentFolder:
    """Everything in a content folder, checked together."""

    questionnaires: dict[str, Questionnaire]
    catalogue: Catalogue
    tags: dict[str, str]
    files: dict[str, Path]  # questionnaire key -> the file it came from
    # The catalogue's translations by language (`resources.ru.yaml`), and what their check found.
    catalogue_translations: dict[str, CatalogueTranslation] = field(default_factory=dict)
    catalogue_checks: tuple = ()


def _support_file(folder: Path, name: str) -> Path:
    """A folder's own tags or catalogue file, or the shipped one where it has none."""
    own = folder / name
    return own if own.exists() else SHIPPED_DIR / name


def questionnaire_files(folder: str | Path) -> list[Path]:
    """The original questionnaire files of a folder.

    Every YAML file but the tags, the catalogue, translations and glossaries (`*.ru.yaml`).
    """
    folder = Path(folder)
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in (".yaml", ".yml")
        and p.name not in SPECIAL_FILES
        and not is_translation_file(p)
        and p.is_file()
    )


def load_content(folder: str | Path, only: Iterable[str | Path] | None = None) -> ContentFolder:
    """Load a folder's questionnaires, tags and catalogue; ContentError lists every problem.

    `only` limits the questionnaires read to these files (the tags and catalogue of the folder
    are still used). Besides each file's own checks, every question's tags must be carried by
    at least one resource, and questionnaire keys must be unique across files.
    """
    folder = Path(folder)
    problems: list[Problem] = []
    tags: dict[str, str] = {}
    # Without a readable tag list, tags go unchecked rather than all being reported unknown.
    known_tags: dict[str, str] | None = None
    catalogue: Catalogue | None = None
    try:
        tags = known_tags = load_tags(_support_file(folder, TAGS_FILE))
    except ContentError as error:
        problems.extend(error.problems)
    catalogue_translations: dict[str, CatalogueTranslation] = {}
    catalogue_checks: list = []
    try:
        catalogue_file = _support_file(folder, CATALOGUE_FILE)
        catalogue = load_catalogue(catalogue_file, known_tags)
        # Its translations sit beside the catalogue file actually used.
        catalogue_translations, catalogue_checks = load_catalogue_translations(
            catalogue_file.parent, catalogue
        )
        for check in catalogue_checks:
            problems.extend(check.problems)
    except ContentError as error:
        problems.extend(error.problems)
    files = [Path(p) for p in only] if only is not None else questionnaire_files(folder)
    questionnaires: dict[str, Questionnaire] = {}
    sources: dict[str, Path] = {}
    for path in files:
        try:
            questionnaire = load_questionnaire(path, known_tags)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        if questionnaire.key in questionnaires:
            problems.append(
                Problem(
                    path.name,
                    "key",
                    f"'{questionnaire.key}' is used by {sources[questionnaire.key].name} too",
                )
            )
            continue
        questionnaires[questionnaire.key] = questionnaire
        sources[questionnaire.key] = path
        if catalogue is not None:
            covered = catalogue.tags
            raw = None
            for location, message in catalogue.primary_resource_problems(questionnaire.questions):
                raw = raw if raw is not None else read_yaml(path)
                problems.append(Problem(path.name, item_path(raw, location), message))
            for i, question in enumerate(questionnaire.questions):
                if not set(question.tags) & covered:
                    raw = raw if raw is not None else read_yaml(path)
                    problems.append(
                        Problem(
                            path.name,
                            f"{item_path(raw, ('questions', i))}.tags",
                            "no resource in the catalogue carries any of these tags, so its "
                            "gap would link to nothing",
                        )
                    )
    if problems:
        raise ContentError(problems)
    assert catalogue is not None
    return ContentFolder(
        questionnaires=questionnaires,
        catalogue=catalogue,
        tags=tags,
        files=sources,
        catalogue_translations=catalogue_translations,
        catalogue_checks=tuple(catalogue_checks),
    )


def load_directory(folder: str | Path) -> dict[str, Questionnaire]:
    """The questionnaires of a folder by key, fully checked."""
    return load_content(folder).questionnaires


@dataclass(frozen=True)
class CheckReport:
    """What `questionnaires check` prints: a summary line per file, or every problem."""

    lines: list[str]
    problems: list[Problem]
    # Content that loads but is incomplete (see questionnaires.warnings); never fails the check.
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_paths(paths: Iterable[str | Path]) -> CheckReport:
    """Check folders and single questionnaire files; never raises for content problems."""
    lines: list[str] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    targets = [Path(p) for p in paths] or [SHIPPED_DIR]
    for target in targets:
        if not target.exists():
            problems.append(Problem(str(target), "", "no such file or folder"))
            continue
        translation = TRANSLATION_NAME.match(target.name)
        if target.is_dir():
            folder, only = target, None
        elif target.name in SPECIAL_FILES or (
            translation and translation["stem"] in (GLOSSARY_STEM, CATALOGUE_STEM)
        ):
            folder, only = target.parent, []
        elif translation:  # a translation is checked against its original
            folder, only = target.parent, [target.with_name(f"{translation['stem']}.yaml")]
        else:
            folder, only = target.parent, [target]
        try:
            content = load_content(folder, only)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        if only is None or (
            target.is_file()
            and (
                target.name == CATALOGUE_FILE
                or (translation and translation["stem"] == CATALOGUE_STEM)
            )
        ):
            lines.append(
                f"{CATALOGUE_FILE}: {len(content.catalogue.resources)} resources, "
                f"{len(content.tags)} tags"
            )
            warnings.extend(catalogue_warnings(content.catalogue, CATALOGUE_FILE))
            for check in content.catalogue_checks:
                warnings.extend(check.warnings)
                lines.append(
                    f"{check.file} ({check.language}): {len(check.missing)} missing, "
                    f"{len(check.orphans)} orphan"
                )
        for key, questionnaire in content.questionnaires.items():
            warnings.extend(questionnaire_warnings(questionnaire, content.files[key]))
            lines.append(
                f"{content.files[key].name}: {questionnaire.title} (version "
                f"{questionnaire.version}, {questionnaire.content_hash[:12]}): "
                f"{len(questionnaire.themes)} themes, {len(questionnaire.questions)} questions, "
                f"{questionnaire.critical_count} critical"
            )
        for result in check_folder_translations(folder, content.questionnaires, content.files):
            if translation and result.file != target.name:
                continue
            problems.extend(result.problems)
            warnings.extend(result.warnings)
            if not result.file.startswith(f"{GLOSSARY_STEM}."):
                lines.append(
                    f"{result.file} ({result.language}): {len(result.missing)} missing, "
                    f"{len(result.orphans)} orphan"
                    + (f", {len(result.problems)} refused" if result.problems else "")
                )
    return CheckReport(lines=lines, problems=problems, warnings=warnings)
