"""Scoring the small questionnaire (tests/engine/builders.py) against numbers worked out by hand.

Reminder of the numbers that matter (see builders.py for the whole questionnaire):

    maturity: none 0 .. verified 4;  yes-partly-no: yes 2, partly 1, no 0
    themes: recruitment-fees weight 1, remedy weight 2, transparency weight 1
    recruitment-fees: fees-policy (maturity, w2), fees-who-pays (choice 0/1/2, w3, critical
                      below 100), uses-agencies (yes-partly-no, w1), agency-checks (multiple
                      1/1/1/2 capped at 4, w1, shown if uses-agencies is yes or partly)
    remedy:           grievance-channel (yes-partly-no, w1, allow_na), workers-reimbursed
                      (number 0-100, bands 0: 0, 50: 1, 90: 2, w2), remedy-evidence (text)
    transparency:     statement-published (yes-partly-no, w1, allow_na, target 50),
                      transparency-notes (text)
"""

from __future__ import annotations

import pytest

import questionnaires as engine
from questionnaires import Answer
from tests.engine.builders import parse, question, small_questionnaire


@pytest.fixture(scope="module")
def small() -> engine.Questionnaire:
    return parse()


@pytest.fixture(scope="module")
def uncritical() -> engine.Questionnaire:
    """The small questionnaire without its critical question, so that no cap applies while
    fees-who-pays is unanswered: for the arithmetic of partly answered sets."""
    raw = small_questionnaire()
    del question(raw, "fees-who-pays")["critical"]
    return parse(raw)


def scored(questionnaire: engine.Questionnaire, **values) -> engine.Scorecard:
    """The scorecard for answers given as key=value (underscores stand for hyphens)."""
    answers = {
        key.replace("_", "-"): value if isinstance(value, Answer) else Answer(value=value)
        for key, value in values.items()
    }
    return engine.score(questionnaire, answers)


def na(reason: str = "We employ no one directly.") -> Answer:
    return Answer(na_reason=reason)


# --- question scores by type -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("fees-policy", "none", 0),  # 0 of 4
        ("fees-policy", "planned", 25),  # 1 of 4
        ("fees-policy", "applied", 75),  # 3 of 4
        ("fees-policy", "verified", 100),  # 4 of 4
        ("uses-agencies", "partly", 50),  # 1 of 2
        ("uses-agencies", "no", 0),
        ("fees-who-pays", "shared", 50),  # own options: 1 of 2
        ("fees-who-pays", "employer", 100),
    ],
)
def test_a_single_choice_scores_its_options_share_of_the_highest(small, key, value, expected):
    assert engine.question_score(small.question(key), value) == expected


@pytest.mark.parametrize(
    ("ticked", "expected"),
    [
        (["licence"], 25),  # 1 of max_score 4
        (["licence", "fees"], 50),  # 2 of 4
        (["licence", "interviews"], 75),  # 3 of 4
        (["licence", "fees", "contracts", "interviews"], 100),  # 5, capped at 4
        (["interviews", "interviews"], 50),  # a ticked option counts once: 2 of 4
    ],
)
def test_a_multiple_choice_adds_up_the_ticked_options_capped_at_max_score(small, ticked, expected):
    assert engine.question_score(small.question("agency-checks"), ticked) == expected


def test_a_multiple_choice_without_max_score_is_capped_at_all_positive_scores_added_up():
    raw = small_questionnaire()
    del question(raw, "agency-checks")["max_score"]
    agency_checks = parse(raw).question("agency-checks")

    assert agency_checks.max_points == 5  # 1 + 1 + 1 + 2
    assert engine.question_score(agency_checks, ["interviews"]) == 40  # 2 of 5
    assert (
        engine.question_score(agency_checks, ["licence", "fees", "contracts", "interviews"]) == 100
    )


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (0, 0),  # band 0: score 0 of 2
        (49.9, 0),
        (50, 50),  # band 50: score 1 of 2
        (89, 50),
        (90, 100),  # band 90: score 2 of 2
        (100, 100),
    ],
)
def test_a_number_scores_the_highest_band_it_reaches(small, number, expected):
    assert engine.question_score(small.question("workers-reimbursed"), number) == expected


def test_a_text_answer_is_never_scored(small):
    card = scored(small, remedy_evidence="We repaid 40 workers in full.")

    result = card.questions["remedy-evidence"]
    assert result.answered is True
    assert result.score is None
    assert card.themes["remedy"].score is None
    assert card.completeness == 0.0  # the text is not among the scored questions
    assert engine.question_score(small.question("remedy-evidence"), "Some text") is None


# --- themes, overall, completeness, band -----------------------------------------------------


