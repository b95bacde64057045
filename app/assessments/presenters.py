"""Turn assessments, scorecards and gaps into what the pages show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

import questionnaires as engine
from app.assessments import lifecycle, queries
from app.assessments.versions import newer_version
from app.audit import AuditEvent
from app.content import content
from app.evidence import services as evidence_services
from app.evidence import verdicts as evidence_verdicts
from app.evidence.checks import human_size
from app.extension_points import ExtensionPoint
from app.extensions import db
from app.models import Answer, Assessment, AssessmentKind, AssessmentStatus, AuditEntry, User
from reports.charts import Bar, bar_chart

# Answered by the areas that build on assessments (app.handovers, app.action_plans).
handed_questions = ExtensionPoint("handed_questions")
"""The questions of an assessment handed to someone: provider(assessment) -> {key: request}."""
follow_up = ExtensionPoint("follow_up")
"""What became of the previous assessment's gaps: provider(assessment, previous) -> list."""


def progress_of(scorecard: engine.Scorecard) -> dict[str, Any]:
    """Answered of applicable, and how many are not applicable, overall and per theme
    (free-text questions do not count)."""
    na = dict.fromkeys(scorecard.themes, 0)
    questionnaire = scorecard.questionnaire
    for result in scorecard.questions.values():
        if result.na and questionnaire.question(result.key).scored:
            na[result.theme] += 1
    themes = {
        key: {"answered": theme.answered, "applicable": theme.applicable, "na": na[key]}
        for key, theme in scorecard.themes.items()
    }
    overall = {
        "answered": sum(t["answered"] for t in themes.values()),
        "applicable": sum(t["applicable"] for t in themes.values()),
        "na": scorecard.na_count,
    }
    return {"overall": overall, "themes": themes}


def gated_reasons(scorecard: engine.Scorecard) -> dict[str, str | None]:
    """Per question with na_if: the reason it is not applicable now, or None."""
    questionnaire = scorecard.questionnaire
    found: dict[str, str | None] = {}
    for key, result in scorecard.questions.items():
        gate = questionnaire.question(key).na_if
        if gate is not None:
            found[key] = result.na_reason if result.na_reason == gate.reason else None
    return found


def progress_payload(
    questionnaire: engine.Questionnaire, answers: dict[str, engine.Answer]
) -> dict:
    """What the autosave response tells the page: which questions show, which are not
    applicable through their gating question, and the progress (as `progress_of` counts it,
    without scoring the whole questionnaire on every save)."""
    found = engine.progress(questionnaire, answers)
    themes = {
        key: {"answered": answered, "applicable": applicable, "na": na}
        for key, (answered, applicable, na) in found.themes.items()
    }
    overall = {
        name: sum(theme[name] for theme in themes.values())
        for name in ("answered", "applicable", "na")
    }
    return {
        "visible": found.visible,
        "gated": found.gated,
        "progress": {"overall": overall, "themes": themes},
    }


def unanswered(questionnaire, scorecard) -> list:
    """The visible, applicable questions without an answer, in questionnaire order."""
    return [
        questionnaire.question(result.key)
        for result in scorecard.questions.values()
        if result.visible
        and result.applicable
        and not result.answered
        and questionnaire.question(result.key).type != "text"
    ]


def submit_context(assessment: Assessment) -> dict:
    """The submit page: the scores so far and what is still unanswered."""
    questionnaire = queries.shown_questionnaire(assessment)
    scorecard = queries.shown_scorecard(assessment)
    return {
        "assessment": assessment,
        "questionnaire": questionnaire,
        "scorecard": scorecard,
        "unanswered": unanswered(questionnaire, scorecard),
        "missing_evidence": lifecycle.missing_evidence(assessment),
    }


def themes_nav(questionnaire, scorecard, current: str | None = None) -> list[dict]:
    items = []
    for theme in questionnaire.themes:
        result = scorecard.themes[theme.key]
        items.append(
            {
                "key": theme.key,
                "title": theme.title,
                "answered": result.answered,
                "applicable": result.applicable,
                "complete": result.applicable > 0 and result.answered >= result.applicable,
                "current": theme.key == current,
            }
        )
    return items


