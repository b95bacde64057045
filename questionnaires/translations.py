"""Questionnaire translations: files beside the original that hold only its texts.

`supplier.ru.yaml` translates `supplier.yaml` into Russian. It is keyed by the original's
theme, question, option, scale, basis and resource keys and holds text only; scores, weights,
rules and the order of items stay in the one original, so that an answer stored by key scores
the same in every language. A text the translation lacks falls back to the original's wording
(and `questionnaires check` reports it as missing); a key the original does not have (orphan)
or a field that is not text (a score, a weight, a rule) is refused.

The format (every text optional)::

    language: ru
    translates: {questionnaire: supplier, version: "2.0"}
    title: ...                      # also description, case, dont_know_label
    bands: {0: {label: ..., description: ...}, 25: {...}}   # keyed by the band's min
    basis: {<basis value>: label}
    scales: {<scale>: {<option value>: label}}
    themes: {<theme key>: {title: ..., description: ...}}
    questions:
      <question key>:
        text: ...                   # also help, source, action, dont_know_action, unit,
                                    # evidence_hint,
        red_flag: ...               # red_flag (of `critical`), na_reason (of `na_if`)
        options: {<option value>: label}
        primary_resources: {<resource key>: why}
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from questionnaires.errors import ContentError, Problem
from questionnaires.model import QUOTE_YES_NO, Questionnaire
from questionnaires.yamlfile import read_yaml

# `supplier.ru.yaml`: the original's file stem, then the language. `glossary.ru.yaml` has
# the same shape but is a glossary, not a translation.
TRANSLATION_NAME = re.compile(r"^(?P<stem>[a-z0-9][a-z0-9-]*)\.(?P<lang>[a-z]{2,3})\.ya?ml$")
GLOSSARY_STEM = "glossary"

QUESTIONNAIRE_TEXTS = ("title", "description", "case", "dont_know_label")
THEME_TEXTS = ("title", "description")
BAND_TEXTS = ("label", "description")
QUESTION_TEXTS = (
    "text",
    "help",
    "source",
    "action",
    "dont_know_action",
    "unit",
    "red_flag",
    "na_reason",
    "evidence_hint",
)
# Fields of the original that are structure: named so that the refusal can say why.
STRUCTURE = frozenset(
    {
        "key",
        "version",
        "audience",
        "default_target",
        "red_flag_cap",
        "weight",
        "score",
        "scores",
        "max_score",
        "target",
        "critical",
        "threshold",
        "allow_na",
        "type",
        "scale",
        "theme",
        "tags",
        "show_if",
        "na_if",
        "any_of",
        "question",
        "dont_know",
        "ask_basis",
        "min",
        "max",
        "value",
        "exclusive",
        "counts_one_lower",
        "needs_evidence",
        "evidence",
        "resource",
        "order",
    }
)


def is_translation_file(path: str | Path) -> bool:
    """Whether a file name is a translation or a glossary (`supplier.ru.yaml`), not an original."""
    return TRANSLATION_NAME.match(Path(path).name) is not None


@dataclass(frozen=True)
class Translation:
    """A parsed translation file: its language, what it translates, and its texts."""

    file: str
    language: str
    questionnaire: str
    version: str
    data: dict[str, Any]


@dataclass
class TranslationCheck:
    """What the check found in one translation against its original."""

    file: str
    language: str
    missing: list[str] = field(default_factory=list)  # texts of the original not translated
    orphans: list[str] = field(default_factory=list)  # keys the original does not have
    problems: list[Problem] = field(default_factory=list)  # refusals: structure, bad text
    warnings: list[Problem] = field(default_factory=list)  # version drift, glossary variants


# --- reading and the structure check -------------------------------------------------------


def _key(value: Any) -> Any:
    """A mapping key as the original spells it: option values 1 and "1" are the same."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return str(value)
    return value


def _refusal(name: str) -> str:
    if name in STRUCTURE:
        return (
            f"'{name}' is not text: scores, weights, rules and keys stay in the original, "
            "a translation holds only text"
        )
    return f"'{name}' is not a text a translation can hold"


