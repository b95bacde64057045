"""Loading questionnaires: every rejection names the file, the item and what is wrong."""

from __future__ import annotations

import pytest
import yaml
from pydantic import ValidationError

import questionnaires as engine
from tests.engine.builders import (
    SHIPPED_TAGS,
    SMALL_RESOURCES,
    SMALL_TAGS,
    parse,
    question,
    small_questionnaire,
    theme,
    write_folder,
    write_yaml,
)


def rejection(raw: dict, **kwargs) -> str:
    """The message of the ContentError that parsing `raw` as small.yaml raises."""
    with pytest.raises(engine.ContentError) as caught:
        parse(raw, **kwargs)
    assert caught.value.problems, "a ContentError always lists its problems"
    assert all(problem.file == "small.yaml" for problem in caught.value.problems)
    return str(caught.value)


def rejected_problems(raw: dict, **kwargs) -> list[engine.Problem]:
    """The problems of the ContentError that parsing `raw` as small.yaml raises."""
    with pytest.raises(engine.ContentError) as caught:
        parse(raw, **kwargs)
    return caught.value.problems


def test_the_small_questionnaire_is_valid():
    questionnaire = parse(tags=SHIPPED_TAGS)

    assert questionnaire.key == "small"
    assert [t.key for t in questionnaire.themes] == ["recruitment-fees", "remedy", "transparency"]
    assert len(questionnaire.questions) == 9
    assert questionnaire.critical_count == 1


# --- one test per rejection rule -------------------------------------------------------------


def test_an_unknown_key_is_rejected_naming_the_question_and_the_key():
    raw = small_questionnaire()
    question(raw, "fees-who-pays")["colour"] = "red"

    [problem] = rejected_problems(raw)

    assert problem.file == "small.yaml"
    assert problem.path.startswith("questions[1] 'fees-who-pays'")
    assert "colour" in f"{problem.path} {problem.message}"
    assert "is not a known key" in problem.message


def test_an_unknown_key_at_the_top_of_the_file_is_rejected():
    raw = small_questionnaire()
    raw["titel"] = "Misspelt"

    [problem] = rejected_problems(raw)

    assert problem.file == "small.yaml"
    assert "titel" in f"{problem.path} {problem.message}"
    assert "is not a known key" in problem.message


def test_a_key_given_twice_in_one_yaml_mapping_is_rejected_naming_both_lines(tmp_path):
    text = yaml.safe_dump(small_questionnaire(), sort_keys=False)
    lines = text.splitlines()
    first = lines.index("  theme: recruitment-fees") + 1  # 1-based line of the first `theme`
    lines.insert(first, "  theme: remedy")  # the same key again, on the next line
    path = tmp_path / "small.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(engine.ContentError) as caught:
        engine.load_questionnaire(path)

    [problem] = caught.value.problems
    assert problem.file == "small.yaml"
    assert problem.path == f"line {first + 1}"
    assert "'theme' is given twice" in problem.message
    assert f"first on line {first}" in problem.message


def test_two_questions_with_the_same_key_are_rejected_naming_the_second():
    raw = small_questionnaire()
    question(raw, "statement-published")["key"] = "grievance-channel"

    message = rejection(raw)

    assert (
        "small.yaml: questions[7] 'grievance-channel': the key is used by questions[4] too"
        in message
    )


def test_two_themes_with_the_same_key_are_rejected():
    raw = small_questionnaire()
    raw["themes"].append({"key": "remedy", "title": "Remedy again"})

    assert "small.yaml: themes[3] 'remedy': the key is used by themes[1] too" in rejection(raw)


def test_a_show_if_on_a_later_question_is_rejected():
    raw = small_questionnaire()
    question(raw, "fees-policy")["show_if"] = {"question": "uses-agencies", "any_of": ["yes"]}

    message = rejection(raw)

    assert "small.yaml: questions[0] 'fees-policy'.show_if: depends on 'uses-agencies'" in message
    assert "comes later" in message


