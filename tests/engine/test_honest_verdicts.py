"""The rules that keep a verdict honest: the red-flag cap, "don't know", the basis of an
answer, gated and typed "not applicable", and exclusive options (tests/engine/builders.py,
`honest_questionnaire`)."""

from __future__ import annotations

import pytest

import questionnaires as engine
from questionnaires import Answer, na_reason_problem
from tests.engine.builders import honest_questionnaire, parse, question, small_questionnaire

BEST = {
    "fees-policy": Answer("verified", basis="verified"),
    "fees-who-pays": Answer("employer"),
    "uses-agencies": Answer("yes"),
    "agency-checks": Answer(["licence", "fees", "contracts", "interviews"]),
    "uses-providers": Answer("yes"),
    "provider-fees": Answer("none"),
    "grievance-channel": Answer("yes"),
    "workers-reimbursed": Answer(100),
    "statement-published": Answer("yes"),
}


@pytest.fixture(scope="module")
def honest() -> engine.Questionnaire:
    return parse(honest_questionnaire())


def scored(questionnaire, **changes) -> engine.Scorecard:
    answers = dict(BEST)
    for key, answer in changes.items():
        key = key.replace("_", "-")
        if answer is None:
            answers.pop(key, None)
        else:
            answers[key] = answer if isinstance(answer, Answer) else Answer(answer)
    return engine.score(questionnaire, answers)


def rejected(raw) -> list[str]:
    with pytest.raises(engine.ContentError) as caught:
        parse(raw)
    return [str(problem) for problem in caught.value.problems]


# --- the red-flag cap --------------------------------------------------------------------------


def test_the_best_answers_everywhere_are_leading_and_not_capped(honest):
    card = scored(honest)

    assert (card.overall, card.band.label) == (100, "Leading")
    assert (card.capped, card.cap_band, card.red_flags) == (False, None, ())
    assert card.overall_uncapped == 100


def test_a_red_flag_holds_the_verdict_and_its_theme_at_the_top_of_developing(honest):
    card = scored(honest, fees_who_pays="workers")

    assert card.overall_uncapped > 75  # Leading, were it not for the red flag
    assert (card.overall, card.band.label, card.capped) == (49, "Developing", True)
    assert card.cap_band.label == "Developing"
    fees = card.themes["recruitment-fees"]
    assert (fees.score, fees.band.label, fees.capped) == (49, "Developing", True)
    assert fees.score_uncapped > 49
    remedy = card.themes["remedy"]  # no red flag in it: untouched
    assert (remedy.score, remedy.band.label, remedy.capped) == (100, "Leading", False)


def test_a_verdict_already_below_the_cap_is_not_marked_capped(honest):
    card = scored(
        honest,
        fees_who_pays="workers",
        fees_policy=Answer("none"),
        grievance_channel="no",
        workers_reimbursed=0,
        statement_published="no",
    )

    assert card.overall < 49
    assert card.overall == card.overall_uncapped
    assert card.capped is False
    assert card.cap_band.label == "Developing"  # in force, but it lowered nothing


def test_the_questionnaire_names_its_cap_band():
    raw = honest_questionnaire()
    raw["red_flag_cap"] = "Beginning"

    card = scored(parse(raw), fees_who_pays="workers")

    assert (card.overall, card.band.label) == (24, "Beginning")


def test_without_red_flag_cap_the_second_lowest_band_is_the_cap():
    raw = small_questionnaire()
    raw["bands"] = [
        {"min": 0, "label": "Red"},
        {"min": 40, "label": "Amber"},
        {"min": 70, "label": "Green"},
    ]
    card = engine.score(
        parse(raw),
        {
            "fees-who-pays": Answer("workers"),
            "fees-policy": Answer("verified"),
            "workers-reimbursed": Answer(100),
        },
    )

    assert card.overall_uncapped > 70
    assert (card.overall, card.band.label) == (69, "Amber")