def autosave_messages() -> dict[str, str]:
    return {
        "saving": _("Saving…"),
        "saved": _("Saved"),
        "unsaved": _("Not saved yet"),
        "notSaved": _("Not saved"),
        "retrying": _("Not saved yet, retrying in %(seconds)s s."),
        "tryAgain": _("Try again"),
        "invalid": _("This answer could not be saved."),
        "conflict": _(
            "This answer was changed in another window or by someone else since you opened "
            "this page. Your change was not saved. Reload the page to see the latest answer."
        ),
        "changedBy": _("Last changed by %s."),
        "progress": _("%(answered)s of %(applicable)s"),
        "na": _("%(count)s not applicable"),
        "gated": _("Not applicable: %(reason)s"),
    }


def answer_page_context(assessment, questionnaire, theme_key, stored, editable) -> dict:
    scorecard = engine.score(
        questionnaire,
        {
            key: engine.Answer(
                value=row.value, na_reason=row.na_reason, comment=row.comment, basis=row.basis
            )
            for key, row in stored.items()
        },
    )
    keys = [t.key for t in questionnaire.themes]
    index = keys.index(theme_key)
    progress = progress_of(scorecard)
    gated = gated_reasons(scorecard)
    return {
        "assessment": assessment,
        "questionnaire": questionnaire,
        "handovers": handed_questions.first(assessment, default={}),
        "theme": questionnaire.theme(theme_key),
        "themes_nav": themes_nav(questionnaire, scorecard, theme_key),
        "questions": [
            {
                "question": question,
                "visible": scorecard.questions[question.key].visible,
                "gated": gated.get(question.key),
                "revision": stored[question.key].revision if question.key in stored else 0,
            }
            for question in questionnaire.questions_in(theme_key)
        ],
        "progress": {"overall": progress["overall"], "theme": progress["themes"][theme_key]},
        "previous_theme": keys[index - 1] if index > 0 else None,
        "next_theme": keys[index + 1] if index + 1 < len(keys) else None,
        "editable": editable,
        "review_notes": queries.clarification_notes(assessment),
        "autosave_messages": autosave_messages(),
        **evidence_context(assessment),
    }


def evidence_context(assessment: Assessment) -> dict:
    """The documents beside each answer, and the library to link from (none for a workshop
    team: teams do not attach documents)."""
    if assessment.kind == AssessmentKind.WORKSHOP_TEAM:
        return {"evidence_shown": False, "evidence": {}, "evidence_library": []}
    return {
        "evidence_shown": True,
        "evidence": evidence_services.evidence_by_question(assessment),
        # The buyer's verdict on a contractor's evidence, by question (returned with notes).
        "evidence_checks": evidence_verdicts.answer_checks(assessment),
        "evidence_library": evidence_services.library(assessment),
        "max_file_size": human_size(current_app.config["EVIDENCE_MAX_FILE_BYTES"]),
    }


def overview_context(assessment: Assessment) -> dict:
    questionnaire = queries.shown_questionnaire(assessment)
    scorecard = queries.shown_scorecard(assessment)
    nav = themes_nav(questionnaire, scorecard)
    resume = next((item["key"] for item in nav if not item["complete"]), nav[0]["key"])
    return {
        "assessment": assessment,
        "questionnaire": questionnaire,
        "scorecard": scorecard,
        "themes_nav": nav,
        "resume_theme_key": resume,
        "progress": progress_of(scorecard),
        "newer_version": newer_version(assessment),
    }