def test_a_show_if_on_an_unknown_question_is_rejected():
    raw = small_questionnaire()
    question(raw, "agency-checks")["show_if"]["question"] = "uses-brokers"

    message = rejection(raw)

    assert "small.yaml: questions[3] 'agency-checks'.show_if: depends on 'uses-brokers'" in message
    assert "not a question here" in message


def test_a_show_if_on_the_question_itself_is_rejected():
    raw = small_questionnaire()
    question(raw, "agency-checks")["show_if"]["question"] = "agency-checks"

    message = rejection(raw)

    assert "small.yaml: questions[3] 'agency-checks'.show_if" in message
    assert "cannot depend on itself" in message


def test_a_show_if_naming_an_option_the_trigger_does_not_have_is_rejected():
    raw = small_questionnaire()
    question(raw, "agency-checks")["show_if"]["any_of"] = ["yes", "maybe"]

    message = rejection(raw)

    assert (
        "small.yaml: questions[3] 'agency-checks'.show_if.any_of: "
        "'maybe' is not an option of 'uses-agencies'" in message
    )
    assert "'yes' is not an option" not in message


def test_a_show_if_on_a_question_without_options_is_rejected():
    raw = small_questionnaire()
    raw["questions"].append(
        dict(
            question(raw, "agency-checks"),
            key="reimbursed-checks",
            show_if={"question": "workers-reimbursed", "any_of": ["50"]},
        )
    )

    message = rejection(raw)

    assert "small.yaml: questions[9] 'reimbursed-checks'.show_if" in message
    assert "'workers-reimbursed' is not a choice question" in message


def test_an_option_without_a_score_is_rejected():
    raw = small_questionnaire()
    del question(raw, "fees-who-pays")["options"][0]["score"]

    message = rejection(raw)

    assert "small.yaml: questions[1] 'fees-who-pays'.options[0].score: is required" in message


def test_a_scale_level_without_a_score_is_rejected():
    raw = small_questionnaire()
    del raw["scales"]["maturity"][2]["score"]

    assert "small.yaml: scales.maturity[2].score: is required" in rejection(raw)


def test_a_theme_without_questions_is_rejected():
    raw = small_questionnaire()
    raw["themes"].append({"key": "governance", "title": "Governance"})

    assert "small.yaml: themes[3] 'governance': the theme has no questions" in rejection(raw)


def test_a_question_in_an_unknown_theme_is_rejected():
    raw = small_questionnaire()
    question(raw, "uses-agencies")["theme"] = "labour-agencies"

    message = rejection(raw)

    assert (
        "small.yaml: questions[2] 'uses-agencies'.theme: "
        "'labour-agencies' is not one of the themes" in message
    )


def test_an_unknown_tag_is_rejected_when_the_tags_are_given():
    raw = small_questionnaire()
    question(raw, "fees-policy")["tags"] = ["recruitment-fees", "recruitment-costs"]

    message = rejection(raw, tags=SHIPPED_TAGS)

    assert (
        "small.yaml: questions[0] 'fees-policy'.tags: "
        "'recruitment-costs' is not a tag in tags.yaml" in message
    )
    assert "'recruitment-fees' is not a tag" not in message


def test_tags_are_not_checked_when_no_tag_list_is_given():
    raw = small_questionnaire()
    question(raw, "fees-policy")["tags"] = ["recruitment-costs"]

    assert parse(raw).question("fees-policy").tags == ("recruitment-costs",)


def test_a_question_weight_of_zero_is_rejected():
    raw = small_questionnaire()
    question(raw, "fees-policy")["weight"] = 0

    assert "small.yaml: questions[0] 'fees-policy'.weight: must be more than 0" in rejection(raw)


def test_a_negative_theme_weight_is_rejected():
    raw = small_questionnaire()
    theme(raw, "remedy")["weight"] = -1

    assert "small.yaml: themes[1] 'remedy'.weight: must be more than 0" in rejection(raw)


def test_a_negative_question_weight_is_rejected():
    raw = small_questionnaire()
    question(raw, "workers-reimbursed")["weight"] = -2

    message = rejection(raw)

    assert "small.yaml: questions[5] 'workers-reimbursed'.weight: must be more than 0" in message