def test_an_unanswered_critical_question_holds_the_verdict_too(honest):
    card = scored(honest, fees_who_pays=None)

    assert card.red_flags == ()
    assert card.unanswered_critical == ("fees-who-pays",)
    assert (card.overall, card.band.label, card.capped) == (49, "Developing", True)


# --- "don't know" ------------------------------------------------------------------------------


def test_dont_know_is_offered_last_with_the_questionnaire_label(honest):
    choices = honest.question("fees-who-pays").choices

    assert (choices[-1].value, choices[-1].label, choices[-1].score) == (
        "dont-know",
        "We don't know / no data",
        0,
    )
    assert honest.question("fees-who-pays").max_points == 2
    assert not any(o.value == "dont-know" for o in honest.question("fees-policy").choices)


def test_dont_know_counts_as_answered_scores_0_and_raises_the_red_flag(honest):
    card = scored(honest, fees_who_pays="dont-know")

    result = card.questions["fees-who-pays"]
    assert (result.answered, result.score, result.dont_know) == (True, 0, True)
    assert [flag.question_key for flag in card.red_flags] == ["fees-who-pays"]
    assert card.completeness == 1.0
    assert card.band.label == "Developing"


def test_the_gap_of_dont_know_says_how_to_find_out(honest):
    card = scored(honest, fees_who_pays="dont-know")

    [gap] = [g for g in engine.find_gaps(card) if g.question_key == "fees-who-pays"]
    assert gap.kind == engine.RED_FLAG
    assert gap.dont_know is True
    assert gap.action == "Interview workers about what they paid to get the job."
    worst = engine.find_gaps(scored(honest, fees_who_pays="workers"))[0]
    assert (worst.dont_know, worst.action) == (
        False,
        "Stop charging workers and repay what they paid.",
    )


def test_a_custom_dont_know_label_is_used():
    raw = honest_questionnaire()
    raw["dont_know_label"] = "No data"

    assert parse(raw).question("fees-who-pays").choices[-1].label == "No data"


# --- how do you know? --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("basis", "expected", "downgraded"),
    [("verified", 100, False), ("records", 100, False), ("statement", 75, True), (None, 75, True)],
)
def test_a_top_answer_on_a_statement_or_no_basis_scores_one_level_lower(
    honest, basis, expected, downgraded
):
    card = scored(honest, fees_policy=Answer("verified", basis=basis))

    result = card.questions["fees-policy"]
    assert (result.score, result.downgraded) == (expected, downgraded)


def test_an_answer_below_the_top_keeps_its_score_whatever_its_basis(honest):
    card = scored(honest, fees_policy=Answer("applied", basis="statement"))

    assert (card.questions["fees-policy"].score, card.questions["fees-policy"].downgraded) == (
        75,
        False,
    )


def test_the_gap_carries_the_basis_of_the_answer():
    raw = honest_questionnaire()
    question(raw, "fees-policy")["target"] = 100
    card = scored(parse(raw), fees_policy=Answer("verified", basis="statement"))

    [gap] = [g for g in engine.find_gaps(card) if g.question_key == "fees-policy"]
    assert (gap.basis.label, gap.downgraded, gap.score) == ("Management statement", True, 75)


def test_an_unknown_basis_is_refused_and_one_on_a_question_that_does_not_ask(honest):
    fees_policy = honest.question("fees-policy")

    assert engine.validate_answer(fees_policy, Answer("verified", basis="hearsay")) == (
        "Choose how you know from the options given."
    )
    assert engine.validate_answer(fees_policy, Answer("verified", basis="records")) is None
    assert engine.validate_answer(
        honest.question("uses-agencies"), Answer("yes", basis="records")
    ) == ("This question does not ask how you know.")


# --- not applicable ----------------------------------------------------------------------------


def test_a_gating_answer_makes_the_gated_question_not_applicable_with_its_reason(honest):
    card = scored(honest, uses_providers="no", provider_fees="pay")

    result = card.questions["provider-fees"]
    assert (result.visible, result.applicable, result.na) == (True, False, True)
    assert result.na_reason == "No labour provider supplies workers to you."
    assert card.red_flags == ()  # the answer given anyway does not count
    assert card.na_count == 1
    assert (card.overall, card.capped) == (100, False)


