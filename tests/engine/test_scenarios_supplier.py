"""Realistic supplier answer sets read as an expert in forced-labour due diligence would.

Each scenario is a company profile answered through the shipped supplier questionnaire. The
tests state what an expert expects of the verdict: whether the band is held at the cap, which red
flags stand, and which three gaps come first. They fail when the content or the engine lets a
verdict say the opposite of the facts.
"""

from __future__ import annotations

import pytest

import questionnaires as engine
from questionnaires import Answer

DONT_KNOW = "dont-know"
EVIDENCE = "Policy of March 2025, board minutes, audit reports and interview notes on file."

# The critical questions of the supplier questionnaire: each one is a sign that workers may be
# in forced labour now, so a weak, unknown or unproven answer to it holds the verdict down.
CRITICAL = {
    "fees-employer-pays",
    "fees-supply-chain",
    "identity-documents",
    "written-contracts",
    "contract-substitution",
    "wages-in-full",
    "worker-debts",
    "freedom-to-leave",
    "freedom-of-movement",
    "overtime-voluntary",
    "housing-conditions",
}
# Questions that a "no" to a gating question makes not applicable.
GATED = {
    "labour-provider-selection",
    "provider-contract-terms",
    "provider-register",
    "housing-conditions",
    "housing-optional",
    "housing-charges",
}


@pytest.fixture(scope="module")
def supplier() -> engine.Questionnaire:
    return engine.load_questionnaire(engine.SHIPPED_DIR / "supplier.yaml")


def best(question: engine.Question, basis: str | None = "verified") -> Answer:
    """The fully compliant answer, resting on the given basis where the question asks for one."""
    if question.type == "multiple":
        value = [o.value for o in question.choices if o.score > 0]
    elif question.type == "number":
        value = question.max
    elif question.type == "text":
        value = EVIDENCE
    else:
        top = max(o.score for o in question.choices)
        value = next(o.value for o in question.choices if o.score == top)
    return Answer(value=value, basis=basis if question.ask_basis else None)


def best_everywhere(questionnaire: engine.Questionnaire, **changes: Answer) -> dict[str, Answer]:
    """The best answer to every question (labour providers and housing in use), then `changes`."""
    answers = {q.key: best(q) for q in questionnaire.questions}
    answers["uses-labour-providers"] = Answer("yes")
    answers["arranges-housing"] = Answer("yes")
    answers.pop("fees-reimbursement")  # shown only when workers paid fees
    answers.update({key.replace("_", "-"): answer for key, answer in changes.items()})
    return answers


def verdict(questionnaire: engine.Questionnaire, answers: dict[str, Answer]):
    card = engine.score(questionnaire, answers)
    return card, engine.find_gaps(card)


def flags(card: engine.Scorecard) -> set[str]:
    return {flag.question_key for flag in card.red_flags}


def top_three(gaps) -> list[str]:
    return [gap.question_key for gap in gaps[:3]]


def assert_held_at_developing(card: engine.Scorecard) -> None:
    assert card.band.label == "Developing"
    assert card.cap_band.label == "Developing"
    assert card.overall == 49  # the top of Developing: Established starts at 50
    assert card.capped


# --- the shape of the questionnaire an expert relies on -------------------------------------


def test_the_critical_questions_are_the_signs_of_forced_labour_and_none_allows_na(supplier):
    critical = {q.key for q in supplier.questions if q.critical is not None}

    assert critical == CRITICAL
    assert not [q.key for q in supplier.questions if q.critical is not None and q.allow_na]
    # Only the fully compliant answer passes a critical question.
    assert {q.critical.threshold for q in supplier.questions if q.critical is not None} == {100}


def test_every_question_about_workers_accepts_dont_know_and_says_how_to_find_out(supplier):
    about_workers = CRITICAL | {
        "fees-reimbursement",
        "identity-documents-suppliers",
        "wages-on-time",
        "wages-paid-to-worker",
        "wage-deductions",
        "wages-suppliers",
        "overtime-limits",
        "housing-optional",
        "housing-charges",
        "child-labour-suppliers",
    }
    for key in about_workers:
        question = supplier.question(key)
        assert question.dont_know, key
        assert question.ask_basis, key
        assert question.dont_know_action and question.dont_know_action != question.action, key