class _Reader:
    """Walks a translation's raw data, collecting every shape problem with its path."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.file, path, message))

    def text(self, value: Any, path: str) -> str | None:
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, str) or value is None:
            self.problem(path, "is empty: leave the text out to fall back on the original")
        elif isinstance(value, dict | list):
            self.problem(path, "must be text, not a list or a group of fields")
        else:
            self.problem(path, f"must be text, not {value!r} (scores stay in the original)")
        return None

    def mapping(self, value: Any, path: str) -> dict[Any, Any]:
        if not isinstance(value, dict):
            self.problem(path, "must be a mapping of keys to texts")
            return {}
        result: dict[Any, Any] = {}
        for raw_key, item in value.items():
            key = _key(raw_key)
            if isinstance(key, bool):
                self.problem(f"{path}.{str(raw_key).lower()}", QUOTE_YES_NO)
                continue
            result[key] = item
        return result

    def fields(
        self, value: Any, path: str, texts: tuple[str, ...], groups=(), refusal=None
    ) -> dict[str, Any]:
        """A mapping whose keys are text fields (and named sub-groups); anything else is refused."""
        result: dict[str, Any] = {}
        for name, item in self.mapping(value, path).items():
            at = f"{path}.{name}" if path else str(name)
            if name in texts:
                text = self.text(item, at)
                if text is not None:
                    result[name] = text
            elif name in groups:
                result[name] = item
            else:
                self.problem(at, (refusal or _refusal)(str(name)))
        return result

    def labels(self, value: Any, path: str) -> dict[str, str]:
        """{key: text}: option labels, basis labels, resource why-lines."""
        result = {}
        for key, item in self.mapping(value, path).items():
            if isinstance(item, dict):
                self.problem(
                    f"{path}.{key}",
                    f"must be the text only; {', '.join(map(str, item))} stay in the original",
                )
                continue
            text = self.text(item, f"{path}.{key}")
            if text is not None:
                result[str(key)] = text
        return result


def parse_translation(raw: Any, *, file: str) -> Translation:
    """Validate a translation's shape (text only); ContentError names the file, item and problem.

    Keys are checked against the original by `check_translation`, not here.
    """
    reader = _Reader(file)
    if not isinstance(raw, dict):
        raise ContentError([Problem(file, "", "must be a mapping (language, translates, ...)")])
    match = TRANSLATION_NAME.match(file)
    language = raw.get("language")
    if not isinstance(language, str) or not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)?", language):
        reader.problem("language", "must be a language code such as ru, fr or de")
        language = ""
    elif match and match["lang"] != language:
        reader.problem("language", f"is '{language}' but the file name says '{match['lang']}'")
    translates = raw.get("translates")
    questionnaire = version = ""
    if not isinstance(translates, dict):
        reader.problem("translates", "is required: {questionnaire: <key>, version: <version>}")
    else:
        questionnaire = str(translates.get("questionnaire") or "")
        version = str(translates.get("version") or "")
        if not questionnaire or not version:
            reader.problem("translates", "needs both the questionnaire key and its version")
        for extra in set(translates) - {"questionnaire", "version"}:
            reader.problem(f"translates.{extra}", "is not a field of translates")
    data: dict[str, Any] = {}
    for name, value in raw.items():
        if name in ("language", "translates"):
            continue
        if name in QUESTIONNAIRE_TEXTS:
            text = reader.text(value, name)
            if text is not None:
                data[name] = text
        elif name == "themes":
            data[name] = {
                str(key): reader.fields(item, f"themes.{key}", THEME_TEXTS)
                for key, item in reader.mapping(value, name).items()
            }
        elif name == "bands":
            data[name] = {
                key: reader.fields(item, f"bands.{key}", BAND_TEXTS)
                for key, item in reader.mapping(value, name).items()
            }
        elif name == "basis":
            data[name] = reader.labels(value, name)
        elif name == "scales":
            data[name] = {
                str(key): reader.labels(item, f"scales.{key}")
                for key, item in reader.mapping(value, name).items()
            }
        elif name == "questions":
            data[name] = {}
            for key, item in reader.mapping(value, name).items():
                at = f"questions.{key}"
                found = reader.fields(
                    item, at, QUESTION_TEXTS, groups=("options", "primary_resources")
                )
                for group in ("options", "primary_resources"):
                    if group in found:
                        found[group] = reader.labels(found[group], f"{at}.{group}")
                data[name][str(key)] = found
        else:
            reader.problem(str(name), _refusal(str(name)))
    if reader.problems:
        raise ContentError(reader.problems)
    return Translation(
        file=file, language=language, questionnaire=questionnaire, version=version, data=data
    )


def load_translation(path: str | Path) -> Translation:
    """Read and shape-check one translation file."""
    return parse_translation(read_yaml(path), file=Path(path).name)


# --- the texts of an original, and the check against it ------------------------------------


def _band_key(value: Any) -> str:
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return str(value)


def original_texts(questionnaire: Questionnaire) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every user-visible text of a questionnaire, as (path of keys, English text)."""
    for name in QUESTIONNAIRE_TEXTS:
        value = getattr(questionnaire, name)
        if name == "dont_know_label" and not any(q.dont_know for q in questionnaire.questions):
            continue  # never shown
        if value:
            yield (name,), value
    for band in questionnaire.bands:
        for name in BAND_TEXTS:
            if getattr(band, name):
                yield ("bands", _band_key(band.min), name), getattr(band, name)
    for level in questionnaire.basis:
        yield ("basis", level.value), level.label
    for scale, options in questionnaire.scales.items():
        for option in options:
            yield ("scales", scale, option.value), option.label
    for theme in questionnaire.themes:
        for name in THEME_TEXTS:
            if getattr(theme, name):
                yield ("themes", theme.key, name), getattr(theme, name)
    for question in questionnaire.questions:
        at = ("questions", question.key)
        for name, value in _question_texts(question):
            yield (*at, name), value
        for option in question.options or ():
            yield (*at, "options", option.value), option.label
        for picked in question.primary_resources:
            yield (*at, "primary_resources", picked.resource), picked.why


