"""Words and addresses used before the glossary (docs/glossary.md), in one place.

Old links in e-mails, bookmarks and browser histories redirect to today's addresses, and files
exported before the renaming (assessment files) still import. Nothing else may use these words.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Blueprint, redirect, url_for

import questionnaires as engine

bp = Blueprint("legacy", __name__)

# Questionnaire keys and audiences as they were named before.
FORMER_QUESTIONNAIRE_KEYS = {"procurer": "buyer"}
# Audit events as they were named before.
FORMER_EVENTS = {"question-handed": "question-handed-over"}
# Sections of an assessment file as they were named before.
FORMER_FILE_SECTIONS = {"review_marks": "review_notes"}


def questionnaire_key(key: str) -> str:
    """Today's key of a questionnaire named by a former key (or the key itself)."""
    return FORMER_QUESTIONNAIRE_KEYS.get(key, key)


def event(name: str) -> str:
    """Today's name of an audit event named by a former name (or the name itself)."""
    return FORMER_EVENTS.get(name, name)


def modernise_file(document: dict[str, Any], known: Iterable[engine.Questionnaire]) -> None:
    """Rename, in place, what an assessment file exported before the glossary calls otherwise:
    sections, audit events, and a questionnaire's former key with the content hash it had then
    (`known`: the questionnaires whose former hash may match)."""
    if not isinstance(document, dict):
        return
    for former, today in FORMER_FILE_SECTIONS.items():
        if former in document and today not in document:
            document[today] = document.pop(former)
    for entry in document.get("audit") or ():
        if isinstance(entry, dict) and isinstance(entry.get("event"), str):
            entry["event"] = event(entry["event"])
    facts = document.get("questionnaire")
    if not isinstance(facts, dict) or facts.get("key") not in FORMER_QUESTIONNAIRE_KEYS:
        return
    former = facts["key"]
    facts["key"] = questionnaire_key(former)
    for questionnaire in known:
        if questionnaire.key != facts["key"]:
            continue
        snapshot = {**questionnaire.snapshot(), "key": former, "audience": former}
        if engine.hash_snapshot(snapshot) == facts.get("content_hash"):
            facts["content_hash"] = questionnaire.content_hash
            return


@bp.route("/team/")
def colleagues():
    return redirect(url_for("colleagues.members"), code=301)


@bp.route("/workshop")
def workshop_team():
    return redirect(url_for("workshops.team"), code=301)


# 308 keeps the method and body, so an old form posted to these addresses still works.
@bp.route("/assessments/<int:assessment_id>/questions/<question_key>/ask", methods=["GET", "POST"])
def hand_over(assessment_id: int, question_key: str):
    target = url_for("handovers.hand_over", assessment_id=assessment_id, question_key=question_key)
    return redirect(target, code=308)


@bp.route("/contractors/<int:assessment_id>/reminder", methods=["POST"])
def reissue(assessment_id: int):
    return redirect(url_for("contractors.reissue", assessment_id=assessment_id), code=308)


@bp.route("/invitation/response.json")
def invitation_file():
    return redirect(url_for("portability.invitation_file"), code=301)


@bp.route("/questionnaires/procurer/workbook.xlsx")
def questionnaire_workbook():
    return redirect(url_for("portability.questionnaire_workbook", key="buyer"), code=301)


@bp.route("/questionnaires/procurer/form.pdf")
def questionnaire_form():
    return redirect(url_for("portability.questionnaire_form", key="buyer"), code=301)
