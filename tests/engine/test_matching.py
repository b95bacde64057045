"""What a gap links to: the hand-picked resources first, then the kind of help the gap calls for."""

from __future__ import annotations

import questionnaires as engine
from tests.engine.builders import parse, question, small_questionnaire
from tests.engine.test_gaps import gaps_for, keys, resource

URL = "https://example.org/doc"
WHY = "Lists which costs count as recruitment fees, so you can check invoices."


def catalogue(*entries) -> engine.Catalogue:
    return engine.Catalogue(resources=tuple(entries))


def fees_gap(questionnaire, entries, **answers):
    gaps = gaps_for(questionnaire, engine.make_matcher(catalogue(*entries)), **answers)
    return next(g for g in gaps if g.question_key == "fees-who-pays")


def with_primary(*picks):
    raw = small_questionnaire()
    question(raw, "fees-who-pays")["primary_resources"] = [
        {"resource": key, "why": why} for key, why in picks
    ]
    return parse(raw)


def test_a_gaps_first_resource_is_its_questions_primary_resource_with_why_it_helps():
    entries = (
        resource("guide", ["recruitment-fees", "fair-recruitment"], url=URL),
        resource("picked", ["recruitment-fees"], type="standard", url=URL),
        resource("other", ["fair-recruitment"], url=URL),
    )

    gap = fees_gap(with_primary(("picked", WHY)), entries, fees_who_pays="shared")

    assert keys(gap.resources) == ["picked", "guide", "other"]
    first = gap.resources[0]
    assert first.primary and first.why == WHY and first.reason == WHY
    assert not gap.resources[1].primary
    assert gap.resources[1].reason.startswith("shares the topics")


def test_two_primary_resources_keep_their_order_and_are_not_repeated_by_tag_matching():
    entries = (
        resource("a", ["recruitment-fees"], url=URL),
        resource("b", ["recruitment-fees", "fair-recruitment"], url=URL),
        resource("c", ["recruitment-fees"], url=URL),
    )

    gap = fees_gap(with_primary(("a", "First."), ("b", "Second.")), entries, fees_who_pays="shared")

    assert keys(gap.resources) == ["a", "b", "c"]


def test_a_practice_gap_gets_guidance_and_tools_before_a_law_sharing_the_same_topics():
    law = resource("law", ["recruitment-fees"], type="law-or-policy", year=2024, url=URL)
    study = resource("study", ["recruitment-fees"], type="report", year=2023, url=URL)
    guide = resource("guide", ["recruitment-fees"], type="guidance", year=2009, url=URL)

    matches = engine.match_resources([law, study, guide], tags=["recruitment-fees"])

    assert engine.resource_need(["recruitment-fees"]) == engine.PRACTICE
    assert keys(matches) == ["guide", "law", "study"]


def test_a_legal_basis_gap_gets_laws_and_standards_first():
    tags = ["transparency-reporting", "legislation"]
    law = resource("law", tags, type="law-or-policy", url=URL)
    standard = resource("standard", tags, type="standard", url=URL)
    guide = resource("guide", tags, type="guidance", url=URL)

    matches = engine.match_resources([guide, standard, law], tags=tags)

    assert engine.resource_need(tags) == engine.LEGAL_BASIS
    assert keys(matches) == ["law", "standard", "guide"]


def test_a_rare_shared_topic_counts_for_more_than_a_common_one():
    # Five resources carry "remedy"; only one carries "grievance-mechanisms".
    broad = [resource(f"broad{i}", ["remedy"], url=URL) for i in range(4)]
    narrow = resource("narrow", ["grievance-mechanisms"], url=URL)
    both_broad = resource("z-broad", ["remedy"], url=URL)
    match = engine.make_matcher(catalogue(*broad, narrow, both_broad), limit=1)

    assert keys(match(("remedy", "grievance-mechanisms"), "supplier", "en")) == ["narrow"]


def test_general_reading_is_never_matched_by_topic():
    background = resource("background", ["recruitment-fees"], url=URL, general_reading=True)

    assert engine.match_resources([background], tags=["recruitment-fees"]) == ()


def test_a_resource_with_a_public_address_ranks_before_one_without():
    offline = resource("a-offline", ["remedy"])
    online = resource("b-online", ["remedy"], url=URL)

    assert keys(engine.match_resources([offline, online], tags=["remedy"])) == [
        "b-online",
        "a-offline",
    ]