def previous_submitted(assessment: Assessment) -> Assessment | None:
    """The latest other submitted assessment of the same subject and questionnaire."""
    from app.models import QuestionnaireVersion

    candidates = db.session.scalars(
        select(Assessment)
        .join(QuestionnaireVersion)
        .where(
            Assessment.organisation_id == assessment.organisation_id,
            Assessment.subject == assessment.subject,
            Assessment.kind == assessment.kind,
            Assessment.id != assessment.id,
            Assessment.status == AssessmentStatus.SUBMITTED,
            QuestionnaireVersion.key == assessment.questionnaire_version.key,
        )
        .order_by(Assessment.submitted_at.desc())
    ).all()
    reference = assessment.submitted_at or assessment.created_at
    for candidate in candidates:
        if not candidate.submitted_at or candidate.submitted_at >= reference:
            continue
        # Periods are the user's own words; where both have one, "2025" comes before "2026".
        if assessment.period and candidate.period and candidate.period >= assessment.period:
            continue
        return candidate
    return None


def results_context(assessment: Assessment) -> dict:
    questionnaire = queries.shown_questionnaire(assessment)
    scorecard = queries.shown_scorecard(assessment)
    gaps = engine.find_gaps(scorecard, match=content().match)
    previous = previous_submitted(assessment)
    previous_scores = {}
    if previous is not None:
        previous_card = queries.scorecard_of(previous)
        previous_scores = {key: theme.score for key, theme in previous_card.themes.items()}
    theme_rows = []
    bars = []
    for theme in questionnaire.themes:
        result = scorecard.themes[theme.key]
        before = previous_scores.get(theme.key)
        theme_rows.append(
            {
                "title": theme.title,
                "score": result.score,
                "band": result.band.label if result.band else None,
                "capped": result.capped,
                "answered": result.answered,
                "applicable": result.applicable,
                "previous": before,
                "change": (result.score - before)
                if result.score is not None and before is not None
                else None,
            }
        )
        bars.append(Bar(theme.title, result.score, before))
    chart = bar_chart(
        bars,
        title=_("Scores by theme, 0 to 100"),
        no_score_text=_("no score"),
        previous_text=_("previous"),
    )
    return {
        "assessment": assessment,
        "questionnaire": questionnaire,
        "scorecard": scorecard,
        "red_flags": [g for g in gaps if g.kind == "red-flag"],
        "gaps": [g for g in gaps if g.kind == "below-target"],
        "no_information": [g for g in gaps if g.kind == "no-information"],
        "theme_rows": theme_rows,
        "chart_svg": chart,
        "comparison": previous,
        "follow_up": _follow_up(assessment, previous),
        # Resources in the assessment's language, as its questions are.
        "read_resource": lambda resource: content().read(resource, assessment.language),
    }


def _follow_up(assessment: Assessment, previous: Assessment | None) -> list:
    return follow_up.first(assessment, previous, default=[])


@dataclass(frozen=True)
class HistoryRow:
    when: datetime
    who: str
    what: str
    before: str
    after: str


EVENT_LABELS = {
    AuditEvent.CREATED: lambda: _("Assessment started"),
    AuditEvent.SUBMITTED: lambda: _("Submitted"),
    AuditEvent.REOPENED: lambda: _("Reopened for changes"),
    AuditEvent.LINK_ISSUED: lambda: _("Invitation link issued"),
    AuditEvent.LINK_REVOKED: lambda: _("Invitation link revoked"),
    AuditEvent.RETURNED: lambda: _("Returned to the contractor for clarification"),
    AuditEvent.REVIEWED: lambda: _("Marked as reviewed"),
    AuditEvent.DETAILS: lambda: _("Subject and period changed"),
    AuditEvent.REUSED: lambda: _("Filled from an earlier assessment of the contractor"),
    AuditEvent.ACTION_PLAN_COMMENT: lambda: _("Buyer's comment on the action plan"),
    AuditEvent.ACTION_PLAN_RESPONSE: lambda: _("Action plan response"),
    AuditEvent.ACTION_DONE: lambda: _("Action marked done"),
    AuditEvent.QUESTION_HANDED_OVER: lambda: _("Question handed to a colleague"),
    AuditEvent.IMPORTED: lambda: _("Imported from an assessment file"),
    AuditEvent.FILE_UPLOADED: lambda: _("Answers filled in from an uploaded file"),
    AuditEvent.MOVED: lambda: _("Moved to the current questionnaire version"),
    AuditEvent.LANGUAGE: lambda: _("Language changed"),
    AuditEvent.EVIDENCE_ATTACHED: lambda: _("Document attached"),
    AuditEvent.EVIDENCE_REMOVED: lambda: _("Document removed"),
    AuditEvent.EVIDENCE_CHECKED: lambda: _("Evidence checked by the buyer"),
    AuditEvent.EVIDENCE_CONFIRMED: lambda: _("Document from the earlier assessment confirmed"),
    AuditEvent.EVIDENCE_QUARANTINED: lambda: _("File refused by the virus scanner"),
}
EVIDENCE_EVENTS = frozenset(
    {
        AuditEvent.EVIDENCE_ATTACHED,
        AuditEvent.EVIDENCE_REMOVED,
        AuditEvent.EVIDENCE_CHECKED,
        AuditEvent.EVIDENCE_CONFIRMED,
        AuditEvent.EVIDENCE_QUARANTINED,
    }
)


