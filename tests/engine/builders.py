"""A small, valid questionnaire to copy, break and load in the engine tests.

`small_questionnaire()` returns a fresh dict each time, so a test can change one thing and
check what the loader or the scoring makes of it. Its numbers are chosen so that the scores
can be worked out by hand:

    scales   maturity: none 0, planned 1, written 2, applied 3, verified 4   (highest 4)
             yes-partly-no: yes 2, partly 1, no 0                           (highest 2)

    themes   recruitment-fees (weight 1), remedy (weight 2), transparency (weight 1)

    questions (theme, type, weight)
      0 fees-policy          recruitment-fees  maturity       2
      1 fees-who-pays        recruitment-fees  choice         3   critical below 100, target 100
                             options workers 0, shared 1, employer 2
      2 uses-agencies        recruitment-fees  yes-partly-no  1
      3 agency-checks        recruitment-fees  multiple       1   shown if uses-agencies is
                             options licence 1, fees 1,            yes or partly
                             contracts 1, interviews 2;
                             max_score 4
      4 grievance-channel    remedy            yes-partly-no  1   allow_na
      5 workers-reimbursed   remedy            number (%)     2   bands 0: 0, 50: 1, 90: 2
      6 remedy-evidence      remedy            text
      7 statement-published  transparency      yes-partly-no  1   allow_na, target 50
      8 transparency-notes   transparency      text
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

import questionnaires as engine

# Tags that the shipped tags.yaml lists; the questionnaire uses nothing else.
SHIPPED_TAGS = (
    "recruitment-fees",
    "fair-recruitment",
    "labour-providers",
    "grievance-mechanisms",
    "remedy",
    "transparency-reporting",
)

_SMALL: dict[str, Any] = {
    "key": "small",
    "version": "1.0",
    "title": "Small test questionnaire",
    "audience": "supplier",
    "language": "en",
    "description": "A questionnaire small enough to score by hand.",
    "default_target": 75,
    "scales": {
        "maturity": [
            {"value": "none", "label": "Nothing in place", "score": 0},
            {"value": "planned", "label": "Planned", "score": 1},
            {"value": "written", "label": "Written down", "score": 2},
            {"value": "applied", "label": "Applied", "score": 3},
            {"value": "verified", "label": "Verified", "score": 4},
        ],
        "yes-partly-no": [
            {"value": "yes", "label": "Yes", "score": 2},
            {"value": "partly", "label": "Partly", "score": 1},
            {"value": "no", "label": "No", "score": 0},
        ],
    },
    "themes": [
        {"key": "recruitment-fees", "title": "Recruitment fees", "weight": 1},
        {"key": "remedy", "title": "Grievances and remedy", "weight": 2},
        {"key": "transparency", "title": "Transparency", "weight": 1},
    ],
    "questions": [
        {
            "key": "fees-policy",
            "theme": "recruitment-fees",
            "text": "How far is your policy on recruitment fees applied?",
            "source": "ILO General Principles for Fair Recruitment (2019)",
            "type": "maturity",
            "weight": 2,
            "action": "Adopt and apply an employer-pays policy.",
            "tags": ["recruitment-fees"],
        },
        {
            "key": "fees-who-pays",
            "theme": "recruitment-fees",
            "text": "Who pays the fees of recruiting your workers?",
            "source": "OSCE Model Guidelines (2018)",
            "type": "choice",
            "options": [
                {"value": "workers", "label": "Workers pay", "score": 0},
                {"value": "shared", "label": "Workers pay some costs", "score": 1},
                {"value": "employer", "label": "We pay all of them", "score": 2},
            ],
            "weight": 3,
            "target": 100,
            "critical": {"threshold": 100, "red_flag": "Workers pay recruitment fees."},
            "action": "Stop charging workers and repay what they paid.",
            "tags": ["recruitment-fees", "fair-recruitment"],
        },
        {
            "key": "uses-agencies",
            "theme": "recruitment-fees",
            "text": "Do you recruit workers through agencies?",
            "source": "ILO General Principles for Fair Recruitment (2019)",
            "type": "yes-partly-no",
            "action": "Map the agencies that recruit for you.",
            "tags": ["labour-providers"],
        },
        {
            "key": "agency-checks",
            "theme": "recruitment-fees",
            "text": "What do you check before using an agency?",
            "source": "ILO General Principles for Fair Recruitment (2019)",
            "type": "multiple",
            "options": [
                {"value": "licence", "label": "Its licence", "score": 1},
                {"value": "fees", "label": "That it charges workers nothing", "score": 1},
                {"value": "contracts", "label": "Its contracts with workers", "score": 1},
                {"value": "interviews", "label": "Worker interviews", "score": 2},
            ],
            "max_score": 4,
            "action": "Check every agency before using it.",
            "tags": ["labour-providers", "fair-recruitment"],
            "show_if": {"question": "uses-agencies", "any_of": ["yes", "partly"]},
        },
        {
            "key": "grievance-channel",
            "theme": "remedy",
            "text": "Can workers raise concerns in a language they understand?",
            "source": "UN Guiding Principles (2011), principle 31",
            "type": "yes-partly-no",
            "allow_na": True,
            "action": "Open a grievance channel in the workers' languages.",
            "tags": ["grievance-mechanisms"],
        },
        {
            "key": "workers-reimbursed",
            "theme": "remedy",
            "text": "What share of workers who paid fees has been reimbursed?",
            "source": "Employer Pays Principle",
            "type": "number",
            "unit": "%",
            "min": 0,
            "max": 100,
            "bands": [{"min": 0, "score": 0}, {"min": 50, "score": 1}, {"min": 90, "score": 2}],
            "weight": 2,
            "action": "Reimburse every worker who paid.",
            "tags": ["remedy"],
        },
        {
            "key": "remedy-evidence",
            "theme": "remedy",
            "text": "Describe the remedy you have provided.",
            "source": "UN Guiding Principles (2011), principle 22",
            "type": "text",
            "tags": ["remedy"],
        },
        {
            "key": "statement-published",
            "theme": "transparency",
            "text": "Do you publish a statement on forced labour?",
            "source": "UK Modern Slavery Act 2015, section 54",
            "type": "yes-partly-no",
            "allow_na": True,
            "target": 50,
            "action": "Publish a yearly statement.",
            "tags": ["transparency-reporting"],
        },
        {
            "key": "transparency-notes",
            "theme": "transparency",
            "text": "What else do you disclose?",
            "source": "UK Modern Slavery Act 2015, section 54",
            "type": "text",
            "tags": ["transparency-reporting"],
        },
    ],
}

# A tags.yaml and resources.yaml small enough for a folder of test content.
SMALL_TAGS: dict[str, Any] = {"tags": {tag: f"About {tag}." for tag in SHIPPED_TAGS}}

SMALL_RESOURCES: dict[str, Any] = {
    "resources": [
        {
            "key": "fair-recruitment-guide",
            "title": "Fair recruitment guide",
            "organisation": "Test organisation",
            "type": "guidance",
            "year": 2019,
            "languages": ["en"],
            "summary": "How to recruit without fees.",
            "audiences": ["supplier", "buyer"],
            "tags": ["recruitment-fees", "fair-recruitment", "labour-providers"],
        },
        {
            "key": "remedy-guide",
            "title": "Remedy and grievance guide",
            "organisation": "Test organisation",
            "type": "tool",
            "year": 2021,
            "languages": ["en", "fr"],
            "summary": "How to put harm right.",
            "audiences": ["supplier"],
            "tags": ["grievance-mechanisms", "remedy", "transparency-reporting"],
        },
    ]
}


def small_questionnaire() -> dict[str, Any]:
    """A fresh copy of the small questionnaire, as the YAML loader would return it."""
    return copy.deepcopy(_SMALL)


def question(raw: dict[str, Any], key: str) -> dict[str, Any]:
    """The question with this key in a questionnaire dict, to change in place."""
    return next(q for q in raw["questions"] if q["key"] == key)


def theme(raw: dict[str, Any], key: str) -> dict[str, Any]:
    """The theme with this key in a questionnaire dict, to change in place."""
    return next(t for t in raw["themes"] if t["key"] == key)


def without_conditions(raw: dict[str, Any]) -> dict[str, Any]:
    """The questionnaire with every show_if removed, so that every question is always shown."""
    for item in raw["questions"]:
        item.pop("show_if", None)
    return raw


def parse(
    raw: dict[str, Any] | None = None, *, file: str = "small.yaml", tags: Any = None
) -> engine.Questionnaire:
    """The questionnaire parsed from `raw` (the small one when not given)."""
    return engine.parse_questionnaire(
        small_questionnaire() if raw is None else raw, file=file, tags=tags
    )


def write_yaml(path: Path, data: Any) -> Path:
    """Write data as a YAML file, keeping the order of keys as written."""
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def write_folder(
    folder: Path,
    questionnaires: dict[str, dict[str, Any]] | None = None,
    *,
    tags: dict[str, Any] | None = None,
    resources: dict[str, Any] | None = None,
) -> Path:
    """A content folder with its own tags.yaml and resources.yaml and these questionnaires."""
    folder.mkdir(parents=True, exist_ok=True)
    write_yaml(folder / "tags.yaml", SMALL_TAGS if tags is None else tags)
    write_yaml(folder / "resources.yaml", SMALL_RESOURCES if resources is None else resources)
    if questionnaires is None:
        questionnaires = {"small.yaml": small_questionnaire()}
    for name, data in questionnaires.items():
        write_yaml(folder / name, data)
    return folder


def honest_questionnaire() -> dict[str, Any]:
    """The small questionnaire with the rules that keep a verdict honest switched on.

    Added to the small one: the basis levels (statement counts one lower), `red_flag_cap`
    Developing; "don't know" on fees-who-pays (critical); "how do you know?" on fees-policy;
    a gating question `uses-providers` (choice yes/no) and after it `provider-fees` (choice
    0/1/2, critical below 100, weight 1, "don't know", not applicable when uses-providers is
    "no"); and an exclusive "none" option on agency-checks.
    """
    raw = small_questionnaire()
    raw["red_flag_cap"] = "Developing"
    raw["basis"] = [
        {"value": "statement", "label": "Management statement", "counts_one_lower": True},
        {"value": "records", "label": "Records or documents"},
        {"value": "verified", "label": "Worker interviews or independent verification"},
    ]
    fees_who_pays = question(raw, "fees-who-pays")
    fees_who_pays["dont_know"] = True
    fees_who_pays["dont_know_action"] = "Interview workers about what they paid to get the job."
    question(raw, "fees-policy")["ask_basis"] = True
    question(raw, "agency-checks")["options"].append(
        {"value": "none", "label": "None of these", "score": 0, "exclusive": True}
    )
    gate = {
        "key": "uses-providers",
        "theme": "recruitment-fees",
        "text": "Do labour providers supply workers to you?",
        "source": "ILO General Principles for Fair Recruitment (2019)",
        "type": "choice",
        "options": [
            {"value": "yes", "label": "Yes", "score": 1},
            {"value": "no", "label": "No", "score": 1},
        ],
        "weight": 1,
        "action": "Find out who supplies workers to your sites.",
        "tags": ["labour-providers"],
    }
    gated = {
        "key": "provider-fees",
        "theme": "recruitment-fees",
        "text": "Do the workers your labour providers supply pay recruitment fees?",
        "source": "ILO definition of recruitment fees and related costs (2019)",
        "type": "choice",
        "options": [
            {"value": "pay", "label": "Some pay fees", "score": 0},
            {"value": "some", "label": "Some pay related costs", "score": 1},
            {"value": "none", "label": "None pay anything", "score": 2},
        ],
        "target": 100,
        "critical": {"threshold": 100, "red_flag": "Workers pay fees to labour providers."},
        "dont_know": True,
        "dont_know_action": "Survey the workers your providers supply about what they paid.",
        "na_if": {
            "question": "uses-providers",
            "any_of": ["no"],
            "reason": "No labour provider supplies workers to you.",
        },
        "action": "Require providers to repay workers and stop charging fees.",
        "tags": ["labour-providers", "recruitment-fees"],
    }
    at = next(i for i, q in enumerate(raw["questions"]) if q["key"] == "grievance-channel")
    raw["questions"][at:at] = [gate, gated]
    return raw