# --- scenarios --------------------------------------------------------------------------------


def test_a_mature_supplier_answering_honestly_is_leading_with_few_real_gaps(supplier):
    # A company with years of work behind it: worker-verified outcomes, records for practice,
    # and the shortfalls such a company honestly still has.
    answers = best_everywhere(supplier)
    for key, answer in answers.items():
        question = supplier.question(key)
        if question.ask_basis and not question.dont_know:
            answers[key] = Answer(answer.value, basis="records", evidence=1)
    answers.update(
        {
            "traceability-depth": Answer("partial", basis="records", evidence=1),
            "risk-women": Answer("partly", basis="records", evidence=1),
            "monitoring-coverage": Answer(60),
            "grievance-trust": Answer("informal", basis="records", evidence=1),
            "civil-society-engagement": Answer("partly", basis="records", evidence=1),
        }
    )

    card, gaps = verdict(supplier, answers)

    assert card.red_flags == ()
    assert not card.capped
    assert card.band.label == "Leading"
    assert {g.question_key for g in gaps} == {
        "traceability-depth",
        "risk-women",
        "monitoring-coverage",
        "grievance-trust",
        "civil-society-engagement",
    }
    assert top_three(gaps) == ["risk-women", "grievance-trust", "civil-society-engagement"]


def test_best_everywhere_but_fees_and_passports_is_held_at_developing(supplier):
    # The answer set that read "93, Leading" beside two red flags.
    answers = best_everywhere(
        supplier,
        fees_employer_pays=Answer("some", basis="verified"),
        identity_documents=Answer("retained", basis="verified"),
    )

    card, gaps = verdict(supplier, answers)

    assert flags(card) == {"fees-employer-pays", "identity-documents"}
    assert card.overall_uncapped >= 75
    assert_held_at_developing(card)
    for theme in ("recruitment-fees", "working-conditions"):
        assert card.themes[theme].band.label == "Developing"
        assert card.themes[theme].capped
    assert top_three(gaps)[:2] == ["identity-documents", "fees-employer-pays"]


@pytest.mark.parametrize(
    "answer",
    [
        # The supplier knows: an agency of a tier-2 supplier charges its workers.
        Answer("fees-unresolved", basis="verified"),
        # The supplier checked its direct suppliers only, so tier 2 is unseen.
        Answer("tier-one", basis="verified"),
        # The supplier looked at its own hires only.
        Answer("own-hires-only", basis="records", evidence=1),
    ],
    ids=["found-at-tier-2", "checked-tier-1-only", "own-hires-only"],
)
def test_agency_fees_at_tier_two_only_hold_the_verdict_however_clean_the_own_hires(
    supplier, answer
):
    answers = best_everywhere(supplier, fees_supply_chain=answer)

    card, gaps = verdict(supplier, answers)

    assert flags(card) == {"fees-supply-chain"}
    assert card.questions["fees-employer-pays"].score == 100  # own hires are clean
    assert_held_at_developing(card)
    assert card.themes["recruitment-fees"].band.label == "Developing"
    assert top_three(gaps)[0] == "fees-supply-chain"
    assert gaps[0].red_flag.startswith("Workers at your suppliers")


def test_passports_held_with_everything_else_in_order_is_a_red_flag(supplier):
    answers = best_everywhere(supplier, identity_documents=Answer("retained", basis="verified"))

    card, gaps = verdict(supplier, answers)

    assert flags(card) == {"identity-documents"}
    assert_held_at_developing(card)
    assert card.themes["working-conditions"].band.label == "Developing"
    assert top_three(gaps)[0] == "identity-documents"
    assert gaps[0].action.startswith("Return every document to its owner")


def test_voluntary_safekeeping_with_free_access_is_acceptable_but_unrequested_holding_is_not(
    supplier,
):
    safekeeping = best_everywhere(
        supplier, identity_documents=Answer("voluntary-safekeeping", basis="verified")
    )
    held = best_everywhere(
        supplier, identity_documents=Answer("held-without-request", basis="verified")
    )

    assert engine.score(supplier, safekeeping).red_flags == ()
    assert flags(engine.score(supplier, held)) == {"identity-documents"}


