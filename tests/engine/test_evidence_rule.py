"""Evidence in the engine: a basis of records counts in full only with a document attached;
questions may ask for documents (suggested or required) with a hint of what kind."""

from __future__ import annotations

import pytest

import questionnaires as engine
from questionnaires import Answer
from questionnaires.translations import parse_translation, translate
from tests.engine.builders import honest_questionnaire, parse, question
from tests.engine.test_honest_verdicts import scored


def _with_records_needing_evidence() -> dict:
    raw = honest_questionnaire()
    raw["basis"][1]["needs_evidence"] = True  # records
    return raw


@pytest.fixture(scope="module")
def evidenced() -> engine.Questionnaire:
    return parse(_with_records_needing_evidence())


@pytest.mark.parametrize(
    ("basis", "documents", "expected", "missing"),
    [
        ("records", 0, 75, True),
        ("records", 1, 100, False),
        ("records", 3, 100, False),
        ("verified", 0, 100, False),
        ("statement", 2, 75, False),
    ],
)
def test_a_top_answer_on_records_counts_in_full_only_with_a_document_attached(
    evidenced, basis, documents, expected, missing
):
    card = scored(evidenced, fees_policy=Answer("verified", basis=basis, evidence=documents))

    result = card.questions["fees-policy"]
    assert (result.score, result.downgraded, result.evidence_missing) == (
        expected,
        expected < 100,
        missing,
    )


def test_the_gap_says_the_records_are_missing():
    raw = _with_records_needing_evidence()
    question(raw, "fees-policy")["target"] = 100
    card = scored(parse(raw), fees_policy=Answer("verified", basis="records"))

    [gap] = [g for g in engine.find_gaps(card) if g.question_key == "fees-policy"]
    assert (gap.basis.value, gap.downgraded, gap.evidence_missing) == ("records", True, True)


def test_without_needs_evidence_records_count_in_full_as_before():
    card = scored(parse(honest_questionnaire()), fees_policy=Answer("verified", basis="records"))

    assert card.questions["fees-policy"].score == 100


def test_a_questionnaire_that_asks_for_no_evidence_keeps_its_identity():
    raw = honest_questionnaire()
    before = parse(raw).content_hash
    raw["basis"][1]["needs_evidence"] = False
    question(raw, "fees-policy")["evidence"] = None

    assert parse(raw).content_hash == before
    assert parse(_with_records_needing_evidence()).content_hash != before


def test_a_question_asks_for_evidence_with_a_hint():
    raw = honest_questionnaire()
    question(raw, "fees-policy").update(
        evidence="required", evidence_hint="Your recruitment policy, signed."
    )

    fees_policy = parse(raw).question("fees-policy")
    assert (fees_policy.evidence, fees_policy.evidence_hint) == (
        "required",
        "Your recruitment policy, signed.",
    )


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"evidence": "mandatory"}, "evidence"),
        ({"evidence_hint": "A policy."}, "evidence_hint is only for a question that asks"),
    ],
)
def test_a_wrong_evidence_field_is_refused(fields, words):
    raw = honest_questionnaire()
    question(raw, "fees-policy").update(fields)

    with pytest.raises(engine.ContentError) as caught:
        parse(raw)
    assert words in str(caught.value)


def test_the_hint_is_translated_and_the_request_stays():
    raw = honest_questionnaire()
    question(raw, "fees-policy").update(evidence="suggested", evidence_hint="The policy.")
    original = parse(raw)
    translation = parse_translation(
        {
            "language": "fr",
            "translates": {"questionnaire": original.key, "version": original.version},
            "questions": {"fees-policy": {"evidence_hint": "La politique."}},
        },
        file="small.fr.yaml",
    )

    fees_policy = translate(original, translation).question("fees-policy")
    assert (fees_policy.evidence, fees_policy.evidence_hint) == ("suggested", "La politique.")


def test_the_shipped_questionnaires_ask_for_documents_and_records_need_one():
    for key in ("supplier", "buyer"):
        shipped = engine.load_questionnaire(engine.SHIPPED_DIR / f"{key}.yaml")
        records = next(level for level in shipped.basis if level.value == "records")
        asking = {q.evidence for q in shipped.questions if q.evidence}
        assert records.needs_evidence
        assert asking == {"suggested", "required"}
        assert all(q.evidence_hint for q in shipped.questions if q.evidence)
