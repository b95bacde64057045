"""The live board: every team's answers scored with the engine, summed up for the group.

The answers of all teams are read in one query; scoring and gap finding are the engine's.
The same board feeds the page, its JSON endpoint, the participant's comparison and the
group report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from flask import url_for

import questionnaires as engine
from app.assessments.queries import answers_by_assessment
from app.content import content
from app.formatting import verdict_note
from app.models import Workshop
from app.workshops import services

# How many of the most common gaps the board and the report show.
COMMON_GAPS = 8


@dataclass(frozen=True)
class TeamRow:
    id: int
    name: str
    assessment_id: int
    answered: int
    applicable: int
    overall: float | None
    theme_scores: dict[str, float | None]
    band: str | None = None
    # "Held at Developing: 2 red flags" when the red-flag cap lowered the team's verdict.
    verdict_note: str | None = None
    na_count: int = 0

    @property
    def completeness(self) -> int:
        return round(100 * self.answered / self.applicable) if self.applicable else 0


@dataclass(frozen=True)
class ThemeRow:
    key: str
    title: str
    average: float | None
    minimum: float | None
    maximum: float | None
    teams: int  # teams with a score in this theme


@dataclass(frozen=True)
class OptionCount:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Distribution:
    key: str
    text: str
    theme_title: str
    type: str
    options: tuple[OptionCount, ...]
    answered: int
    na: int
    unanswered: int


@dataclass(frozen=True)
class CommonGap:
    question_key: str
    question_text: str
    theme_title: str
    teams: int  # teams with this gap
    red_flags: int  # of which as a red flag
    action: str
    resources: tuple[engine.Match, ...] = ()


@dataclass(frozen=True)
class Board:
    workshop: Workshop
    questionnaire: engine.Questionnaire
    teams: list[TeamRow]
    themes: list[ThemeRow]
    distributions: list[Distribution]
    gaps: list[CommonGap]
    answers: dict[int, dict[str, engine.Answer]] = field(default_factory=dict)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def build_board(workshop: Workshop, *, match=None, language: str | None = None) -> Board:
    """Score every team and sum up the group; `match` adds resources to the gaps.

    With `language`, the questionnaire's words are its translation into that language (the
    same keys and scores), as the workshop's exports need.
    """
    questionnaire = content().in_language(services.questionnaire_of(workshop), language)
    teams = services.teams_of(workshop)
    answers = answers_by_assessment([team.assessment_id for team in teams])
    rows: list[TeamRow] = []
    gap_teams: Counter[str] = Counter()
    gap_flags: Counter[str] = Counter()
    gap_example: dict[str, engine.Gap] = {}
    for team in teams:
        scorecard = engine.score(questionnaire, answers.get(team.assessment_id, {}))
        rows.append(
            TeamRow(
                id=team.id,
                name=team.name,
                assessment_id=team.assessment_id,
                answered=scorecard.answered,
                applicable=scorecard.applicable,
                overall=scorecard.overall,
                theme_scores={key: theme.score for key, theme in scorecard.themes.items()},
                band=scorecard.band.label if scorecard.band else None,
                verdict_note=verdict_note(scorecard),
                na_count=scorecard.na_count,
            )
        )
        # Unanswered questions are not counted: during a workshop they mean "not yet".
        for gap in engine.find_gaps(scorecard, match=match, include_no_information=False):
            gap_teams[gap.question_key] += 1
            if gap.kind == engine.RED_FLAG:
                gap_flags[gap.question_key] += 1
            gap_example.setdefault(gap.question_key, gap)
    themes = []
    for theme in questionnaire.themes:
        scores = [r.theme_scores[theme.key] for r in rows if r.theme_scores[theme.key] is not None]
        themes.append(
            ThemeRow(
                key=theme.key,
                title=theme.title,
                average=_mean(scores),
                minimum=min(scores) if scores else None,
                maximum=max(scores) if scores else None,
                teams=len(scores),
            )
        )
    order = {q.key: i for i, q in enumerate(questionnaire.questions)}
    common = sorted(gap_teams, key=lambda k: (-gap_flags[k], -gap_teams[k], order[k]))
    gaps = [
        CommonGap(
            question_key=key,
            question_text=gap_example[key].question_text,
            theme_title=gap_example[key].theme_title,
            teams=gap_teams[key],
            red_flags=gap_flags[key],
            action=gap_example[key].action,
            resources=gap_example[key].resources,
        )
        for key in common[:COMMON_GAPS]
    ]
    all_answers = [answers.get(team.assessment_id, {}) for team in teams]
    return Board(
        workshop=workshop,
        questionnaire=questionnaire,
        teams=rows,
        themes=themes,
        distributions=[
            _distribution(questionnaire, q, all_answers) for q in questionnaire.questions
        ],
        gaps=gaps,
        answers={team.id: answers.get(team.assessment_id, {}) for team in teams},
    )


def _distribution(questionnaire, question, all_answers) -> Distribution:
    counts: Counter[str] = Counter()
    answered = na = 0
    for answers in all_answers:
        answer = answers.get(question.key)
        if answer is None:
            continue
        if answer.na_reason is not None:
            na += 1
            continue
        if answer.value is None:
            continue
        answered += 1
        values = answer.value if isinstance(answer.value, list) else [answer.value]
        counts.update(str(v) for v in values)
    options = tuple(
        OptionCount(option.value, option.label, counts.get(option.value, 0))
        for option in questionnaire.options_for(question)
    )
    return Distribution(
        key=question.key,
        text=question.text,
        theme_title=questionnaire.theme(question.theme).title,
        type=question.type,
        options=options,
        answered=answered,
        na=na,
        unanswered=len(all_answers) - answered - na,
    )


def _rounded(value: float | None) -> int | None:
    return None if value is None else round(value)


def board_json(board: Board) -> dict[str, Any]:
    """The board as data, for scripts and checks (facilitators only: team names)."""
    return {
        "status": "open" if board.workshop.is_open else "closed",
        "revealed": board.workshop.revealed,
        "teams": [
            {
                "name": row.name,
                "url": url_for("assessments.overview", assessment_id=row.assessment_id),
                "answered": row.answered,
                "applicable": row.applicable,
                "completeness": row.completeness,
                "na": row.na_count,
                "overall": _rounded(row.overall),
                "band": row.band,
                "verdict": row.verdict_note,
            }
            for row in board.teams
        ],
        "themes": [
            {
                "key": row.key,
                "title": row.title,
                "average": _rounded(row.average),
                "min": _rounded(row.minimum),
                "max": _rounded(row.maximum),
                "teams": row.teams,
            }
            for row in board.themes
        ],
        "distributions": [
            {
                "key": d.key,
                "text": d.text,
                "theme": d.theme_title,
                "type": d.type,
                "options": [
                    {"value": o.value, "label": o.label, "count": o.count} for o in d.options
                ],
                "answered": d.answered,
                "na": d.na,
                "unanswered": d.unanswered,
            }
            for d in board.distributions
        ],
        "gaps": [
            {
                "key": gap.question_key,
                "text": gap.question_text,
                "theme": gap.theme_title,
                "teams": gap.teams,
                "red_flags": gap.red_flags,
                "action": gap.action,
            }
            for gap in board.gaps
        ],
    }


def team_comparison(board: Board, team_id: int) -> list[dict[str, Any]]:
    """One team's theme scores next to the group average: no other team is named."""
    own = next((row for row in board.teams if row.id == team_id), None)
    return [
        {
            "title": theme.title,
            "own": own.theme_scores.get(theme.key) if own else None,
            "average": theme.average,
            "minimum": theme.minimum,
            "maximum": theme.maximum,
        }
        for theme in board.themes
    ]
