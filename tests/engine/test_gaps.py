"""Gaps: which answers fall short, in what order, with what action, and which resources help.

Targets in the small questionnaire (tests/engine/builders.py): 75 by default, 100 for
fees-who-pays (critical below 100), 50 for statement-published.
"""

from __future__ import annotations

import pytest

import questionnaires as engine
from questionnaires import Answer
from tests.engine.builders import parse, question, small_questionnaire


@pytest.fixture(scope="module")
def small() -> engine.Questionnaire:
    return parse()


def gaps_for(questionnaire: engine.Questionnaire, match=None, **values) -> tuple[engine.Gap, ...]:
    answers = {
        key.replace("_", "-"): value if isinstance(value, Answer) else Answer(value=value)
        for key, value in values.items()
    }
    return engine.find_gaps(engine.score(questionnaire, answers), match=match)


def resource(key: str, tags, **fields) -> engine.Resource:
    """A catalogue entry with sensible defaults for what a test does not care about."""
    defaults = {
        "title": f"Resource {key}",
        "organisation": "Test organisation",
        "type": "guidance",
        "year": 2020,
        "languages": ("en",),
        "summary": "A resource for tests.",
        "audiences": ("supplier",),
    }
    defaults.update(fields)
    return engine.Resource(key=key, tags=tuple(tags), **defaults)


def keys(matches) -> list[str]:
    return [m.resource.key for m in matches]


# --- ranking ---------------------------------------------------------------------------------


def test_gaps_rank_red_flags_then_below_target_by_weight_times_shortfall_then_no_information():
    raw = small_questionnaire()
    question(raw, "fees-who-pays")["weight"] = 0.5  # the red flag is the least severe gap
    questionnaire = parse(raw)

    gaps = gaps_for(
        questionnaire,
        fees_policy="planned",  # 25: w2 * (75-25) = 100
        fees_who_pays="shared",  # 50 < threshold 100: red flag, 0.5 * 50 = 25
        uses_agencies="partly",  # 50: w1 * (75-50) = 25
        workers_reimbursed=60,  # 50: w2 * (75-50) = 50
        statement_published="partly",  # 50 = its target 50: no gap
        # agency-checks (shown) and grievance-channel unanswered: w1 * 75 = 75 each
    )

    assert [(g.kind, g.question_key) for g in gaps] == [
        ("red-flag", "fees-who-pays"),
        ("below-target", "fees-policy"),
        ("below-target", "workers-reimbursed"),  # ranked above uses-agencies by its weight
        ("below-target", "uses-agencies"),
        ("no-information", "agency-checks"),
        ("no-information", "grievance-channel"),
    ]
    assert [g.severity for g in gaps] == [25, 100, 50, 25, 75, 75]
    assert [g.score for g in gaps] == [50, 25, 50, 50, None, None]
    assert [g.target for g in gaps] == [100, 75, 75, 75, 75, 75]
    assert gaps[0].red_flag == "Workers pay recruitment fees."
    assert all(g.red_flag is None for g in gaps[1:])


def test_questions_without_information_are_ranked_critical_first_then_by_severity():
    raw = small_questionnaire()
    question(raw, "fees-who-pays")["weight"] = 0.5  # severity 0.5 * 100 = 50, lowest but one
    questionnaire = parse(raw)

    gaps = gaps_for(questionnaire)  # nothing answered

    assert {g.kind for g in gaps} == {"no-information"}
    assert [(g.question_key, g.severity) for g in gaps] == [
        ("fees-who-pays", 50),  # critical
        ("fees-policy", 150),  # w2 * 75; ties keep questionnaire order
        ("workers-reimbursed", 150),  # w2 * 75
        ("uses-agencies", 75),
        ("grievance-channel", 75),
        ("statement-published", 50),  # w1 * target 50
    ]
    assert gaps[0].critical is True
    assert gaps[0].red_flag is None  # no answer is no evidence of a red flag


def test_no_information_gaps_can_be_left_out(small):
    answers = {"fees-policy": Answer("none")}
    card = engine.score(small, answers)

    gaps = engine.find_gaps(card, include_no_information=False)

    assert [(g.kind, g.question_key) for g in gaps] == [("below-target", "fees-policy")]


def test_every_gap_carries_its_questions_action_theme_tags_and_source(small):
    gaps = gaps_for(small, fees_policy="none", fees_who_pays="workers", uses_agencies="no")

    by_key = {g.question_key: g for g in gaps}
    for key, gap in by_key.items():
        item = small.question(key)
        assert gap.action == item.action
        assert gap.question_text == item.text
        assert gap.tags == item.tags
        assert gap.source == item.source
        assert gap.theme_key == item.theme
        assert gap.theme_title == small.theme(item.theme).title
    assert by_key["fees-who-pays"].action == "Stop charging workers and repay what they paid."
    assert by_key["fees-policy"].answer == Answer("none")