def test_theme_scores_are_weighted_means_and_the_overall_is_weighted_by_theme(small):
    card = scored(
        small,
        fees_policy="none",  # 0
        fees_who_pays="shared",  # 50
        uses_agencies="yes",  # 100
        agency_checks=["licence", "fees", "contracts", "interviews"],  # 5 capped at 4: 100
        grievance_channel="yes",  # 100
        workers_reimbursed=95,  # band 90: 100
        remedy_evidence="We repaid everyone.",
        statement_published="partly",  # 50
    )

    scores = {key: result.score for key, result in card.questions.items()}
    assert scores == {
        "fees-policy": 0,
        "fees-who-pays": 50,
        "uses-agencies": 100,
        "agency-checks": 100,
        "grievance-channel": 100,
        "workers-reimbursed": 100,
        "remedy-evidence": None,
        "statement-published": 50,
        "transparency-notes": None,
    }
    # recruitment-fees: (2*0 + 3*50 + 1*100 + 1*100) / (2+3+1+1) = 350 / 7 = 50
    # (the unweighted mean would be 62.5)
    assert card.themes["recruitment-fees"].score_uncapped == pytest.approx(50)
    # remedy: (1*100 + 2*100) / 3 = 100
    assert card.themes["remedy"].score == pytest.approx(100)
    # transparency: 50
    assert card.themes["transparency"].score == pytest.approx(50)
    # overall: (1*50 + 2*100 + 1*50) / (1+2+1) = 300 / 4 = 75 (unweighted: 66.7)
    assert card.overall_uncapped == pytest.approx(75)
    # but "shared" fees are a red flag: the verdict and its theme are held at Developing, 49
    assert (card.overall, card.band.label, card.capped) == (49, "Developing", True)
    assert card.themes["recruitment-fees"].score == 49
    assert card.themes["recruitment-fees"].band.label == "Developing"
    # 7 visible scored questions (the texts do not count), all answered
    assert card.completeness == 1.0
    assert (card.answered, card.applicable) == (7, 7)


def test_a_partly_answered_questionnaire_scores_only_what_is_answered(small):
    card = scored(
        small,
        fees_who_pays="employer",  # 100
        uses_agencies="no",  # 0, so agency-checks is hidden
        workers_reimbursed=40,  # below band 50: 0
        statement_published=na(),  # not applicable: left out
    )

    # recruitment-fees: (3*100 + 1*0) / (3+1) = 75; fees-policy unanswered is not a zero
    assert card.themes["recruitment-fees"].score == pytest.approx(75)
    # remedy: only workers-reimbursed is answered: 0
    assert card.themes["remedy"].score == pytest.approx(0)
    # transparency: nothing answered
    assert card.themes["transparency"].score is None
    # overall: (1*75 + 2*0) / (1+2) = 25; transparency has no score and no weight here
    assert card.overall == pytest.approx(25)
    assert card.band.label == "Developing"
    # applicable scored: fees-policy, fees-who-pays, uses-agencies, grievance-channel,
    # workers-reimbursed = 5; answered 3 -> 0.6
    assert card.completeness == pytest.approx(0.6)
    assert card.themes["recruitment-fees"].answered == 2
    assert card.themes["recruitment-fees"].applicable == 3


@pytest.mark.parametrize(
    ("value", "band"),
    [
        ("none", "Beginning"),
        ("planned", "Developing"),
        ("written", "Established"),
        ("applied", "Leading"),
    ],
)
def test_the_maturity_band_is_the_highest_band_whose_minimum_the_score_reaches(
    uncritical, value, band
):
    card = scored(uncritical, fees_policy=value)  # the only answer: overall = 0, 25, 50, 75

    assert card.band.label == band
    assert card.themes["recruitment-fees"].band.label == band


def test_a_questionnaire_can_name_its_own_bands():
    raw = small_questionnaire()
    raw["bands"] = [{"min": 0, "label": "Red"}, {"min": 60, "label": "Green"}]
    questionnaire = parse(raw)

    assert scored(questionnaire, fees_policy="written").band.label == "Red"  # 50
    assert scored(questionnaire, fees_policy="applied").band.label == "Green"  # 75


def test_nothing_answered_gives_no_scores_and_no_band(small):
    card = engine.score(small, {})

    assert all(result.score is None for result in card.themes.values())
    assert all(result.band is None for result in card.themes.values())
    assert card.overall is None
    assert card.band is None
    assert card.completeness == 0.0
    assert card.red_flags == ()


def test_a_theme_with_nothing_answered_has_no_score_rather_than_0_or_100(uncritical):
    card = scored(uncritical, fees_policy="verified", transparency_notes="We publish nothing yet.")

    transparency = card.themes["transparency"]
    assert transparency.score is None
    assert transparency.band is None
    assert (transparency.answered, transparency.applicable) == (0, 1)
    # the overall is recruitment-fees alone: 100, not pulled down by a 0 for transparency
    assert card.overall == pytest.approx(100)


