"""Checking a resource catalogue: every problem names resources.yaml, the entry and the fault."""

from __future__ import annotations

import copy

import pytest
import yaml

import questionnaires as engine

GOOD = {
    "key": "fair-recruitment",
    "title": "General principles for fair recruitment",
    "organisation": "International Labour Organization (ILO)",
    "type": "guidance",
    "year": 2019,
    "languages": ["en", "fr"],
    "url": "https://www.ilo.org/fair-recruitment",
    "summary": "What fair recruitment means and who pays for it.",
    "audiences": ["supplier", "buyer"],
    "tags": ["recruitment-fees"],
}
TAGS = {"recruitment-fees", "remedy"}


def load(tmp_path, *entries, tags=TAGS):
    path = tmp_path / "resources.yaml"
    path.write_text(yaml.safe_dump({"resources": list(entries)}), encoding="utf-8")
    return engine.load_catalogue(path, tags)


def refusal(tmp_path, *entries) -> str:
    with pytest.raises(engine.ContentError) as caught:
        load(tmp_path, *entries)
    return str(caught.value)


def changed(**fields):
    entry = copy.deepcopy(GOOD)
    entry.update(fields)
    return entry


def test_a_good_catalogue_loads_and_finds_resources_by_key_and_tag(tmp_path):
    catalogue = load(tmp_path, GOOD, changed(key="other", title="Other", tags=["remedy"]))
    assert catalogue.get("other").title == "Other"
    assert [r.key for r in catalogue.with_any_tag(["remedy"])] == ["other"]
    assert catalogue.tags == {"recruitment-fees", "remedy"}


def test_two_resources_with_the_same_key_are_refused(tmp_path):
    message = refusal(tmp_path, GOOD, changed(title="Another title"))
    assert "resources.yaml: resources[1] 'fair-recruitment': the key is used by resources[0]" in (
        message
    )


def test_two_resources_with_the_same_title_are_refused_whatever_the_case(tmp_path):
    message = refusal(tmp_path, GOOD, changed(key="copy", title=GOOD["title"].upper()))
    assert "resources[1] 'copy': the title is used by resources[0] too" in message


def test_an_unknown_tag_is_refused(tmp_path):
    message = refusal(tmp_path, changed(tags=["recruitment-fee"]))
    assert "resources[0] 'fair-recruitment'.tags: 'recruitment-fee' is not a tag" in message


@pytest.mark.parametrize("url", ["www.ilo.org/x", "ftp://ilo.org/x", "https://", "https://a b"])
def test_a_malformed_address_is_refused(tmp_path, url):
    message = refusal(tmp_path, changed(url=url))
    assert "resources[0] 'fair-recruitment'.url: must be a full web address" in message


@pytest.mark.parametrize("field", ["title", "organisation", "summary", "languages", "tags"])
def test_a_missing_required_fact_is_refused(tmp_path, field):
    entry = changed()
    del entry[field]
    message = refusal(tmp_path, entry)
    assert f"resources[0] 'fair-recruitment'.{field}: is required but missing" in message


def test_an_unknown_type_or_audience_is_refused(tmp_path):
    message = refusal(tmp_path, changed(type="blog", audiences=["everyone"]))
    assert "resources[0] 'fair-recruitment'.type: must be one of" in message
    assert "resources[0] 'fair-recruitment'.audiences[0]: must be one of" in message