def _question_texts(question) -> Iterator[tuple[str, str]]:
    for name in ("text", "help", "source", "action", "dont_know_action", "unit", "evidence_hint"):
        value = getattr(question, name)
        if value:
            yield name, value
    if question.critical is not None:
        yield "red_flag", question.critical.red_flag
    if question.na_if is not None:
        yield "na_reason", question.na_if.reason


def translated_texts(translation: Translation) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every text of a translation, as (path of keys, text), paths as in `original_texts`."""

    def walk(node: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
        if isinstance(node, dict):
            for key, value in node.items():
                step = _band_key(key) if path == ("bands",) else str(key)
                yield from walk(value, (*path, step))
        else:
            yield path, node

    yield from walk(translation.data, ())


def check_translation(questionnaire: Questionnaire, translation: Translation) -> TranslationCheck:
    """Missing and orphan keys of a translation against its original, and what it must not do."""
    report = TranslationCheck(file=translation.file, language=translation.language)
    if translation.questionnaire != questionnaire.key:
        report.problems.append(
            Problem(
                translation.file,
                "translates.questionnaire",
                f"names '{translation.questionnaire}' but the original is '{questionnaire.key}'",
            )
        )
    elif translation.version != questionnaire.version:
        report.warnings.append(
            Problem(
                translation.file,
                "translates.version",
                f"translates version {translation.version}, the original is version "
                f"{questionnaire.version}: check the texts changed since, then update it",
            )
        )
    if translation.language == questionnaire.language:
        report.problems.append(
            Problem(translation.file, "language", "is the original's own language")
        )
    original = dict(original_texts(questionnaire))
    given = dict(translated_texts(translation))
    report.missing = [".".join(path) for path in original if path not in given]
    report.orphans = [".".join(path) for path in given if path not in original]
    note_missing_and_orphans(
        report,
        translation.file,
        missing="text(s) not translated, shown in the original's language instead",
        orphan="is not in the original (orphan): a translation cannot add a theme, question, "
        "option or text; remove it, or rename it to the original's key",
    )
    return report


def note_missing_and_orphans(report, file: str, *, missing: str, orphan: str) -> None:
    """Warn once about the untranslated texts of a check and refuse each orphan by its path."""
    if report.missing:
        report.warnings.append(
            Problem(
                file,
                "",
                f"{len(report.missing)} {missing}: {', '.join(report.missing[:5])}"
                + (", ..." if len(report.missing) > 5 else ""),
            )
        )
    for path in report.orphans:
        report.problems.append(Problem(file, path, orphan))


# --- applying a translation ----------------------------------------------------------------


def translate(questionnaire: Questionnaire, translation: Translation) -> Questionnaire:
    """A copy of `questionnaire` in the translation's language: same keys, scores and rules.

    Texts the translation lacks keep the original's wording. The translation is assumed
    checked (`check_translation`); keys the original does not have are ignored.
    """
    texts = translation.data
    data = questionnaire.snapshot()
    data["language"] = translation.language
    for name in QUESTIONNAIRE_TEXTS:
        if name in texts and data.get(name):
            data[name] = texts[name]
    bands = {_band_key(k): v for k, v in texts.get("bands", {}).items()}
    cap = data.get("red_flag_cap")
    for band in data["bands"]:
        own = bands.get(_band_key(band["min"]), {})
        if cap is not None and band["label"] == cap and "label" in own:
            data["red_flag_cap"] = own["label"]
        for name in BAND_TEXTS:
            if name in own and band.get(name):
                band[name] = own[name]
    for level in data["basis"]:
        level["label"] = texts.get("basis", {}).get(level["value"], level["label"])
    for scale, options in data["scales"].items():
        labels = texts.get("scales", {}).get(scale, {})
        for option in options:
            option["label"] = labels.get(option["value"], option["label"])
    for theme in data["themes"]:
        own = texts.get("themes", {}).get(theme["key"], {})
        for name in THEME_TEXTS:
            if name in own and theme.get(name):
                theme[name] = own[name]
    for question in data["questions"]:
        _translate_question(question, texts.get("questions", {}).get(question["key"], {}))
    copy = Questionnaire.model_validate(data).prepare()
    return copy


def _translate_question(question: dict[str, Any], own: dict[str, Any]) -> None:
    for name in ("text", "help", "source", "action", "dont_know_action", "unit", "evidence_hint"):
        if name in own and question.get(name):
            question[name] = own[name]
    if "red_flag" in own and question.get("critical"):
        question["critical"]["red_flag"] = own["red_flag"]
    if "na_reason" in own and question.get("na_if"):
        question["na_if"]["reason"] = own["na_reason"]
    labels = own.get("options", {})
    for option in question.get("options") or ():
        option["label"] = labels.get(option["value"], option["label"])
    whys = own.get("primary_resources", {})
    for picked in question.get("primary_resources") or ():
        picked["why"] = whys.get(picked["resource"], picked["why"])


def template(questionnaire: Questionnaire, language: str) -> dict[str, Any]:
    """A translation skeleton holding the original's texts, for a translator to overwrite."""
    result: dict[str, Any] = {
        "language": language,
        "translates": {"questionnaire": questionnaire.key, "version": questionnaire.version},
    }
    for path, text in original_texts(questionnaire):
        node = result
        for step in path[:-1]:
            node = node.setdefault(step, {})
        node[path[-1]] = text
    return result


