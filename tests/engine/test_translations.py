"""Questionnaire translations: text only, checked against the original, same scores everywhere."""

# ruff: noqa: RUF001 (Russian test texts: Cyrillic letters are meant)

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import questionnaires as engine
from questionnaires.errors import ContentError
from questionnaires.loader import questionnaire_files
from questionnaires.translations import (
    check_folder_translations,
    check_translation,
    glossary_warnings,
    load_glossary,
    load_translation,
    parse_translation,
    template,
    translate,
)

SHIPPED = engine.SHIPPED_DIR
WORKSHOP = engine.load_questionnaire(SHIPPED / "workshop-exercise.yaml")


def _translation(**texts) -> dict:
    return {
        "language": "ru",
        "translates": {"questionnaire": "workshop-exercise", "version": WORKSHOP.version},
        **texts,
    }


def test_a_translation_replaces_texts_and_keeps_keys_scores_and_rules():
    raw = _translation(
        title="Учебное упражнение",
        themes={"policy": {"title": "Политика и требования"}},
        scales={"yes-partly-no": {"yes": "Да", "partly": "Частично", "no": "Нет"}},
        questions={
            "fees-who-pays": {
                "text": "Кто оплачивает сборы за наём?",
                "red_flag": "Работники, возможно, оплачивают сборы за наём.",
                "options": {"workers": "Работники платят"},
                "primary_resources": {"employer-pays-principle": "Платит работодатель."},
            }
        },
        dont_know_label="Не знаем / нет данных",
        bands={25: {"label": "Развивающийся"}},
    )
    copy = translate(WORKSHOP, parse_translation(raw, file="workshop-exercise.ru.yaml"))
    question = copy.question("fees-who-pays")
    assert copy.language == "ru"
    assert copy.title == "Учебное упражнение"
    assert copy.theme("policy").title == "Политика и требования"
    assert question.text == "Кто оплачивает сборы за наём?"
    assert question.critical.red_flag.startswith("Работники")
    assert question.option("workers").label == "Работники платят"
    assert question.option("dont-know").label == "Не знаем / нет данных"
    assert question.primary_resources[1].why == "Платит работодатель."
    # The red-flag cap follows its band into the translation.
    assert copy.cap_band.label == "Развивающийся"
    # Untranslated texts keep the original's wording.
    assert question.help == WORKSHOP.question("fees-who-pays").help
    assert [q.key for q in copy.questions] == [q.key for q in WORKSHOP.questions]
    assert [(o.value, o.score) for o in question.choices] == [
        (o.value, o.score) for o in WORKSHOP.question("fees-who-pays").choices
    ]


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10_000), level=st.floats(0, 1), red_flags=st.integers(0, 2))
def test_answers_stored_by_key_score_the_same_in_every_shipped_language(seed, level, red_flags):
    for original, copies in _shipped_translations():
        answers = engine.sample_answers(original, seed=seed, level=level, red_flags=red_flags)
        expected = engine.score(original, answers)
        for copy in copies:
            got = engine.score(copy, answers)
            assert got.overall == expected.overall
            assert got.completeness == expected.completeness
            assert [(f.question_key, f.score) for f in got.red_flags] == [
                (f.question_key, f.score) for f in expected.red_flags
            ]
            assert {k: t.score for k, t in got.themes.items()} == {
                k: t.score for k, t in expected.themes.items()
            }
            assert expected.band is None or got.band.min == expected.band.min


_CACHE: list = []


def _shipped_translations():
    """Every shipped original with its translated copies (at least one translation ships)."""
    if not _CACHE:
        for path in questionnaire_files(SHIPPED):
            original = engine.load_questionnaire(path)
            copies = [
                translate(original, load_translation(found))
                for found in sorted(SHIPPED.glob(f"{path.stem}.*.yaml"))
            ]
            _CACHE.append((original, copies))
        assert any(copies for _, copies in _CACHE)
    return _CACHE


def test_the_template_translates_into_itself_with_nothing_missing():
    raw = template(WORKSHOP, "fr")
    translation = parse_translation(raw, file="workshop-exercise.fr.yaml")
    report = check_translation(WORKSHOP, translation)
    assert report.missing == [] and report.orphans == [] and report.problems == []
    assert translate(WORKSHOP, translation).snapshot() == {
        **WORKSHOP.snapshot(),
        "language": "fr",
    }


def test_the_check_reports_missing_texts_and_refuses_orphan_keys():
    raw = _translation(
        title="Упражнение",
        themes={"no-such-theme": {"title": "Лишняя тема"}},
        questions={"fees-who-pays": {"options": {"nobody": "Никто"}}},
    )
    report = check_translation(WORKSHOP, parse_translation(raw, file="x.ru.yaml"))
    assert "description" in report.missing
    assert "questions.fees-who-pays.text" in report.missing
    assert "title" not in report.missing
    assert report.orphans == [
        "themes.no-such-theme.title",
        "questions.fees-who-pays.options.nobody",
    ]
    assert {p.path for p in report.problems} == set(report.orphans)
    assert "not in the original" in report.problems[0].message
    assert any("not translated" in w.message for w in report.warnings)


