"""The evidence behind the answers in the gap report: each answer's documents and the buyer's
check of them, and the annex listing every document, read back from the PDF."""

from __future__ import annotations

from datetime import date

import pytest

import questionnaires as engine
from reports.model import (
    EVIDENCE_CHECKED,
    EVIDENCE_NOT_SUPPORTING,
    SUBMITTED,
    AttachedEvidence,
    EvidenceDocument,
    Review,
    build_report,
)
from reports.render import render_pdf
from tests.reports.pdf_text import qpdf_check, read_pdf, squeeze

TODAY = date(2026, 11, 23)
POLICY_HASH = "a3" * 32
CONTRACT_HASH = "5f" * 32
UNUSED_HASH = "0c" * 32


def _documents():
    return [
        EvidenceDocument(
            key="7",
            title="Agency contract Bright Staffing",
            document_date=date(2026, 3, 1),
            media_type="application/pdf",
            size=2_400_000,
            sha256=CONTRACT_HASH,
        ),
        EvidenceDocument(
            key="3",
            title="Recruitment fee policy",
            document_date=None,
            media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            size=48_200,
            sha256=POLICY_HASH,
        ),
        EvidenceDocument(
            key="9",
            title="Old organisation chart",
            document_date=None,
            media_type="image/png",
            size=900,
            sha256=UNUSED_HASH,
        ),
    ]


@pytest.fixture(scope="module")
def keys(supplier):
    """Two answered questions of the sample: the policy backs both, the contract one."""
    answers = engine.sample_answers(supplier, seed=3, red_flags=0)
    answered = [q.key for q in supplier.questions if q.key in answers]
    return answered[0], answered[1], answers


@pytest.fixture(scope="module")
def report(supplier, matcher, keys):
    first, second, answers = keys
    scorecard = engine.score(supplier, answers)
    return build_report(
        supplier,
        scorecard,
        engine.find_gaps(scorecard, match=matcher),
        subject="Northwind Garments",
        assessing_organisation="City of Example",
        status=SUBMITTED,
        started=TODAY,
        submitted=TODAY,
        report_date=TODAY,
        review=Review(reviewer="", reviewed_on=None, note="", status="in-review"),
        evidence={
            first: [AttachedEvidence("3", "Recruitment fee policy", EVIDENCE_CHECKED)],
            # A document on a question the report does not show is only in the annex.
            "no-such-question": [AttachedEvidence("9", "Old organisation chart")],
            second: [
                AttachedEvidence(
                    "7",
                    "Agency contract Bright Staffing",
                    EVIDENCE_NOT_SUPPORTING,
                    "The contract lets the agency charge a placement fee.",
                ),
                AttachedEvidence(
                    "3",
                    "Recruitment fee policy",
                    EVIDENCE_NOT_SUPPORTING,
                    "The contract lets the agency charge a placement fee.",
                ),
            ],
        },
        documents=_documents(),
    )


@pytest.fixture(scope="module")
def pdf(report, environment, tmp_path_factory):
    data = render_pdf(environment, report)
    path = tmp_path_factory.mktemp("pdf") / "evidence.pdf"
    path.write_bytes(data)
    return path, read_pdf(data)


def test_the_annex_lists_documents_in_the_order_the_answers_cite_them(report):
    numbers = {q.key: q.number for t in report.themes for q in t.questions}
    annex = report.evidence
    assert [d.title for d in annex] == [
        "Recruitment fee policy",
        "Agency contract Bright Staffing",
        "Old organisation chart",
    ]
    first, second = (q for t in report.themes for q in t.questions if q.evidence)
    assert annex[0].questions == (numbers[first.key], numbers[second.key])
    assert annex[1].questions == (numbers[second.key],)
    assert annex[2].questions == ()
    # The note of an answer whose evidence does not support it is said once.
    assert second.evidence_notes == ("The contract lets the agency charge a placement fee.",)


def test_each_answer_names_its_evidence_and_the_buyers_check(pdf):
    _, content = pdf
    assert content.contains("Evidence: Recruitment fee policy (checked by the buyer)")
    assert content.contains(
        "Evidence: Agency contract Bright Staffing (does not support the answer); "
        "Recruitment fee policy (does not support the answer)"
    )
    assert content.contains(
        "Why the evidence does not support the answer: "
        "The contract lets the agency charge a placement fee."
    )


def test_the_annex_gives_date_type_size_and_checksum_of_every_document(pdf):
    path, content = pdf
    assert (1, "Annex: Evidence") in content.bookmarks
    text = content.text[content.text.index("Annex: Evidence") :]
    for expected in (
        "Agency contract Bright Staffing",
        "March 1, 2026",
        "application/pdf",
        "2.4 MB",
        "48.2 kB",
        "900 byte",
        "Old organisation chart",
    ):
        assert expected in text or content.contains(expected), expected
    # Each document's whole checksum (a text extractor may read the cells in another order).
    for checksum in (POLICY_HASH, CONTRACT_HASH, UNUSED_HASH):
        assert checksum in squeeze(text)
    # Each title on an answer links to the document's line in the annex.
    assert content.internal_links >= 3
    qpdf_check(path)


def test_a_report_without_evidence_has_no_annex(supplier, matcher, environment):
    scorecard = engine.score(supplier, engine.sample_answers(supplier, seed=1))
    report = build_report(
        supplier,
        scorecard,
        engine.find_gaps(scorecard, match=matcher),
        subject="No Papers Ltd",
        assessing_organisation="City of Example",
        status=SUBMITTED,
        started=TODAY,
        submitted=TODAY,
        report_date=TODAY,
    )
    assert report.evidence == ()
    from reports.render import render_html

    html = render_html(environment, report, for_pdf=True)
    assert "Annex: Evidence" not in html and 'class="evidence"' not in html
