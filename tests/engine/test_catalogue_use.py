"""The shipped catalogue earns its place: each entry helps a gap or is general reading on purpose.

These tests read the shipped questionnaires and catalogue, so they check the content as shipped.
"""

from __future__ import annotations

import pytest

import questionnaires as engine


@pytest.fixture(scope="module")
def shipped() -> engine.ContentFolder:
    return engine.load_content(engine.SHIPPED_DIR)


def shown_for_some_gap(content: engine.ContentFolder) -> dict[str, list[str]]:
    """Resource key -> the questions whose gap lists it (primary or among the topic matches)."""
    match = engine.make_matcher(content.catalogue)
    shown: dict[str, list[str]] = {}
    for key, questionnaire in content.questionnaires.items():
        for question in questionnaire.questions:
            if not question.scored:
                continue
            for found in match(question, questionnaire.audience, questionnaire.language):
                shown.setdefault(found.resource.key, []).append(f"{key}:{question.key}")
    return shown


def test_every_entry_is_shown_for_a_gap_or_kept_as_general_reading(shipped):
    shown = shown_for_some_gap(shipped)
    dead = [
        r.key for r in shipped.catalogue.resources if r.key not in shown and not r.general_reading
    ]
    assert dead == [], "mark these general_reading: true on purpose, or retag them"


def test_general_reading_is_never_what_a_gap_links_to(shipped):
    shown = shown_for_some_gap(shipped)
    linked = [r.key for r in shipped.catalogue.resources if r.general_reading and r.key in shown]
    assert linked == []


@pytest.mark.parametrize("key", ["buyer", "supplier"])
def test_every_question_names_a_primary_resource_and_its_gap_lists_it_first(shipped, key):
    questionnaire = shipped.questionnaires[key]
    match = engine.make_matcher(shipped.catalogue)
    without = [q.key for q in questionnaire.questions if not q.primary_resources]
    assert without == []
    scorecard = engine.score(questionnaire, {})  # nothing answered: every shown question is a gap
    for gap in engine.find_gaps(scorecard, match=match):
        question = questionnaire.question(gap.question_key)
        first = question.primary_resources[0]
        assert gap.resources[0].resource.key == first.resource, gap.question_key
        assert gap.resources[0].why == first.why
        assert len(gap.resources) == 3, gap.question_key