# --- glossaries ----------------------------------------------------------------------------


@dataclass(frozen=True)
class GlossaryTerm:
    """One key term: the English term, the word to use, and the variants not to use."""

    term: str
    use: str
    avoid: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]


def _variant_pattern(variant: str) -> re.Pattern[str]:
    """`вынужденн* труд*`: `*` stands for any word ending, so inflected forms match too."""
    words = [re.escape(word).replace(r"\*", r"\w*") for word in variant.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def load_glossary(path: str | Path) -> tuple[str, list[GlossaryTerm]]:
    """A glossary file's language and terms; ContentError names the file, entry and problem."""
    file = Path(path).name
    raw = read_yaml(path)
    problems: list[Problem] = []
    if not isinstance(raw, dict) or not isinstance(raw.get("terms"), list):
        raise ContentError([Problem(file, "", "must have a language and a list of terms")])
    language = raw.get("language")
    if not isinstance(language, str):
        problems.append(Problem(file, "language", "must be a language code such as ru"))
    terms = []
    for index, entry in enumerate(raw["terms"]):
        at = f"terms[{index}]"
        if not isinstance(entry, dict):
            problems.append(Problem(file, at, "must be a mapping (term, use, avoid, source)"))
            continue
        at += f" '{entry.get('term')}'"
        unknown = set(entry) - {"term", "use", "avoid", "source", "confirmed", "note"}
        for name in sorted(unknown):
            problems.append(Problem(file, f"{at}.{name}", "is not a field of a glossary entry"))
        for name in ("term", "use", "source"):
            if not isinstance(entry.get(name), str) or not entry[name].strip():
                problems.append(Problem(file, f"{at}.{name}", "is required text"))
        avoid = entry.get("avoid") or []
        if not isinstance(avoid, list) or not all(isinstance(v, str) and v for v in avoid):
            problems.append(Problem(file, f"{at}.avoid", "must be a list of texts"))
            avoid = []
        if not isinstance(entry.get("confirmed", True), bool):
            problems.append(Problem(file, f"{at}.confirmed", "must be true or false"))
        terms.append(
            GlossaryTerm(
                term=str(entry.get("term")),
                use=str(entry.get("use")),
                avoid=tuple(avoid),
                patterns=tuple(_variant_pattern(v) for v in avoid),
            )
        )
    if problems:
        raise ContentError(problems)
    return str(language), terms


def glossary_warnings(translation: Translation, terms: list[GlossaryTerm]) -> list[Problem]:
    """Texts that use a variant the glossary says not to use, naming the term to use instead."""
    warnings = []
    for path, text in translated_texts(translation):
        for term in terms:
            for variant, pattern in zip(term.avoid, term.patterns, strict=True):
                found = pattern.search(text)
                if found:
                    warnings.append(
                        Problem(
                            translation.file,
                            ".".join(path),
                            f"uses '{found.group(0)}' ({variant}) for '{term.term}'; the "
                            f"glossary term is '{term.use}'",
                        )
                    )
    return warnings


# --- a folder's translations, for `questionnaires check` -----------------------------------


def check_folder_translations(
    folder: str | Path, questionnaires: dict[str, Questionnaire], files: dict[str, Path]
) -> list[TranslationCheck]:
    """Check every translation in a folder against its original (by file stem) and glossary."""
    folder = Path(folder)
    by_stem = {path.stem: questionnaires[key] for key, path in files.items()}
    glossaries: dict[str, list[GlossaryTerm]] = {}
    results: list[TranslationCheck] = []
    for path in sorted(folder.iterdir()):
        match = TRANSLATION_NAME.match(path.name)
        if match and match["stem"] == GLOSSARY_STEM:
            try:
                language, terms = load_glossary(path)
                glossaries[language] = terms
            except ContentError as error:
                results.append(
                    TranslationCheck(path.name, match["lang"], problems=list(error.problems))
                )
    for path in sorted(folder.iterdir()):
        match = TRANSLATION_NAME.match(path.name)
        if not match or match["stem"] == GLOSSARY_STEM:
            continue
        if match["stem"] not in by_stem:
            continue  # its original is not being checked (or failed to load)
        try:
            translation = load_translation(path)
        except ContentError as error:
            results.append(
                TranslationCheck(
                    file=path.name, language=match["lang"], problems=list(error.problems)
                )
            )
            continue
        report = check_translation(by_stem[match["stem"]], translation)
        terms = glossaries.get(translation.language, [])
        report.warnings.extend(glossary_warnings(translation, terms))
        results.append(report)
    return results
