"""The resource library: search and filters, resource pages, open to visitors."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from app.content import content
from app.library.search import LibraryQuery, search_resources


def resource(
    key,
    title,
    organisation="ILO",
    summary="",
    year=2019,
    type="guidance",
    languages=("en",),
    audiences=("supplier",),
    tags=("recruitment-fees",),
):
    return SimpleNamespace(
        key=key,
        title=title,
        organisation=organisation,
        summary=summary,
        year=year,
        type=type,
        languages=list(languages),
        audiences=list(audiences),
        tags=list(tags),
    )


HAND_MADE = [
    resource("fees", "Definition of recruitment fees", summary="What workers must never pay."),
    resource(
        "iris",
        "IRIS standard",
        organisation="IOM",
        year=2019,
        type="standard",
        languages=("en", "fr"),
        audiences=("supplier", "buyer"),
        tags=("fair-recruitment", "recruitment-fees"),
    ),
    resource(
        "msa",
        "Modern Slavery Act",
        organisation="UK Parliament",
        year=2015,
        type="law-or-policy",
        audiences=("buyer",),
        tags=("transparency-reporting",),
        summary="Annual statement on supply chains.",
    ),
]


def keys(found):
    return [r.key for r in found]


def test_text_search_looks_in_title_organisation_summary_and_topics():
    # "fees" has the word in its title, "iris" only in a topic tag: the title hit ranks first.
    assert keys(search_resources(HAND_MADE, LibraryQuery(text="recruitment"))) == ["fees", "iris"]
    assert keys(search_resources(HAND_MADE, LibraryQuery(text="iom"))) == ["iris"]
    assert keys(search_resources(HAND_MADE, LibraryQuery(text="SUPPLY chains"))) == ["msa"]
    assert search_resources(HAND_MADE, LibraryQuery(text="nothing like this")) == []


def test_every_filter_narrows_the_list():
    assert keys(search_resources(HAND_MADE, LibraryQuery(type="standard"))) == ["iris"]
    assert keys(search_resources(HAND_MADE, LibraryQuery(language="fr"))) == ["iris"]
    assert set(keys(search_resources(HAND_MADE, LibraryQuery(audience="buyer")))) == {
        "iris",
        "msa",
    }
    assert keys(search_resources(HAND_MADE, LibraryQuery(organisation="UK Parliament"))) == ["msa"]
    found = search_resources(HAND_MADE, LibraryQuery(tags=frozenset({"recruitment-fees"})))
    assert set(keys(found)) == {"fees", "iris"}
    both = LibraryQuery(tags=frozenset({"recruitment-fees"}), type="guidance")
    assert keys(search_resources(HAND_MADE, both)) == ["fees"]


def test_the_library_is_open_to_visitors_and_lists_the_catalogue(client):
    response = client.get("/library/")
    assert response.status_code == 200
    total = len(content().catalogue.resources)
    assert f"{total} of {total} resources".encode() in response.data


def test_search_and_filters_through_the_page(client):
    catalogue = content().catalogue.resources
    sample = catalogue[0]
    page = client.get("/library/", query_string={"q": sample.title}).get_data(as_text=True)
    assert sample.title in page
    other = next(r for r in catalogue if r.type != sample.type)
    page = client.get("/library/", query_string={"type": sample.type}).get_data(as_text=True)
    assert sample.title in page and f">{other.title}<" not in page
    tag = sample.tags[0]
    page = client.get("/library/", query_string={"topic": f"tag:{tag}"}).get_data(as_text=True)
    untagged = next((r for r in catalogue if tag not in r.tags), None)
    if untagged is not None:
        assert f">{untagged.title}<" not in page.replace("&#39;", "'").replace("&amp;", "&")
    assert f">{sample.title}<" in page.replace("&#39;", "'").replace("&amp;", "&")


def test_a_theme_filter_finds_resources_for_the_questions_of_that_theme(client):
    supplier = content().get("supplier")
    theme = supplier.themes[0]
    page = client.get("/library/", query_string={"topic": f"theme:supplier:{theme.key}"}).get_data(
        as_text=True
    )
    assert not re.search(r">0 of", page)


@pytest.mark.parametrize(
    "args",
    [
        {"topic": "theme:nope:nope"},
        {"topic": "garbage"},
        {"type": "x" * 500},
        {"q": "\x00"},
        {"language": "zz-ZZ-invalid"},
    ],
)
def test_odd_filters_give_an_empty_list_not_an_error(client, args):
    assert client.get("/library/", query_string=args).status_code == 200


def test_a_resource_page_shows_its_facts_link_and_the_questions_it_helps_with(client):
    item = next(r for r in content().catalogue.resources if r.url)
    page = client.get(f"/library/{item.key}").get_data(as_text=True)
    assert item.organisation.replace("&", "&amp;") in page
    assert f'href="{item.url.replace("&", "&amp;")}"' in page
    assert "Questions it helps with" in page
    helped = [q for q in content().get("supplier").questions if set(q.tags) & set(item.tags)]
    if helped:
        assert helped[0].text.replace("'", "&#39;").replace('"', "&#34;") in page


def test_an_unknown_resource_is_a_404(client):
    assert client.get("/library/no-such-resource").status_code == 404


# --- full-text search over the shipped catalogue ---------------------------------------------


def shipped_search(text: str) -> list:
    return search_resources(content().catalogue.resources, LibraryQuery(text=text))


def test_american_spelling_finds_the_british_titles(app):
    with app.app_context():
        labor = keys(shipped_search("forced labor"))
        labour = keys(shipped_search("forced labour"))
    assert labor == labour
    assert len(labor) >= 10
    assert set(labor[:3]) <= {
        "ilo-indicators-of-forced-labour",
        "ilo-c029-forced-labour-convention",
        "ilo-forced-labour-protocol-p029",
        "ilo-global-estimate-forced-labour-2012",
        "eu-forced-labour-regulation-2024-3015",
        "global-estimates-modern-slavery-2022",
        "ilo-profits-and-poverty-2014",
    }
    with app.app_context():
        assert keys(shipped_search("organization"))[:3] == keys(shipped_search("organisation"))[:3]


def test_a_hyphen_is_the_same_as_a_space(app):
    with app.app_context():
        hyphen = keys(shipped_search("employer-pays"))
        spaced = keys(shipped_search("employer pays"))
    assert hyphen == spaced
    assert hyphen[0] == "employer-pays-principle"


def test_word_forms_and_accents_are_found(app):
    with app.app_context():
        assert keys(shipped_search("recruitment fee"))[0] == "ilo-fair-recruitment-principles"
        passport = shipped_search("passport")
        assert keys(passport)[0] == "ilo-indicators-of-forced-labour"
        assert "iom-iris-standard" in keys(passport)
        assert all("passport" in r.summary.casefold() for r in passport)
        assert keys(shipped_search("societes meres"))[0] == "france-duty-of-vigilance-law"


def test_grievance_finds_the_resources_about_grievance_channels_first(app):
    with app.app_context():
        found = shipped_search("grievance")
    assert len(found) >= 3
    assert all("grievance-mechanisms" in r.tags for r in found[:3])


def test_odd_search_text_is_taken_as_words_not_as_query_syntax(app):
    with app.app_context():
        for text in ['"', "NEAR(", "title:x", "a OR", "*", "-", "fees)"]:
            shipped_search(text)  # no error
        assert keys(shipped_search("fees)"))[:1] == keys(shipped_search("fees"))[:1]


def test_the_topic_filter_lists_each_label_once(client):
    page = client.get("/library/").get_data(as_text=True)
    labels = re.findall(r'<option value="(?:theme|tag):[^"]*"[^>]*>([^<]+)</option>', page)
    assert labels
    assert len(labels) == len({" ".join(label.casefold().split()) for label in labels})


def test_a_shared_theme_title_finds_resources_for_every_questionnaire_using_it(client):
    page = client.get("/library/").get_data(as_text=True)
    value = re.search(r'<option value="(theme:[^"]*)"[^>]*>Recruitment fees', page).group(1)
    found = client.get("/library/", query_string={"topic": value}).get_data(as_text=True)
    assert "ILO" in found and not re.search(r">0 of", found)


def test_general_reading_is_listed_under_its_own_heading(client):
    page = client.get("/library/").get_data(as_text=True)
    assert "General reading" in page
    background = next(r for r in content().catalogue.resources if r.general_reading)
    linked = next(r for r in content().catalogue.resources if not r.general_reading)
    heading = page.index("General reading")
    title = background.title.replace("&", "&amp;").replace("'", "&#39;")
    assert page.index(f">{title}<") > heading
    assert page.index(f">{linked.title}<") < heading


def test_a_resource_page_lists_the_questions_that_recommend_it_first_with_why(client):
    supplier = content().get("supplier")
    question = next(q for q in supplier.questions if q.primary_resources)
    pick = question.primary_resources[0]
    page = client.get(f"/library/{pick.resource}").get_data(as_text=True)
    assert "Recommended first for" in page
    escaped = pick.why.replace("&", "&amp;").replace("'", "&#39;").replace('"', "&#34;")
    assert f"Why this helps: {escaped}" in page


def test_a_general_reading_page_says_so(client):
    background = next(r for r in content().catalogue.resources if r.general_reading)
    page = client.get(f"/library/{background.key}").get_data(as_text=True)
    assert "General reading" in page