def _evidence_words(state) -> str:
    """A document in a history row: its title and file name (or what the scanner found)."""
    if not isinstance(state, dict):
        return ""
    words = [str(state.get(name)) for name in ("title", "filename") if state.get(name)]
    if state.get("finding"):
        words.append(str(state["finding"]))
    return " · ".join(words)


def describe_review(state: dict | None) -> str:
    """A review mark as words: the verdict and the note."""
    if not state:
        return ""
    from app.models import VERDICT_LABELS, Verdict

    try:
        verdict = str(VERDICT_LABELS[Verdict(state.get("verdict"))])
    except ValueError:
        verdict = str(state.get("verdict"))
    return f"{verdict}: {state['comment']}" if state.get("comment") else verdict


def describe_evidence_check(state: dict) -> str:
    """A buyer's check of an answer's evidence as words: the verdict, its note, the documents."""
    from app.models import EVIDENCE_CHECK_LABELS, EvidenceCheck

    try:
        parts = [str(EVIDENCE_CHECK_LABELS[EvidenceCheck(state.get("check"))])]
    except ValueError:
        parts = [str(state.get("check"))]
    if state.get("note"):
        parts.append(str(state["note"]))
    if state.get("documents"):
        parts.append(", ".join(str(title) for title in state["documents"]))
    return " · ".join(parts)


def describe_plan_state(state: dict | None) -> str:
    """An action plan response as words: response, action or reason, owner, due date, done."""
    if not state:
        return ""
    from app.models import RESPONSE_LABELS, ActionResponse

    parts = []
    try:
        parts.append(str(RESPONSE_LABELS[ActionResponse(state.get("response"))]))
    except ValueError:
        parts.append(str(state.get("response")))
    for key in ("action", "decline_reason", "owner"):
        if state.get(key):
            parts.append(str(state[key]))
    if state.get("due_on"):
        parts.append(_("due %(date)s", date=state["due_on"]))
    if state.get("done"):
        parts.append(_("done") + (f": {state['done_note']}" if state.get("done_note") else ""))
    return " · ".join(parts)


def describe_state(question, state: dict | None) -> str:
    """An answer as words: the option labels, the number, N/A with its reason, the comment."""
    if not state:
        return ""
    parts = []
    value = state.get("value")
    if state.get("na_reason"):
        parts.append(_("Not applicable: %(reason)s", reason=state["na_reason"]))
    elif value is not None and question is not None:
        labels = {o.value: o.label for o in question.choices}
        if isinstance(value, list):
            parts.append(", ".join(labels.get(v, v) for v in value))
        elif question.type == "number":
            parts.append(f"{value:g}{' ' + question.unit if question.unit else ''}")
        else:
            parts.append(labels.get(value, str(value)))
        level = question.basis_level(state.get("basis"))
        if level is not None:
            parts.append(_("Basis: %(basis)s", basis=level.label))
    if state.get("comment"):
        parts.append(_("Comment: %(comment)s", comment=state["comment"]))
    return " · ".join(parts)