def test_without_the_gating_answer_the_gated_question_counts(honest):
    card = scored(honest, uses_providers="yes", provider_fees="pay")

    assert card.questions["provider-fees"].na is False
    assert [flag.question_key for flag in card.red_flags] == ["provider-fees"]
    card = scored(honest, uses_providers=None, provider_fees=None)
    assert card.questions["provider-fees"].na is False
    assert "provider-fees" in card.unanswered_critical


@pytest.mark.parametrize(
    "reason",
    [
        "n/a",
        "N/A",
        "-",
        "none",
        "Not applicable",
        "  na. ",
        "not relevant",
        "no",
        "x y",
        "short one",
    ],
)
def test_empty_na_reasons_are_refused(reason):
    assert na_reason_problem(reason) is not None


@pytest.mark.parametrize(
    "reason", ["We have no workers on our own sites.", "All work is done by our own staff"]
)
def test_a_real_sentence_is_a_reason(reason):
    assert na_reason_problem(reason) is None


def test_an_na_with_an_empty_reason_leaves_the_question_unanswered(honest):
    card = scored(honest, grievance_channel=Answer(na_reason="n/a"))

    result = card.questions["grievance-channel"]
    assert (result.applicable, result.answered, result.na) == (True, False, False)
    assert card.na_count == 0
    assert card.completeness < 1

    card = scored(
        honest, grievance_channel=Answer(na_reason="We have no workers on our own sites.")
    )
    assert card.questions["grievance-channel"].na_reason == "We have no workers on our own sites."
    assert card.na_count == 1


def test_na_on_a_critical_question_does_not_count(honest):
    card = scored(honest, fees_who_pays=Answer(na_reason="We recruit nobody through anyone else."))

    assert card.questions["fees-who-pays"].na is False
    assert card.unanswered_critical == ("fees-who-pays",)
    assert card.band.label == "Developing"


# --- exclusive options -------------------------------------------------------------------------


def test_an_exclusive_option_cannot_be_ticked_with_another(honest):
    checks = honest.question("agency-checks")

    assert engine.validate_answer(checks, Answer(["none", "licence"])) == (
        "\u201cNone of these\u201d cannot be ticked together with another option."
    )
    assert engine.validate_answer(checks, Answer(["none"])) is None
    card = scored(honest, agency_checks=["none", "licence"])
    assert card.questions["agency-checks"].answered is False


# --- what questionnaires check refuses ---------------------------------------------------------


def test_a_critical_question_that_allows_na_is_refused():
    raw = small_questionnaire()
    question(raw, "fees-who-pays")["allow_na"] = True

    assert rejected(raw) == [
        "small.yaml: questions[1] 'fees-who-pays'.allow_na: a critical question may not be marked "
        "not applicable, or N/A would hide its red flag; gate it with na_if on an earlier "
        "question instead"
    ]