def test_an_answer_at_or_above_its_target_is_no_gap(small):
    gaps = gaps_for(
        small,
        fees_policy="applied",  # 75 = default target
        fees_who_pays="employer",  # 100 = target
        uses_agencies="yes",  # 100 > 75
        agency_checks=["licence", "interviews"],  # 75
        grievance_channel="yes",
        workers_reimbursed=90,  # 100
        statement_published="partly",  # 50 = its target
    )

    assert gaps == ()


def test_just_below_the_target_is_a_gap():
    raw = small_questionnaire()
    question(raw, "fees-policy")["target"] = 76
    questionnaire = parse(raw)

    [gap] = gaps_for(
        questionnaire,
        fees_policy="applied",  # 75 < 76
        fees_who_pays="employer",
        uses_agencies="yes",
        agency_checks=["licence", "fees", "contracts", "interviews"],
        grievance_channel="yes",
        workers_reimbursed=90,
        statement_published="yes",
    )
    assert (gap.question_key, gap.score, gap.target) == ("fees-policy", 75, 76)
    assert gap.shortfall == pytest.approx(1)


def test_a_questionnaires_default_target_applies_where_a_question_names_none():
    raw = small_questionnaire()
    raw["default_target"] = 50
    questionnaire = parse(raw)

    gaps = gaps_for(questionnaire, fees_policy="written", uses_agencies="partly")  # 50 and 50

    assert not {"fees-policy", "uses-agencies"} & {g.question_key for g in gaps}


def test_text_questions_are_never_gaps(small):
    unanswered = gaps_for(small)
    answered = gaps_for(small, remedy_evidence="Little so far.", transparency_notes="None.")

    for gaps in (unanswered, answered):
        assert not {"remedy-evidence", "transparency-notes"} & {g.question_key for g in gaps}


def test_not_applicable_questions_are_never_gaps(small):
    gaps = gaps_for(small, grievance_channel=Answer(na_reason="No workers on site."))

    assert "grievance-channel" not in {g.question_key for g in gaps}


def test_not_applicable_where_it_is_not_allowed_is_a_no_information_gap(small):
    gaps = gaps_for(small, fees_policy=Answer(na_reason="Not relevant to us."))

    [gap] = [g for g in gaps if g.question_key == "fees-policy"]
    assert gap.kind == "no-information"


def test_hidden_questions_are_never_gaps(small):
    hidden_by_no = gaps_for(small, uses_agencies="no", agency_checks=["licence"])
    hidden_while_unanswered = gaps_for(small)
    shown = gaps_for(small, uses_agencies="yes", agency_checks=["licence"])

    assert "agency-checks" not in {g.question_key for g in hidden_by_no}
    assert "agency-checks" not in {g.question_key for g in hidden_while_unanswered}
    assert ("below-target", "agency-checks") in {(g.kind, g.question_key) for g in shown}


def test_gaps_have_no_resources_unless_a_matcher_is_given(small):
    assert all(g.resources == () for g in gaps_for(small))


# --- matching resources ----------------------------------------------------------------------


FEES = ("recruitment-fees", "fair-recruitment", "labour-providers")


def test_resources_sharing_more_tags_rank_first():
    one = resource("one", ["recruitment-fees"], year=2024)  # newer, same audience and language
    two = resource("two", ["recruitment-fees", "fair-recruitment"], year=2001, languages=("fr",))

    matches = engine.match_resources([one, two], tags=FEES, audience="supplier", language="en")

    assert keys(matches) == ["two", "one"]
    assert matches[0].shared_tags == ("recruitment-fees", "fair-recruitment")


def test_between_equal_tags_a_resource_for_the_audience_ranks_first():
    others = resource("others", ["recruitment-fees"], year=2024, audiences=("buyer",))
    ours = resource("ours", ["recruitment-fees"], year=2001, audiences=("supplier", "buyer"))

    matches = engine.match_resources([others, ours], tags=FEES, audience="supplier", language="en")

    assert keys(matches) == ["ours", "others"]
    assert [m.for_audience for m in matches] == [True, False]


def test_a_workshop_questionnaire_is_matched_to_resources_for_facilitators():
    buyers = resource("buyers", ["remedy"], year=2024, audiences=("buyer", "supplier"))
    trainers = resource("trainers", ["remedy"], year=2001, audiences=("workshop",))

    matches = engine.match_resources([buyers, trainers], tags=["remedy"], audience="workshop")

    assert keys(matches) == ["trainers", "buyers"]
    assert matches[0].for_audience is True