def test_paper_compliance_is_held_down_and_asks_for_proof_first(supplier):
    # Policies are written, nothing is implemented, and outcomes rest on management's word.
    answers: dict[str, Answer] = {}
    for question in supplier.questions:
        if question.type == "maturity":
            answers[question.key] = Answer("written", basis="statement")
        elif question.critical is not None or question.dont_know:
            answers[question.key] = best(question, basis="statement")
        elif question.type in ("yes-partly-no", "choice"):
            low = min(question.choices, key=lambda o: o.score)
            answers[question.key] = Answer(low.value, basis="statement")
        elif question.type == "multiple":
            answers[question.key] = Answer([question.choices[0].value])
        elif question.type == "number":
            answers[question.key] = Answer(0)
    answers["uses-labour-providers"] = Answer("yes")
    answers["arranges-housing"] = Answer("yes")
    answers["policy-approval"] = Answer("senior")
    answers["policy-published"] = Answer("public")

    card, gaps = verdict(supplier, answers)

    # A management statement is not proof that no worker paid or that passports are free.
    assert flags(card) == CRITICAL
    assert all(card.questions[key].downgraded for key in CRITICAL)
    assert card.band.label in ("Beginning", "Developing")
    assert card.overall <= 49
    assert top_three(gaps) == ["fees-employer-pays", "identity-documents", "written-contracts"]


def test_all_dont_know_raises_every_red_flag_and_each_gap_says_how_to_find_out(supplier):
    answers = best_everywhere(supplier)
    for question in supplier.questions:
        if question.dont_know:
            answers[question.key] = Answer(DONT_KNOW)

    card, gaps = verdict(supplier, answers)

    assert flags(card) == CRITICAL
    assert_held_at_developing(card)
    assert top_three(gaps) == ["fees-employer-pays", "fees-supply-chain", "identity-documents"]
    for gap in gaps:
        if gap.dont_know:
            assert gap.action == supplier.question(gap.question_key).dont_know_action
    assert "interview" in gaps[0].action.lower()


def test_dont_know_never_scores_above_the_worst_answer(supplier):
    answers = best_everywhere(supplier, fees_employer_pays=Answer("some", basis="verified"))
    for question in supplier.questions:
        if not question.dont_know:
            continue
        worst = min(question.choices, key=lambda o: o.score)
        unknown = engine.score(supplier, {**answers, question.key: Answer(DONT_KNOW)})
        bad = engine.score(supplier, {**answers, question.key: Answer(worst.value)})
        assert unknown.questions[question.key].score <= bad.questions[question.key].score
        assert unknown.overall_uncapped <= bad.overall_uncapped


def test_na_on_everything_allowed_leaves_only_what_truly_does_not_apply(supplier):
    # No agencies and no housing: the gated questions drop out, with the gating reason.
    answers = best_everywhere(
        supplier, uses_labour_providers=Answer("no"), arranges_housing=Answer("no")
    )
    for key in GATED:
        answers.pop(key)
    # A typed N/A on a critical question does not count: it stays a question without an answer.
    answers["fees-supply-chain"] = Answer(na_reason="We use no agencies ourselves, so no fees.")

    card, gaps = verdict(supplier, answers)

    assert card.na_count == len(GATED)
    for key in GATED:
        assert card.questions[key].na_reason
    assert not card.questions["fees-supply-chain"].answered
    assert card.red_flags == ()
    # The critical question left open holds the verdict as a red flag would.
    assert_held_at_developing(card)
    assert [g.question_key for g in gaps] == ["fees-supply-chain"]
    assert gaps[0].kind == engine.NO_INFORMATION

    answers["fees-supply-chain"] = best(supplier.question("fees-supply-chain"))
    answered = engine.score(supplier, answers)
    assert answered.band.label == "Leading"
    assert not answered.capped
    assert answered.na_count == len(GATED)


def test_an_empty_assessment_has_no_verdict_and_asks_the_critical_questions_first(supplier):
    card, gaps = verdict(supplier, {})

    assert card.overall is None
    assert card.band is None
    assert card.red_flags == ()
    assert card.completeness == 0
    assert all(g.kind == engine.NO_INFORMATION for g in gaps)
    assert top_three(gaps) == ["fees-employer-pays", "fees-supply-chain", "identity-documents"]
    # Housing stays a question until the gating question says no housing is arranged.
    assert {g.question_key for g in gaps if g.critical} == CRITICAL
