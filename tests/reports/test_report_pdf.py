"""The PDF gap report, read back: what a reader and their software find in it."""

from __future__ import annotations

from datetime import date

import pytest

import questionnaires as engine
from reports.model import DRAFT, SUBMITTED, build_report, sample_report
from reports.render import render_pdf
from tests.reports.pdf_text import qpdf_check, read_pdf, squeeze

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def typical(supplier, matcher):
    """A full supplier report with red flags and typical gaps."""
    return sample_report(
        supplier,
        matcher,
        report_date=TODAY,
        seed=3,
        red_flags=2,
        subject="Northwind Garments",
        assessing_organisation="City of Example, procurement office",
    )


@pytest.fixture(scope="module")
def typical_pdf(typical, environment, tmp_path_factory):
    data = render_pdf(environment, typical)
    path = tmp_path_factory.mktemp("pdf") / "typical.pdf"
    path.write_bytes(data)
    return path, read_pdf(data)


@pytest.fixture(scope="module")
def exercise(shipped):
    # The shortest questionnaire: an empty report of it draws the same parts at a third of the
    # cost of the supplier's.
    return shipped.questionnaires["workshop-exercise"]


@pytest.fixture(scope="module")
def empty_pdf(exercise, matcher, environment, tmp_path_factory):
    scorecard = engine.score(exercise, {})
    report = build_report(
        exercise,
        scorecard,
        engine.find_gaps(scorecard, match=matcher),
        subject="Nothing Answered Ltd",
        assessing_organisation="City of Example",
        status=DRAFT,
        started=TODAY,
        submitted=None,
        report_date=TODAY,
    )
    data = render_pdf(environment, report)
    path = tmp_path_factory.mktemp("pdf") / "empty.pdf"
    path.write_bytes(data)
    return path, read_pdf(data)


def test_the_report_names_the_subject_every_theme_red_flag_and_action(typical, typical_pdf):
    _, pdf = typical_pdf
    assert typical.red_flags, "the sample should have red flags to look for"
    assert pdf.contains("Northwind Garments")
    assert pdf.contains("City of Example, procurement office")
    for theme in typical.themes:
        assert pdf.contains(theme.title), theme.title
    for gap in typical.red_flags:
        assert pdf.contains(gap.red_flag), gap.red_flag
    for gap in typical.gaps:
        assert pdf.contains(gap.action), gap.action


def test_every_matched_resource_address_is_a_live_link(typical, typical_pdf):
    _, pdf = typical_pdf
    addresses = {r.url for gap in typical.gaps for r in gap.resources if r.url}
    assert addresses
    assert addresses <= set(pdf.uris)


def test_the_summary_links_to_each_gap_inside_the_document(typical, typical_pdf):
    _, pdf = typical_pdf
    # Theme rows, red flags and priority actions of the summary each link to their place.
    assert pdf.internal_links >= len(typical.themes) + len(typical.red_flags) + len(
        typical.priorities
    )


def test_there_is_a_bookmark_for_every_section_and_theme(typical, typical_pdf):
    _, pdf = typical_pdf
    titles = [title for _, title in pdf.bookmarks]
    for section in ("Summary", "Findings by theme", "Resources", "How this report was made"):
        assert section in titles
    for theme in typical.themes:
        assert (2, f"{theme.number}. {theme.title}") in pdf.bookmarks


def test_pages_are_a4_numbered_and_headed_with_subject_and_date(typical_pdf):
    _, pdf = typical_pdf
    pages = len(pdf.reader.pages)
    assert pages > 3
    for page in pdf.reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert round(width) == 595 and round(height) == 842
    assert pdf.contains(f"Page {pages} of {pages}")
    # The running header repeats subject and date on the pages after the cover.
    last = pdf.pages[-1]
    assert "Northwind Garments" in last and "November 23, 2026" in last


def test_metadata_language_and_tagging_make_it_accessible(typical_pdf):
    _, pdf = typical_pdf
    meta = pdf.reader.metadata
    assert meta.title == "Gap report: Northwind Garments"
    assert meta.author == "City of Example, procurement office"
    root = pdf.reader.trailer["/Root"]
    assert root.get("/Lang") == "en"
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root


def test_fonts_are_embedded(typical_pdf):
    _, pdf = typical_pdf
    fonts = {}
    for page in pdf.reader.pages:
        resources = page["/Resources"].get_object()
        for name, ref in (resources.get("/Font") or {}).items():
            fonts[name] = ref.get_object()
    assert fonts
    for font in fonts.values():
        descendants = font.get("/DescendantFonts")
        described = descendants[0].get_object() if descendants else font
        descriptor = described["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_the_theme_chart_prints_its_numbers(typical, typical_pdf):
    _, pdf = typical_pdf
    for theme in typical.themes:
        if theme.score is not None:
            assert pdf.contains(f"{theme.title} {round(theme.score)}")


def test_files_pass_qpdf_check(typical_pdf, empty_pdf):
    qpdf_check(typical_pdf[0])
    qpdf_check(empty_pdf[0])


def test_a_report_with_nothing_answered_says_there_is_no_information(empty_pdf, exercise):
    _, pdf = empty_pdf
    assert pdf.contains("There is no information yet")
    assert pdf.contains("Draft")
    for theme in exercise.themes:
        assert pdf.contains(theme.title)


def test_a_submitted_report_has_no_draft_watermark(typical, typical_pdf):
    assert typical.status == SUBMITTED
    _, pdf = typical_pdf
    assert not pdf.contains("Draft: the answers may still change")


def test_each_gap_shows_its_action_and_each_resource_on_a_line_of_its_own(typical, typical_pdf):
    _, pdf = typical_pdf
    lines = [line.strip() for page in pdf.pages for line in page.splitlines()]

    def starts_a_line(text: str) -> bool:
        # The phrase may wrap: it starts a line, and the lines from there on begin with it.
        wanted = squeeze(text)
        return any(
            line.startswith(text[:12]) and squeeze(" ".join(lines[i : i + 6])).startswith(wanted)
            for i, line in enumerate(lines)
        )

    gaps = [gap for gap in typical.gaps if len(gap.resources) > 1]
    assert gaps, "the sample should have gaps with several resources"
    for gap in gaps:
        assert starts_a_line(f"Recommended action: {gap.action}") or starts_a_line(
            f"How to find out: {gap.action}"
        ), gap.action
        for resource in gap.resources:
            assert starts_a_line(f"{resource.title} ({resource.organisation}"), resource.title
