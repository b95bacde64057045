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


# --- what `questionnaires check` warns about ---------------------------------------------------


def test_check_warns_about_missing_years_addresses_and_primary_resources(tmp_path):
    resources = copy.deepcopy(RESOURCES)
    del resources["resources"][1]["year"]  # the unpublished tool: no year, but no address is fine
    raw = with_primary({"resource": "fair-recruitment-guide", "why": WHY})
    folder = write_folder(tmp_path / "content", {"small.yaml": raw}, resources=resources)

    report = engine.check_paths([folder])

    assert report.ok  # warnings never fail the check
    messages = [str(w) for w in report.warnings]
    assert "resources.yaml: resources[1] 'remedy-guide': has no year" in messages
    assert not any("has no address" in m for m in messages)
    without = [w for w in report.warnings if "names no primary_resources" in w.message]
    assert {w.path for w in without} == {
        "questions[0] 'fees-policy'",
        "questions[2] 'uses-agencies'",
        "questions[3] 'agency-checks'",
        "questions[4] 'grievance-channel'",
        "questions[5] 'workers-reimbursed'",
        "questions[7] 'statement-published'",
    }  # text questions are never gaps, so they need none


def test_check_warns_about_a_public_entry_without_an_address(tmp_path):
    resources = copy.deepcopy(RESOURCES)
    del resources["resources"][1]["public"]
    folder = write_folder(tmp_path / "content", resources=resources)

    report = engine.check_paths([folder])

    assert report.ok
    assert any(
        w.path == "resources[1] 'remedy-guide'" and "has no address" in w.message
        for w in report.warnings
    )


def test_an_entry_cannot_be_unpublished_and_have_an_address(tmp_path):
    resources = copy.deepcopy(RESOURCES)
    resources["resources"][0]["public"] = False
    folder = write_folder(tmp_path / "content", resources=resources)

    report = engine.check_paths([folder])

    assert not report.ok
    assert "public: false" in str(report.problems[0])
