"""Resources in the reader's language: language editions and translated summaries."""

from __future__ import annotations

import copy

import pytest
import yaml

import questionnaires as engine

RU_URL = "https://www.ilo.org/fair-recruitment/ru.pdf"
GOOD = {
    "key": "fair-recruitment",
    "title": "General principles for fair recruitment",
    "organisation": "International Labour Organization (ILO)",
    "type": "guidance",
    "year": 2019,
    "languages": ["en", "ru"],
    "url": "https://www.ilo.org/fair-recruitment",
    "versions": {"ru": {"url": RU_URL, "title": "Общие принципы добросовестного найма"}},
    "summary": "What fair recruitment means and who pays for it.",
    "audiences": ["supplier", "buyer"],
    "tags": ["recruitment-fees"],
}


def write(folder, name, data):
    (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def changed(**fields):
    entry = copy.deepcopy(GOOD)
    entry.update(fields)
    return entry


def test_a_reader_is_sent_to_their_language_edition_or_told_the_links_language(tmp_path):
    write(tmp_path, "resources.yaml", {"resources": [GOOD]})
    resource = engine.load_catalogue(tmp_path / "resources.yaml").get("fair-recruitment")
    russian = engine.read_resource(resource, "ru")
    assert (russian.url, russian.title, russian.other_language) == (
        RU_URL,
        "Общие принципы добросовестного найма",
        None,
    )
    german = engine.read_resource(resource, "de")
    assert (german.url, german.title, german.other_language) == (GOOD["url"], GOOD["title"], "en")
    assert engine.read_resource(resource, "en").other_language is None


@pytest.mark.parametrize(
    ("versions", "fields", "problem"),
    [
        ({"de": {"url": RU_URL}}, {}, "versions.de: 'de' is not in languages"),
        ({"en": {"url": RU_URL}}, {}, "versions.en: 'en' is the language of url"),
        ({"ru": {"url": GOOD["url"]}}, {}, "versions.ru.url is the entry's own url"),
        ({"ru": {"url": "www.ilo.org/ru"}}, {}, ".versions.ru.url: must be a full web address"),
        ({"ru": {"url": RU_URL, "pages": 3}}, {}, ".versions.ru: 'pages' is not a known key"),
        ({"ru": {"url": RU_URL}}, {"public": False, "url": None}, "has an address but says public"),
    ],
)
def test_a_malformed_version_is_refused_naming_file_resource_and_problem(
    tmp_path, versions, fields, problem
):
    entry = changed(versions=versions, **fields)
    if entry["url"] is None:
        del entry["url"]
    write(tmp_path, "resources.yaml", {"resources": [entry]})
    report = engine.check_paths([tmp_path / "resources.yaml"])
    assert not report.ok
    found = "\n".join(str(p) for p in report.problems)
    assert "resources.yaml: resources[0] 'fair-recruitment'" in found
    assert problem in found


def test_the_check_reports_a_summary_not_translated_and_refuses_an_orphan(tmp_path):
    other = changed(key="remedy-guide", title="Remedy guide", versions={}, languages=["en"])
    write(tmp_path, "resources.yaml", {"resources": [GOOD, other]})
    write(
        tmp_path,
        "resources.ru.yaml",
        {"language": "ru", "resources": {"fair-recruitment": {"summary": "Что такое наём."}}},
    )
    report = engine.check_paths([tmp_path / "resources.ru.yaml"])
    assert report.ok, report.problems
    assert "resources.ru.yaml (ru): 1 missing, 0 orphan" in report.lines
    assert any(
        w.file == "resources.ru.yaml" and "resources.remedy-guide.summary" in w.message
        for w in report.warnings
    )

    write(
        tmp_path,
        "resources.ru.yaml",
        {"language": "ru", "resources": {"no-such-resource": {"summary": "Текст."}}},
    )
    report = engine.check_paths([tmp_path])
    assert "resources.ru.yaml: resources.no-such-resource: is not a resource" in "\n".join(
        str(p) for p in report.problems
    )


def test_a_catalogue_translation_holds_only_summary_and_title(tmp_path):
    write(tmp_path, "resources.yaml", {"resources": [GOOD]})
    write(
        tmp_path,
        "resources.de.yaml",
        {"language": "de", "resources": {"fair-recruitment": {"url": "https://example.org/"}}},
    )
    report = engine.check_paths([tmp_path / "resources.de.yaml"])
    assert "resources.de.yaml: resources.fair-recruitment.url: 'url' is not a text" in "\n".join(
        str(p) for p in report.problems
    )


def test_every_shipped_summary_is_translated_into_every_language():
    content = engine.load_content(engine.SHIPPED_DIR)
    checks = {check.language: check for check in content.catalogue_checks}
    assert sorted(checks) == ["de", "fr", "ru"]
    for check in checks.values():
        assert (check.missing, check.orphans, check.problems, check.warnings) == ([], [], [], [])
