"""Primary resources: the one or two resources a question's author picked by hand for its gap."""

from __future__ import annotations

import copy

import pytest

import questionnaires as engine
from tests.engine.builders import (
    SMALL_RESOURCES,
    parse,
    question,
    small_questionnaire,
    write_folder,
)

# The small catalogue, with an address on the guide (public) and none on the tool.
RESOURCES = copy.deepcopy(SMALL_RESOURCES)
RESOURCES["resources"][0]["url"] = "https://example.org/fair-recruitment-guide"
RESOURCES["resources"][1]["public"] = False

WHY = "Shows which costs count as recruitment fees, so you can check invoices."


def with_primary(*picks: dict) -> dict:
    raw = small_questionnaire()
    question(raw, "fees-who-pays")["primary_resources"] = list(picks)
    return raw


def load_problems(tmp_path, raw) -> list[engine.Problem]:
    folder = write_folder(tmp_path / "content", {"small.yaml": raw}, resources=RESOURCES)
    with pytest.raises(engine.ContentError) as caught:
        engine.load_content(folder)
    return caught.value.problems


def test_a_question_keeps_its_primary_resources_and_why_they_help(tmp_path):
    raw = with_primary({"resource": "fair-recruitment-guide", "why": WHY})
    folder = write_folder(tmp_path / "content", {"small.yaml": raw}, resources=RESOURCES)

    questionnaire = engine.load_content(folder).questionnaires["small"]

    [picked] = questionnaire.question("fees-who-pays").primary_resources
    assert (picked.resource, picked.why) == ("fair-recruitment-guide", WHY)
    assert questionnaire.question("fees-policy").primary_resources == ()


def test_an_unknown_primary_resource_is_an_error_naming_the_file_and_question(tmp_path):
    raw = with_primary({"resource": "no-such-guide", "why": WHY})

    [problem] = load_problems(tmp_path, raw)

    assert problem.file == "small.yaml"
    assert problem.path == "questions[1] 'fees-who-pays'.primary_resources[0].resource"
    assert "'no-such-guide' is not a resource in resources.yaml" in problem.message


def test_a_primary_resource_without_a_public_address_contradicts_itself(tmp_path):
    raw = with_primary(
        {"resource": "fair-recruitment-guide", "why": WHY},
        {"resource": "remedy-guide", "why": "Explains remedy."},
    )

    [problem] = load_problems(tmp_path, raw)

    assert problem.path == "questions[1] 'fees-who-pays'.primary_resources[1].resource"
    assert "no public address" in problem.message


@pytest.mark.parametrize(
    ("picks", "expected"),
    [
        ([{"resource": "fair-recruitment-guide"}], "is required but missing"),
        ([{"resource": "fair-recruitment-guide", "why": "  "}], "primary_resources[0].why"),
        (
            [{"resource": "fair-recruitment-guide", "why": WHY}] * 3,
            "at most 2",
        ),
        (
            [{"resource": "fair-recruitment-guide", "why": WHY}] * 2,
            "a primary resource is named twice",
        ),
    ],
)
def test_a_malformed_primary_resource_list_is_refused(picks, expected):
    with pytest.raises(engine.ContentError) as caught:
        parse(with_primary(*picks))
    assert expected in str(caught.value)
    assert "fees-who-pays" in str(caught.value)
