"""The shipped resource catalogue: the seed documents' resources are in it, and it covers every tag.

These tests read questionnaires/resources.yaml and tags.yaml directly with PyYAML, so they check
the content itself, independently of the engine that loads and validates it.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

CONTENT_DIR = Path(__file__).resolve().parents[2] / "questionnaires"


@pytest.fixture(scope="module")
def resources() -> list[dict]:
    with open(CONTENT_DIR / "resources.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)["resources"]


@pytest.fixture(scope="module")
def tags() -> set[str]:
    with open(CONTENT_DIR / "tags.yaml", encoding="utf-8") as handle:
        return set(yaml.safe_load(handle)["tags"])


def _by_title(resources: list[dict], title: str) -> dict:
    matches = [r for r in resources if r["title"] == title]
    assert matches, f"no resource is titled {title!r}"
    return matches[0]


# (exact title, a part of the organisation's name, year), spread over the five seed documents.
SEED_RESOURCES = [
    # seed 000: OSCE and partner publications
    (
        "Model Guidelines on Government Measures to Prevent Trafficking for Labour Exploitation"
        " in Supply Chains",
        "OSR/CTHB",
        2018,
    ),
    (
        "Legal and Ethical Issues in Data Collection on Trafficking in Persons",
        "NEXUS Institute",
        2019,
    ),
    # seed 001: concept note of the OSCE supply-chain project
    (
        "Profits and Poverty: The Economics of Forced Labour",
        "International Labour Organization",
        2014,
    ),
    (
        "Ending Exploitation. Ensuring that Businesses Do Not Contribute to Trafficking in Human"
        " Beings: Duties of States and the Private Sector",
        "OSR/CTHB",
        2014,
    ),
    # seed 002: concept note of the 2011 Alliance conference
    (
        "Unprotected Work, Invisible Exploitation: Trafficking for the Purpose of Domestic"
        " Servitude",
        "OSR/CTHB",
        2010,
    ),
    (
        "Declaration on Social Justice for a Fair Globalization",
        "International Labour Organization",
        2008,
    ),
    # seed 003: ETI think piece and related resources
    (
        "Identifying, managing, mitigating and preventing forced labour and modern slavery",
        "Ethical Trading Initiative",
        2015,
    ),
    # seed 004: IOM chapter of the OSCE compendium
    (
        "Remediation Guidelines for Victims of Exploitation in Extended Mineral Supply Chains",
        "International Organization for Migration",
        2018,
    ),
    ("Migrant Workers Fair Recruitment and Treatment Guidelines", "H&M Group", 2019),
]


@pytest.mark.parametrize(("title", "organisation", "year"), SEED_RESOURCES)
def test_a_seed_resource_is_catalogued_with_its_organisation_and_year(
    resources, title, organisation, year
):
    resource = _by_title(resources, title)
    assert organisation.casefold() in resource["organisation"].casefold()
    assert resource["year"] == year


def test_the_compendium_addresses_of_iom_resources_are_kept_as_given(resources):
    resource = _by_title(
        resources,
        "Labour Exploitation, Trafficking and Migrant Health: Multi-country Findings on the Health"
        " Risks and Consequences of Migrant and Trafficked Workers",
    )
    assert resource["url"] == (
        "https://publications.iom.int/system/files/pdf/labour_exploitation_trafficking_en.pdf"
    )
    assert set(resource["languages"]) == {"en", "ru"}


def test_every_tag_is_carried_by_at_least_one_resource(resources, tags):
    carried = {tag for resource in resources for tag in resource["tags"]}
    assert sorted(tags - carried) == []


def test_resources_use_only_tags_from_the_controlled_list(resources, tags):
    unknown = {
        (resource["key"], tag)
        for resource in resources
        for tag in resource["tags"]
        if tag not in tags
    }
    assert unknown == set()


def test_no_two_resources_share_a_key(resources):
    counts = Counter(resource["key"] for resource in resources)
    assert [key for key, n in counts.items() if n > 1] == []


def test_no_two_resources_share_a_title(resources):
    counts = Counter(" ".join(resource["title"].casefold().split()) for resource in resources)
    assert [title for title, n in counts.items() if n > 1] == []


def test_every_address_is_a_full_web_address(resources):
    for resource in resources:
        if "url" in resource:
            assert resource["url"].startswith(("https://", "http://")), resource["key"]
            assert " " not in resource["url"], resource["key"]