# --- not applicable --------------------------------------------------------------------------


def test_not_applicable_leaves_the_question_out_of_every_denominator(small):
    card = scored(small, grievance_channel=na(), workers_reimbursed=60)  # 60 -> 50

    grievance = card.questions["grievance-channel"]
    assert (grievance.applicable, grievance.answered, grievance.na) == (False, False, True)
    assert grievance.score is None
    # remedy: workers-reimbursed alone, 50 (not (1*0 + 2*50) / 3)
    assert card.themes["remedy"].score == pytest.approx(50)
    assert (card.themes["remedy"].answered, card.themes["remedy"].applicable) == (1, 1)
    # applicable: fees-policy, fees-who-pays, uses-agencies, workers-reimbursed,
    # statement-published = 5 (agency-checks is hidden); answered 1
    assert card.completeness == pytest.approx(1 / 5)


def test_not_applicable_on_a_question_that_does_not_allow_it_counts_as_unanswered(small):
    card = scored(small, fees_policy=na(), fees_who_pays="employer")

    fees_policy = card.questions["fees-policy"]
    assert (fees_policy.applicable, fees_policy.answered, fees_policy.na) == (True, False, False)
    assert card.themes["recruitment-fees"].applicable == 3  # fees-policy still counts
    # applicable: fees-policy, fees-who-pays, uses-agencies, grievance-channel,
    # workers-reimbursed, statement-published = 6; answered 1
    assert card.completeness == pytest.approx(1 / 6)


def test_not_applicable_wins_over_a_value_given_with_it(small):
    card = scored(small, grievance_channel=Answer(value="no", na_reason="No workers on site."))

    assert card.questions["grievance-channel"].applicable is False
    assert card.themes["remedy"].score is None


# --- conditional questions -------------------------------------------------------------------


def test_a_hidden_question_counts_neither_in_the_score_nor_in_completeness(small):
    # agency-checks holds an answer from before uses-agencies was changed to "no"
    card = scored(small, uses_agencies="no", agency_checks=["licence"])

    agency_checks = card.questions["agency-checks"]
    assert (agency_checks.visible, agency_checks.applicable, agency_checks.answered) == (
        False,
        False,
        False,
    )
    assert agency_checks.score is None
    # recruitment-fees: uses-agencies alone, 0 (the hidden 25 does not count)
    assert card.themes["recruitment-fees"].score == pytest.approx(0)
    assert card.themes["recruitment-fees"].applicable == 3  # fees-policy, -who-pays, uses-agencies
    # 6 visible scored questions, 1 answered
    assert card.completeness == pytest.approx(1 / 6)


def test_a_conditional_question_is_hidden_while_its_trigger_is_unanswered(small):
    card = scored(small, agency_checks=["licence"])

    assert card.questions["agency-checks"].visible is False
    assert card.overall is None


@pytest.mark.parametrize("trigger", ["yes", "partly"])
def test_a_conditional_question_appears_when_its_trigger_gets_a_matching_answer(
    uncritical, trigger
):
    card = scored(uncritical, uses_agencies=trigger, agency_checks=["licence"])

    agency_checks = card.questions["agency-checks"]
    assert (agency_checks.visible, agency_checks.answered) == (True, True)
    assert agency_checks.score == 25
    # recruitment-fees: (1*uses-agencies + 1*25) / 2
    expected = {"yes": (100 + 25) / 2, "partly": (50 + 25) / 2}[trigger]
    assert card.themes["recruitment-fees"].score == pytest.approx(expected)
    assert card.themes["recruitment-fees"].applicable == 4
    # 7 visible scored questions, 2 answered
    assert card.completeness == pytest.approx(2 / 7)


def test_a_conditional_question_can_depend_on_a_multiple_choice():
    raw = small_questionnaire()
    question(raw, "grievance-channel")["show_if"] = {
        "question": "agency-checks",
        "any_of": ["interviews"],
    }
    questionnaire = parse(raw)

    shown = scored(questionnaire, uses_agencies="yes", agency_checks=["licence", "interviews"])
    hidden = scored(questionnaire, uses_agencies="yes", agency_checks=["licence"])

    assert shown.questions["grievance-channel"].visible is True
    assert hidden.questions["grievance-channel"].visible is False


# --- red flags -------------------------------------------------------------------------------