def test_between_equal_tags_and_audience_a_resource_in_the_language_ranks_first():
    english = resource("english", ["remedy"], year=2024, languages=("en",))
    french = resource("french", ["remedy"], year=2001, languages=("en", "fr"))

    matches = engine.match_resources([english, french], tags=["remedy"], language="fr")
    regional = engine.match_resources([english, french], tags=["remedy"], language="fr-BE")

    assert keys(matches) == ["french", "english"]
    assert keys(regional) == ["french", "english"]
    assert [m.in_language for m in matches] == [True, False]


def test_the_year_plays_no_part_and_an_undated_resource_is_not_held_back():
    old = resource("b-old", ["remedy"], year=2009)
    undated = resource("a-undated", ["remedy"], year=None)
    new = resource("c-new", ["remedy"], year=2023)

    matches = engine.match_resources(
        [old, undated, new], tags=["remedy"], audience="supplier", language="en"
    )

    # Otherwise equal, they come in title order: the newest is not preferred.
    assert keys(matches) == ["a-undated", "b-old", "c-new"]


def test_matching_returns_at_most_limit_resources():
    catalogue = [resource(f"r{i}", ["remedy"], year=2000 + i) for i in range(6)]

    assert len(engine.match_resources(catalogue, tags=["remedy"])) == 3
    assert keys(engine.match_resources(catalogue, tags=["remedy"], limit=2)) == ["r0", "r1"]
    assert engine.match_resources(catalogue, tags=["remedy"], limit=0) == ()


def test_a_resource_sharing_no_tag_never_matches():
    unrelated = resource(
        "unrelated",
        ["transparency-reporting"],
        year=2025,
        audiences=("supplier",),
        languages=("en",),
    )

    assert engine.match_resources([unrelated], tags=FEES, audience="supplier", language="en") == ()


def test_a_matchs_reason_names_the_shared_topics_and_why_it_fits():
    guide = resource("guide", ["recruitment-fees", "remedy"], audiences=("supplier",))

    [match] = engine.match_resources(
        [guide], tags=["remedy", "recruitment-fees"], audience="supplier", language="en"
    )

    assert match.reason == (
        "shares the topics remedy, recruitment fees; written for this audience; "
        "available in the assessment's language"
    )


def test_a_reason_leaves_out_audience_and_language_when_they_do_not_fit():
    guide = resource("guide", ["recruitment-fees"], audiences=("buyer",), languages=("fr",))

    [match] = engine.match_resources([guide], tags=FEES, audience="supplier", language="en")

    assert match.reason == "shares the topics recruitment fees"


def test_find_gaps_with_a_matcher_attaches_the_best_resources_to_each_gap(small):
    catalogue = engine.Catalogue(
        resources=(
            resource("fees-guide", ["recruitment-fees", "fair-recruitment"], year=2019),
            resource("fees-law", ["recruitment-fees"], year=2022, type="law-or-policy"),
            resource("remedy-tool", ["remedy", "grievance-mechanisms"], type="tool"),
        )
    )

    gaps = gaps_for(
        small, engine.make_matcher(catalogue), fees_who_pays="shared", grievance_channel="no"
    )

    by_key = {g.question_key: g for g in gaps}
    # fees-who-pays is tagged recruitment-fees and fair-recruitment: the guide shares both
    assert keys(by_key["fees-who-pays"].resources) == ["fees-guide", "fees-law"]
    assert keys(by_key["grievance-channel"].resources) == ["remedy-tool"]
    assert keys(by_key["workers-reimbursed"].resources) == ["remedy-tool"]
    # statement-published is tagged transparency-reporting, which no resource carries
    assert by_key["statement-published"].resources == ()


def test_find_gaps_matches_resources_for_the_questionnaires_audience_and_language():
    raw = small_questionnaire()
    raw.update(audience="workshop", language="fr")
    questionnaire = parse(raw)
    catalogue = engine.Catalogue(
        resources=(
            resource("for-suppliers", ["remedy"], year=2024, audiences=("supplier",)),
            resource("for-facilitators", ["remedy"], year=2010, audiences=("workshop",)),
            resource("in-french", ["remedy"], year=2012, languages=("fr",)),
        )
    )

    gaps = gaps_for(questionnaire, engine.make_matcher(catalogue), workers_reimbursed=10)

    [gap] = [g for g in gaps if g.question_key == "workers-reimbursed"]
    assert keys(gap.resources) == ["for-facilitators", "in-french", "for-suppliers"]


def test_make_matcher_respects_its_limit():
    catalogue = engine.Catalogue(
        resources=tuple(resource(f"r{i}", ["remedy"], year=2000 + i) for i in range(5))
    )

    match = engine.make_matcher(catalogue, limit=1)

    assert keys(match(("remedy",), "supplier", "en")) == ["r0"]
    assert match(("child-labour",), "supplier", "en") == ()