@pytest.mark.parametrize(
    ("texts", "path", "words"),
    [
        (
            {"questions": {"fees-who-pays": {"weight": 2}}},
            "questions.fees-who-pays.weight",
            "not text",
        ),
        (
            {"questions": {"fees-who-pays": {"critical": {"threshold": 50}}}},
            "questions.fees-who-pays.critical",
            "stay in the original",
        ),
        (
            {"questions": {"fees-who-pays": {"options": {"workers": {"label": "x", "score": 2}}}}},
            "questions.fees-who-pays.options.workers",
            "score",
        ),
        ({"scales": {"yes-partly-no": {"yes": 2}}}, "scales.yes-partly-no.yes", "must be text"),
        ({"scales": {"yes-partly-no": {True: "Да"}}}, "scales.yes-partly-no.true", "quotes"),
        ({"default_target": 50}, "default_target", "not text"),
        ({"title": ""}, "title", "empty"),
    ],
)
def test_a_translation_that_carries_structure_is_refused_naming_file_and_item(texts, path, words):
    with pytest.raises(ContentError) as caught:
        parse_translation(_translation(**texts), file="workshop-exercise.ru.yaml")
    problem = caught.value.problems[0]
    assert problem.file == "workshop-exercise.ru.yaml"
    assert problem.path == path
    assert words in problem.message


def test_a_translation_of_another_questionnaire_is_refused():
    raw = {**_translation(), "translates": {"questionnaire": "supplier", "version": "2.0"}}
    report = check_translation(WORKSHOP, parse_translation(raw, file="x.ru.yaml"))
    assert report.problems[0].path == "translates.questionnaire"


def test_the_glossary_check_warns_of_a_variant_in_any_inflection(tmp_path):
    glossary = tmp_path / "glossary.ru.yaml"
    glossary.write_text(
        yaml.safe_dump(
            {
                "language": "ru",
                "terms": [
                    {
                        "term": "forced labour",
                        "use": "принудительный труд",
                        "avoid": ["вынужденн* труд*"],
                        "source": "Конвенция МОТ № 29",
                    }
                ],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    _, terms = load_glossary(glossary)
    raw = _translation(questions={"policy-commitment": {"help": "Признаки вынужденного труда."}})
    warnings = glossary_warnings(parse_translation(raw, file="x.ru.yaml"), terms)
    assert len(warnings) == 1
    assert warnings[0].path == "questions.policy-commitment.help"
    assert "вынужденного труда" in warnings[0].message
    assert "принудительный труд" in warnings[0].message
    clean = _translation(questions={"policy-commitment": {"help": "Принудительный труд."}})
    assert glossary_warnings(parse_translation(clean, file="x.ru.yaml"), terms) == []


def test_shipped_glossaries_load():
    for language in ("ru", "fr", "de"):
        found, terms = load_glossary(SHIPPED / f"glossary.{language}.yaml")
        assert found == language
        assert {"forced labour", "red flag", "grievance mechanism"} <= {
            t.term.split(" (")[0] for t in terms
        }


def _folder_with(tmp_path: Path, name: str, raw: dict) -> Path:
    shutil.copy(SHIPPED / "workshop-exercise.yaml", tmp_path)
    (tmp_path / name).write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return tmp_path


def test_check_paths_counts_missing_and_orphans_per_language(tmp_path):
    folder = _folder_with(tmp_path, "workshop-exercise.de.yaml", template(WORKSHOP, "de"))
    report = engine.check_paths([folder])
    assert report.ok, report.problems
    assert "workshop-exercise.de.yaml (de): 0 missing, 0 orphan" in report.lines
    # A translation is not read as a questionnaire of its own.
    assert sum("workshop-exercise" in line and "themes" in line for line in report.lines) == 1


def test_check_paths_fails_on_a_translation_that_changes_structure(tmp_path):
    raw = _translation(questions={"fees-who-pays": {"score": 0}})
    folder = _folder_with(tmp_path, "workshop-exercise.ru.yaml", raw)
    report = engine.check_paths([folder / "workshop-exercise.ru.yaml"])
    assert not report.ok
    assert str(report.problems[0]) == (
        "workshop-exercise.ru.yaml: questions.fees-who-pays.score: 'score' is not text: "
        "scores, weights, rules and keys stay in the original, a translation holds only text"
    )


def test_every_shipped_translation_is_complete_and_keeps_to_its_glossary():
    content = engine.load_content(SHIPPED)
    reports = check_folder_translations(SHIPPED, content.questionnaires, content.files)
    languages = {(r.file.split(".")[0], r.language) for r in reports if "glossary" not in r.file}
    assert {(q, lang) for q in content.questionnaires for lang in ("ru", "fr", "de")} <= languages
    for report in reports:
        assert report.missing == [] and report.orphans == [] and report.problems == [], report.file
        assert report.warnings == [], [str(w) for w in report.warnings]