def test_a_critical_question_below_its_threshold_is_a_red_flag(small):
    card = scored(small, fees_who_pays="shared")  # 50, threshold 100

    [flag] = card.red_flags
    assert flag.question_key == "fees-who-pays"
    assert flag.theme == "recruitment-fees"
    assert flag.text == "Workers pay recruitment fees."
    assert flag.score == 50
    assert card.questions["fees-who-pays"].critical is True


def test_a_critical_question_at_its_threshold_is_no_red_flag(small):
    assert scored(small, fees_who_pays="employer").red_flags == ()


def test_the_red_flag_threshold_is_a_strict_lower_bound():
    raw = small_questionnaire()
    question(raw, "fees-who-pays")["critical"]["threshold"] = 50
    questionnaire = parse(raw)

    assert scored(questionnaire, fees_who_pays="shared").red_flags == ()  # 50 is not below 50
    assert [f.score for f in scored(questionnaire, fees_who_pays="workers").red_flags] == [0]


def test_an_unanswered_or_hidden_critical_question_is_no_red_flag():
    raw = small_questionnaire()
    question(raw, "agency-checks")["critical"] = {"threshold": 100, "red_flag": "Unchecked."}
    questionnaire = parse(raw)

    assert engine.score(questionnaire, {}).red_flags == ()
    assert scored(questionnaire, uses_agencies="no", agency_checks=["licence"]).red_flags == ()
    [flag] = scored(questionnaire, uses_agencies="yes", agency_checks=["licence"]).red_flags
    assert flag.question_key == "agency-checks"


# --- invalid stored values -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("fees-policy", "mature"),  # not a level of the scale
        ("fees-policy", 3),  # the score, not the value
        ("fees-who-pays", ["employer"]),  # a list for a single choice
        ("agency-checks", ["licence", "audits"]),  # one option unknown
        ("agency-checks", "licence"),  # a string for a multiple choice
        ("agency-checks", []),  # nothing ticked
        ("workers-reimbursed", 150),  # above max
        ("workers-reimbursed", -1),  # below min
        ("workers-reimbursed", "60"),  # text, not a number
        ("workers-reimbursed", True),  # a boolean is no number
        ("workers-reimbursed", float("nan")),
        ("remedy-evidence", 42),  # a number for text
        ("remedy-evidence", "   "),  # blank text
    ],
)
def test_an_invalid_stored_value_counts_as_unanswered(small, key, value):
    card = engine.score(small, {"uses-agencies": Answer("yes"), key: Answer(value)})

    result = card.questions[key]
    assert result.visible and result.applicable
    assert result.answered is False
    assert result.score is None
    assert card.answered == 1  # uses-agencies only


def test_an_invalid_value_of_a_critical_question_raises_no_red_flag(small):
    card = scored(small, fees_who_pays="nobody")

    assert card.red_flags == ()
    assert card.overall is None


def test_answers_to_unknown_questions_are_ignored(uncritical):
    card = scored(uncritical, fees_policy="verified", retired_question="yes")

    assert "retired-question" not in card.questions
    assert card.overall == pytest.approx(100)


# --- validate_answer -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("fees-policy", "mature", "Choose one of the options given."),
        ("uses-agencies", True, "Choose one of the options given."),
        ("fees-who-pays", "nobody", "Choose one of the options given."),
        ("agency-checks", ["licence", "audits"], "Choose from the options given."),
        ("agency-checks", "licence", "Choose from the options given."),
        ("agency-checks", [], "Choose from the options given."),
        ("workers-reimbursed", "sixty", "Enter a number."),
        ("workers-reimbursed", True, "Enter a number."),
        ("workers-reimbursed", float("inf"), "Enter a number."),
        ("workers-reimbursed", -1, "Enter a number of at least 0."),
        ("workers-reimbursed", 100.5, "Enter a number of at most 100."),
        ("remedy-evidence", ["a", "list"], "Enter text."),
    ],
)
def test_validate_answer_explains_what_is_wrong(small, key, value, message):
    assert engine.validate_answer(small.question(key), Answer(value=value)) == message


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("fees-policy", "written"),
        ("uses-agencies", "yes"),
        ("agency-checks", ("licence", "fees")),
        ("workers-reimbursed", 0),
        ("workers-reimbursed", 100),
        ("workers-reimbursed", 72.5),
        ("remedy-evidence", "Some evidence."),
        ("fees-policy", None),  # no value yet is not wrong
    ],
)
def test_validate_answer_accepts_a_fitting_value(small, key, value):
    assert engine.validate_answer(small.question(key), Answer(value=value)) is None


def test_not_applicable_without_a_reason_counts_as_unanswered():
    small = parse()
    card = scored(small, grievance_channel=Answer(na_reason="  "))

    result = card.questions["grievance-channel"]
    assert result.applicable and not result.answered
    assert card.themes["remedy"].applicable == 2
