"""One word per thing: the words docs/glossary.md retires appear nowhere in the code, the URLs,
the templates or the questionnaire files (app/legacy.py keeps them for old links and files)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLACES = ("app", "questionnaires", "reports")
SKIPPED = ("app/legacy.py", "app/migrations/versions/", "app/static/vendor/")
CODE = (".py", ".html", ".js", ".json")
# word pattern -> the kinds of files it is looked for in
RETIRED = {
    r"procurers?": (*CODE, ".yaml"),
    r"public_buyer|PUBLIC_BUYER": CODE,
    r"ReviewMark|review_marks?": CODE,
    r"QuestionRequest|question_requests?": CODE,
    r"reminders?": CODE,
    r"/ask\b": CODE,
    r"audiences:\s*\[[^\]]*facilitator": (".yaml",),
    r"ReviewStatus\.NONE": CODE,
    # "response" is the action plan's word; a contractor's answers are its assessment
    r"response file|earlier responses?|reusable_responses|reuse_response": CODE,
    r"/invitation/response": CODE,
    r"\bapp\.team\b|TeamEvent|team_event|url_for\(.team\.|\"/team/": CODE,
}


def _files():
    for place in PLACES:
        for path in sorted((ROOT / place).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if path.is_file() and not relative.startswith(SKIPPED):
                yield relative, path


def test_no_retired_word_is_left_in_the_code_urls_templates_or_questionnaires():
    found = []
    for relative, path in _files():
        for pattern, kinds in RETIRED.items():
            if not relative.endswith(kinds):
                continue
            text = path.read_text(encoding="utf-8")
            for number, line in enumerate(text.splitlines(), 1):
                if re.search(pattern, line, flags=re.IGNORECASE):
                    found.append(f"{relative}:{number}: {line.strip()[:100]}")
    assert not found, "retired words (see docs/glossary.md):\n" + "\n".join(found)


def test_the_glossary_names_every_retired_word_it_checks():
    glossary = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    for word in (
        "procurer",
        "PUBLIC_BUYER",
        "ReviewMark",
        "question request",
        "reminder",
        "TeamEvent",
    ):
        assert word.lower() in glossary.lower()