def test_a_scored_question_without_an_action_is_rejected():
    raw = small_questionnaire()
    del question(raw, "fees-policy")["action"]

    message = rejection(raw)

    assert "small.yaml: questions[0] 'fees-policy': a scored question needs an action" in message


def test_a_blank_action_counts_as_no_action():
    raw = small_questionnaire()
    question(raw, "uses-agencies")["action"] = "   "

    assert "questions[2] 'uses-agencies': a scored question needs an action" in rejection(raw)


def test_a_text_question_needs_no_action():
    raw = small_questionnaire()

    assert question(raw, "remedy-evidence").get("action") is None
    assert parse(raw).question("remedy-evidence").scored is False


def test_a_text_question_cannot_be_critical():
    raw = small_questionnaire()
    question(raw, "remedy-evidence")["critical"] = {"threshold": 50, "red_flag": "No remedy."}

    message = rejection(raw)

    assert "questions[6] 'remedy-evidence': a 'text' question is never scored" in message


def test_a_scale_that_is_not_defined_is_rejected():
    raw = small_questionnaire()
    question(raw, "fees-policy")["scale"] = "stars"

    message = rejection(raw)

    assert "small.yaml: questions[0] 'fees-policy': uses the scale 'stars'" in message
    assert "not defined" in message


def test_a_target_above_100_is_rejected():
    raw = small_questionnaire()
    question(raw, "fees-policy")["target"] = 120

    assert "small.yaml: questions[0] 'fees-policy'.target: must be 100 or less" in rejection(raw)


def test_a_critical_threshold_of_zero_is_rejected():
    raw = small_questionnaire()
    question(raw, "fees-who-pays")["critical"]["threshold"] = 0

    message = rejection(raw)

    assert "small.yaml: questions[1] 'fees-who-pays'.critical.threshold: must be more" in message


def test_an_unquoted_yes_among_the_options_is_rejected_with_a_hint_to_quote_it(tmp_path):
    raw = small_questionnaire()
    question(raw, "fees-who-pays")["options"][2]["value"] = "PLACEHOLDER"
    text = yaml.safe_dump(raw, sort_keys=False).replace("value: PLACEHOLDER", "value: yes")
    assert "value: yes\n" in text
    path = tmp_path / "small.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(engine.ContentError) as caught:
        engine.load_questionnaire(path)

    message = str(caught.value)
    assert "small.yaml: questions[1] 'fees-who-pays'.options[2].value" in message
    assert 'write "yes" and "no" in quotes' in message


def test_an_unquoted_yes_in_a_show_if_is_rejected_with_a_hint_to_quote_it():
    raw = small_questionnaire()
    question(raw, "agency-checks")["show_if"]["any_of"] = [True]  # what YAML makes of `yes`

    message = rejection(raw)

    assert "small.yaml: questions[3] 'agency-checks'.show_if.any_of" in message
    assert 'write "yes" and "no" in quotes' in message