# What a contractor sees of the buyer's events in its History; the rest (links issued, review
# marks, internal notes) stays the buyer's.
BUYER_EVENTS_SHOWN_TO_CONTRACTOR = frozenset(
    {
        AuditEvent.CREATED,
        AuditEvent.RETURNED,
        AuditEvent.REVIEWED,
        AuditEvent.REOPENED,
        AuditEvent.ACTION_PLAN_COMMENT,
    }
)


def _for_contractor(assessment: Assessment, entries):
    """The contractor's own events, and the buyer's public ones under the buyer's name."""
    buyer_staff = set(
        db.session.scalars(
            select(User.id).where(User.organisation_id == assessment.organisation_id)
        )
    )
    buyer_name = assessment.organisation.name
    for entry in entries:
        if entry.actor_id is None or entry.actor_id not in buyer_staff:
            yield entry, entry.actor_label or ""
        elif entry.event in BUYER_EVENTS_SHOWN_TO_CONTRACTOR:
            yield entry, buyer_name


def history_rows(
    assessment: Assessment, questionnaire, *, contractor_view: bool = False
) -> list[HistoryRow]:
    """The assessment's History, newest first; `contractor_view` shows what a contractor may."""
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.assessment_id == assessment.id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
    if contractor_view:
        labelled = _for_contractor(assessment, entries)
    else:
        labelled = ((entry, entry.actor_label or "") for entry in entries)
    rows = []
    for entry, actor in labelled:
        if entry.event in (AuditEvent.ANSWER, AuditEvent.REVIEW):
            question = (
                questionnaire.question(entry.question_key)
                if questionnaire.has_question(entry.question_key)
                else None
            )
            what = question.text if question else entry.question_key
            if entry.event == AuditEvent.REVIEW:
                what = _("Review: %(question)s", question=what)
                before, after = describe_review(entry.old), describe_review(entry.new)
            else:
                before = describe_state(question, entry.old)
                after = describe_state(question, entry.new)
        elif entry.event in (AuditEvent.ACTION_PLAN_RESPONSE, AuditEvent.ACTION_DONE):
            question = (
                questionnaire.question(entry.question_key)
                if questionnaire.has_question(entry.question_key)
                else None
            )
            what = f"{EVENT_LABELS[entry.event]()}: {question.text if question else ''}"
            before = describe_plan_state(entry.old)
            after = describe_plan_state(entry.new)
        else:
            label = EVENT_LABELS.get(entry.event)
            what = label() if label else entry.event
            before, after = "", ""
            if entry.event in EVIDENCE_EVENTS:
                if entry.question_key:
                    question = (
                        questionnaire.question(entry.question_key)
                        if questionnaire.has_question(entry.question_key)
                        else None
                    )
                    what = f"{what}: {question.text if question else entry.question_key}"
                before = _evidence_words(entry.old)
                after = _evidence_words(entry.new)
            if entry.event == AuditEvent.QUESTION_HANDED_OVER and entry.new:
                question = (
                    questionnaire.question(entry.question_key)
                    if questionnaire.has_question(entry.question_key)
                    else None
                )
                what = f"{what}: {question.text if question else entry.question_key}"
                after = str(entry.new.get("colleague", ""))
            if entry.event == AuditEvent.EVIDENCE_CHECKED and isinstance(entry.new, dict):
                after = describe_evidence_check(entry.new)
            if entry.event == AuditEvent.MOVED and entry.new:
                before = _("version %(v)s", v=entry.new.get("previous_version", ""))
                after = _(
                    "version %(v)s: %(carried)s answers kept, %(dropped)s removed",
                    v=entry.new.get("questionnaire_version", ""),
                    carried=entry.new.get("carried", 0),
                    dropped=len(entry.new.get("dropped") or []),
                )
            elif entry.event == AuditEvent.DETAILS:
                before, after = (
                    " · ".join(v for v in (state or {}).values() if v)
                    for state in (entry.old, entry.new)
                )
        rows.append(HistoryRow(entry.created_at, actor, what, before, after))
    return rows


__all__ = ["Answer", "answer_page_context", "history_rows", "progress_payload", "results_context"]
