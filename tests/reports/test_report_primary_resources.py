"""A gap's hand-picked resource in the PDF report: listed first, with why it helps."""

from __future__ import annotations

from datetime import date

import questionnaires as engine
from reports.model import SUBMITTED, build_report
from reports.render import render_pdf
from tests.reports.pdf_text import read_pdf

DAY = date(2026, 11, 23)
WHY = "Sets out which costs count as recruitment fees, so invoices can be checked line by line."


def test_the_report_shows_why_a_primary_resource_helps(shipped, supplier, environment):
    data = supplier.snapshot()
    picked = next(q for q in data["questions"] if q["type"] != "text" and q["tags"])
    picked["primary_resources"] = [{"resource": "ilo-fair-recruitment-principles", "why": WHY}]
    questionnaire = engine.parse_questionnaire(data, file="supplier.yaml")
    scorecard = engine.score(questionnaire, {})  # nothing answered: every question is a gap
    gaps = engine.find_gaps(scorecard, match=engine.make_matcher(shipped.catalogue))

    report = build_report(
        questionnaire,
        scorecard,
        gaps,
        subject="Subject Ltd",
        assessing_organisation="Buyer",
        status=SUBMITTED,
        started=DAY,
        submitted=DAY,
        report_date=DAY,
    )
    [gap] = [g for g in report.gaps if g.question_key == picked["key"]]
    assert gap.resources[0].key == "ilo-fair-recruitment-principles"
    assert gap.resources[0].why == WHY
    assert all(r.why is None for r in gap.resources[1:])

    pdf = read_pdf(render_pdf(environment, report))
    assert pdf.contains(f"Why this helps: {WHY}")