def test_invalid_yaml_syntax_is_rejected_naming_the_file_and_the_line(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text("key: small\ntitle: Small\nthemes: [unclosed\n", encoding="utf-8")

    with pytest.raises(engine.ContentError) as caught:
        engine.load_questionnaire(path)

    [problem] = caught.value.problems
    assert problem.file == "small.yaml"
    assert problem.path.startswith("line ")
    assert problem.message.startswith("not valid YAML")


def test_every_problem_of_a_file_is_reported_at_once():
    raw = small_questionnaire()
    question(raw, "fees-policy")["theme"] = "nowhere"
    raw["themes"].append({"key": "governance", "title": "Governance"})

    with pytest.raises(engine.ContentError) as caught:
        parse(raw)

    paths = [problem.path for problem in caught.value.problems]
    assert "questions[0] 'fees-policy'.theme" in paths
    assert "themes[3] 'governance'" in paths


# --- folders ---------------------------------------------------------------------------------


def test_a_folder_loads_with_its_own_tags_and_catalogue(tmp_path):
    folder = write_folder(tmp_path / "content")

    content = engine.load_content(folder)

    assert list(content.questionnaires) == ["small"]
    assert content.files["small"] == folder / "small.yaml"
    assert set(content.tags) == set(SHIPPED_TAGS)
    assert [r.key for r in content.catalogue.resources] == [
        "fair-recruitment-guide",
        "remedy-guide",
    ]


def test_a_question_whose_tags_no_resource_carries_is_rejected(tmp_path):
    resources = {"resources": [dict(SMALL_RESOURCES["resources"][0])]}  # no remedy resource
    folder = write_folder(tmp_path / "content", resources=resources)

    with pytest.raises(engine.ContentError) as caught:
        engine.load_content(folder)

    messages = [str(problem) for problem in caught.value.problems]
    assert (
        "small.yaml: questions[4] 'grievance-channel'.tags: no resource in the catalogue "
        "carries any of these tags, so its gap would link to nothing"
    ) in messages
    assert not any("'fees-policy'" in message for message in messages)


def test_a_tag_missing_from_the_folders_tag_list_is_rejected(tmp_path):
    tags = {"tags": {k: v for k, v in SMALL_TAGS["tags"].items() if k != "remedy"}}
    resources = {
        "resources": [
            dict(resource, tags=[t for t in resource["tags"] if t != "remedy"])
            for resource in SMALL_RESOURCES["resources"]
        ]
    }
    folder = write_folder(tmp_path / "content", tags=tags, resources=resources)

    with pytest.raises(engine.ContentError) as caught:
        engine.load_content(folder)

    messages = [str(problem) for problem in caught.value.problems]
    assert (
        "small.yaml: questions[5] 'workers-reimbursed'.tags: 'remedy' is not a tag in tags.yaml"
        in messages
    )


def test_two_files_with_the_same_questionnaire_key_are_rejected(tmp_path):
    folder = write_folder(
        tmp_path / "content",
        {"a-small.yaml": small_questionnaire(), "b-small.yaml": small_questionnaire()},
    )

    with pytest.raises(engine.ContentError) as caught:
        engine.load_content(folder)

    assert [str(p) for p in caught.value.problems] == [
        "b-small.yaml: key: 'small' is used by a-small.yaml too"
    ]


def test_check_paths_reports_the_problems_of_a_broken_folder(tmp_path):
    broken = small_questionnaire()
    question(broken, "uses-agencies")["weight"] = 0
    folder = write_folder(tmp_path / "content", {"small.yaml": broken})

    report = engine.check_paths([folder])

    assert report.ok is False
    assert [str(p) for p in report.problems] == [
        "small.yaml: questions[2] 'uses-agencies'.weight: must be more than 0"
    ]
    assert report.lines == []


def test_check_paths_summarises_a_good_folder_in_one_line_per_file(tmp_path):
    other = small_questionnaire()
    other.update(key="other", title="Other questionnaire")
    other["questions"] = [q for q in other["questions"] if q["theme"] != "transparency"]
    other["themes"] = other["themes"][:2]
    folder = write_folder(
        tmp_path / "content", {"small.yaml": small_questionnaire(), "other.yaml": other}
    )

    report = engine.check_paths([folder])

    assert report.ok is True
    assert report.problems == []
    assert len(report.lines) == 3
    catalogue_line, other_line, small_line = report.lines
    assert catalogue_line == "resources.yaml: 2 resources, 6 tags"
    assert other_line.startswith("other.yaml: Other questionnaire (version 1.0, ")
    assert other_line.endswith(": 2 themes, 7 questions, 1 critical")
    assert small_line.startswith("small.yaml: Small test questionnaire (version 1.0, ")
    assert small_line.endswith(": 3 themes, 9 questions, 1 critical")


def test_check_paths_on_a_single_file_summarises_only_that_file(tmp_path):
    folder = write_folder(tmp_path / "content")

    report = engine.check_paths([folder / "small.yaml"])

    assert report.ok
    assert len(report.lines) == 1
    assert report.lines[0].startswith("small.yaml: ")


def test_check_paths_reports_a_path_that_does_not_exist(tmp_path):
    missing = tmp_path / "nowhere"

    report = engine.check_paths([missing])

    assert not report.ok
    assert [str(p) for p in report.problems] == [f"{missing}: no such file or folder"]


# --- identity and immutability ---------------------------------------------------------------


def test_the_content_hash_is_the_same_each_time_a_file_is_loaded(tmp_path):
    path = write_yaml(tmp_path / "small.yaml", small_questionnaire())

    first = engine.load_questionnaire(path)
    second = engine.load_questionnaire(path)

    assert len(first.content_hash) == 64
    assert first.content_hash == second.content_hash == parse().content_hash


def test_the_content_hash_changes_when_a_question_text_changes():
    raw = small_questionnaire()
    question(raw, "fees-policy")["text"] += " (including subcontractors)"

    assert parse(raw).content_hash != parse().content_hash


def test_the_content_hash_changes_when_a_score_changes():
    raw = small_questionnaire()
    raw["scales"]["maturity"][1]["score"] = 1.5

    assert parse(raw).content_hash != parse().content_hash


def test_a_questionnaire_rebuilt_from_its_snapshot_has_the_same_hash_and_content():
    questionnaire = parse()

    rebuilt = engine.questionnaire_from_snapshot(questionnaire.snapshot())

    assert rebuilt.content_hash == questionnaire.content_hash
    assert rebuilt.snapshot() == questionnaire.snapshot()
    assert rebuilt.question("agency-checks").max_points == 4
    assert rebuilt.question("fees-policy").effective_target == 75


def test_a_loaded_questionnaire_cannot_be_changed():
    questionnaire = parse()

    with pytest.raises(ValidationError, match="frozen"):
        questionnaire.title = "Changed"
    with pytest.raises(ValidationError, match="frozen"):
        questionnaire.question("fees-policy").weight = 10
    with pytest.raises(ValidationError, match="frozen"):
        questionnaire.themes[0].weight = 10
    with pytest.raises(TypeError):
        questionnaire.questions[0] = questionnaire.questions[1]  # type: ignore[index]
    assert questionnaire.title == "Small test questionnaire"


# --- the shipped content ---------------------------------------------------------------------


def test_the_shipped_folder_loads_without_problems():
    content = engine.load_content(engine.SHIPPED_DIR)

    assert content.questionnaires
    assert engine.check_paths([engine.SHIPPED_DIR]).ok


def test_the_shipped_questionnaires_cover_procurers_suppliers_and_the_workshop():
    questionnaires = engine.load_content(engine.SHIPPED_DIR).questionnaires

    assert {"buyer", "supplier", "workshop-exercise"} <= set(questionnaires)
    assert len(questionnaires["buyer"].questions) >= 40
    assert len(questionnaires["supplier"].questions) >= 45
    assert 12 <= len(questionnaires["workshop-exercise"].questions) <= 20
    assert len(questionnaires["buyer"].themes) >= 8
    assert len(questionnaires["supplier"].themes) >= 8
    for key in ("buyer", "supplier", "workshop-exercise"):
        questionnaire = questionnaires[key]
        themes = {t.key for t in questionnaire.themes}
        assert {"recruitment-fees", "transparency", "remedy"} <= themes, key
        for item in questionnaire.questions:
            assert item.source.strip(), f"{key}: {item.key} has no source"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda raw: question(raw, "fees-policy").update(weight=float("inf")), "'fees-policy'"),
        (lambda raw: theme(raw, "remedy").update(weight=float("inf")), "'remedy'"),
        (
            lambda raw: question(raw, "fees-who-pays")["options"][1].update(score=float("inf")),
            "'fees-who-pays'.options[1].score",
        ),
        (lambda raw: question(raw, "workers-reimbursed").update(min=float("nan")), ".min"),
    ],
)
def test_an_infinite_or_undefined_number_is_rejected(change, expected):
    raw = small_questionnaire()
    change(raw)

    assert expected in rejection(raw)


def test_an_empty_tag_list_still_checks_every_tag(tmp_path):
    folder = write_folder(tmp_path / "content", tags={"tags": {}})

    with pytest.raises(engine.ContentError) as caught:
        engine.load_content(folder)

    assert "'recruitment-fees' is not a tag in tags.yaml" in str(caught.value)