def test_a_stored_version_with_a_critical_na_question_stays_readable():
    raw = small_questionnaire()
    question(raw, "fees-who-pays")["allow_na"] = True

    assert engine.questionnaire_from_snapshot(raw).question("fees-who-pays").allow_na


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda raw: question(raw, "agency-checks").update(
                dont_know=True, dont_know_action="Ask."
            ),
            "questions[3] 'agency-checks': dont_know is only for single-choice questions",
        ),
        (
            lambda raw: question(raw, "workers-reimbursed").update(ask_basis=True),
            "questions[5] 'workers-reimbursed': ask_basis is only for single-choice questions",
        ),
        (
            lambda raw: question(raw, "fees-policy").update(dont_know=True),
            "questions[0] 'fees-policy': a question with dont_know needs a dont_know_action",
        ),
        (
            lambda raw: question(raw, "fees-policy").update(dont_know_action="Ask workers."),
            "questions[0] 'fees-policy': dont_know_action is only for a question with dont_know",
        ),
        (
            lambda raw: question(raw, "fees-policy").update(ask_basis=True),
            "questions[0] 'fees-policy'.ask_basis: asks how you know, but the questionnaire "
            "lists no basis levels",
        ),
        (
            lambda raw: raw.update(red_flag_cap="Amber"),
            "red_flag_cap: 'Amber' is not a band; the bands are Beginning, Developing, "
            "Established, Leading",
        ),
        (
            lambda raw: question(raw, "fees-policy").update(
                na_if={"question": "uses-agencies", "any_of": ["no"], "reason": "None used."}
            ),
            "questions[0] 'fees-policy'.na_if: depends on 'uses-agencies', which comes later",
        ),
        (
            lambda raw: question(raw, "grievance-channel").update(
                na_if={"question": "uses-agencies", "any_of": ["never"], "reason": "None."}
            ),
            "questions[4] 'grievance-channel'.na_if.any_of: 'never' is not an option of "
            "'uses-agencies'",
        ),
        (
            lambda raw: question(raw, "grievance-channel").update(
                na_if={"question": "uses-agencies", "any_of": ["no"], "reason": " "}
            ),
            "questions[4] 'grievance-channel'.na_if.reason: must not be empty",
        ),
        (
            lambda raw: question(raw, "fees-who-pays")["options"][0].update(exclusive=True),
            "questions[1] 'fees-who-pays': only an option of a 'multiple' question can be "
            "exclusive",
        ),
    ],
)
def test_questionnaires_check_names_file_item_and_problem(change, expected):
    raw = small_questionnaire()
    change(raw)

    problems = rejected(raw)

    assert any(problem.startswith(f"small.yaml: {expected}") for problem in problems), problems


def test_the_new_fields_at_their_defaults_leave_the_content_hash_unchanged():
    plain = parse()
    raw = small_questionnaire()
    raw["dont_know_label"] = "We don't know / no data"
    question(raw, "fees-policy").update(dont_know=False, ask_basis=False, primary_resources=[])
    question(raw, "agency-checks")["options"][0]["exclusive"] = False

    assert parse(raw).content_hash == plain.content_hash
    raw["red_flag_cap"] = "Developing"
    assert parse(raw).content_hash != plain.content_hash


def test_a_top_answer_on_a_statement_is_scored_lower_and_keeps_the_red_flag_open():
    """A management statement is not proof that no worker paid: the red flag stays open."""
    raw = honest_questionnaire()
    question(raw, "fees-who-pays")["ask_basis"] = True
    questionnaire = parse(raw)

    card = scored(questionnaire, fees_who_pays=Answer("employer", basis="statement"))

    result = card.questions["fees-who-pays"]
    assert (result.score, result.downgraded) == (50, True)
    assert [flag.question_key for flag in card.red_flags] == ["fees-who-pays"]
    verified = scored(questionnaire, fees_who_pays=Answer("employer", basis="records"))
    assert verified.red_flags == ()


def test_a_questionnaire_without_the_new_fields_keeps_the_hash_of_the_old_format():
    """Stored versions were hashed before these fields existed: leaving them out of the hash
    while unused keeps every stored questionnaire's identity (and its reports) unchanged."""
    import hashlib
    import json

    later = {"red_flag_cap", "dont_know_label", "basis"}
    later_question = {
        "dont_know",
        "dont_know_action",
        "ask_basis",
        "na_if",
        "primary_resources",
        "evidence",
        "evidence_hint",
    }
    data = parse().snapshot()
    old = {k: v for k, v in data.items() if k not in later}
    for name, options in old["scales"].items():
        old["scales"][name] = [{k: v for k, v in o.items() if k != "exclusive"} for o in options]
    old["questions"] = [
        {
            **{k: v for k, v in q.items() if k not in later_question},
            "options": [{k: v for k, v in o.items() if k != "exclusive"} for o in q["options"]]
            if q["options"] is not None
            else None,
        }
        for q in data["questions"]
    ]
    canonical = json.dumps(old, sort_keys=True, separators=(",", ":")).encode("utf-8")

    assert parse().content_hash == hashlib.sha256(canonical).hexdigest()
