"""The report model: what the report says, worked out from a scorecard without rendering."""

from __future__ import annotations

from datetime import date

import pytest

import questionnaires as engine
from reports.model import DRAFT, SUBMITTED, build_report

DAY = date(2026, 11, 23)


def _report(questionnaire, answers, matcher, **extra):
    scorecard = engine.score(questionnaire, answers)
    return build_report(
        questionnaire,
        scorecard,
        engine.find_gaps(scorecard, match=matcher),
        subject="Subject Ltd",
        assessing_organisation="Buyer",
        status=extra.pop("status", SUBMITTED),
        started=DAY,
        submitted=DAY,
        report_date=DAY,
        **extra,
    )


@pytest.fixture(scope="module")
def answers(supplier):
    return engine.sample_answers(supplier, seed=5, level=0.5, red_flags=1, unanswered=3)


def test_red_flags_come_first_and_priorities_skip_questions_without_answers(
    supplier, answers, matcher
):
    report = _report(supplier, answers, matcher)
    assert report.red_flags
    ranks = [gap.rank for gap in report.gaps]
    assert ranks == sorted(ranks)
    assert report.gaps[0].is_red_flag
    assert 0 < len(report.priorities) <= 5
    assert not any(gap.is_no_information for gap in report.priorities)
    assert report.no_information_count == 3


def test_every_resource_is_listed_once_under_the_first_theme_citing_it(supplier, answers, matcher):
    report = _report(supplier, answers, matcher)
    keys = [resource.key for resource in report.resources]
    assert keys and len(keys) == len(set(keys))
    cited = {r.key for gap in report.gaps for r in gap.resources}
    assert set(keys) == cited


def test_questions_hidden_by_an_earlier_answer_are_left_out(supplier, matcher):
    conditional = next(q for q in supplier.questions if q.show_if is not None)
    # No answers at all: a question shown only after a given answer is hidden.
    report = _report(supplier, {}, matcher, status=DRAFT)
    shown = {q.key for theme in report.themes for q in theme.questions}
    assert conditional.key not in shown
    assert report.nothing_answered and report.overall is None


def test_a_reassessment_shows_the_change_per_theme(supplier, matcher):
    before = engine.sample_answers(supplier, seed=1, level=0.3)
    after = engine.sample_answers(supplier, seed=1, level=0.9)
    previous = engine.score(supplier, before)
    report = _report(
        supplier, after, matcher, previous_scorecard=previous, previous_submitted=date(2025, 11, 1)
    )
    assert report.comparison.submitted_on == date(2025, 11, 1)
    assert report.comparison.change(report.overall) > 0
    for theme in report.themes:
        assert theme.previous_score == previous.themes[theme.key].score
        if theme.score is not None and theme.previous_score is not None:
            assert theme.change == pytest.approx(theme.score - theme.previous_score)


def test_question_numbers_count_only_the_questions_shown(supplier, answers, matcher):
    report = _report(supplier, answers, matcher)
    for theme in report.themes:
        assert [q.number for q in theme.questions] == [
            f"{theme.number}.{i}" for i in range(1, len(theme.questions) + 1)
        ]
