"""Comparing contractors: theme scores, overall score, band, red flags and completeness side by
side, sortable without JavaScript, with a chart, and as CSV, XLSX and PDF downloads."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import event

import questionnaires as engine
from app.extensions import db
from tests import factories


def _contractor(admin, name, *, level, red_flags, submit=True):
    contractor, _token = factories.make_contractor(admin.organisation, admin, name)
    supplier = factories.content_questionnaire("supplier")
    answers = engine.sample_answers(
        supplier, seed=len(name), level=level, red_flags=red_flags, unanswered=0
    )
    factories.store_answers(contractor.assessment, answers)
    if submit:
        from app.assessments import lifecycle
        from app.scoping import Principal

        lifecycle.submit(contractor.assessment, Principal(label=name), require_evidence=False)
    return contractor


@pytest.fixture
def three(admin):
    return [
        _contractor(admin, "Strong Supplies", level=0.9, red_flags=0),
        _contractor(admin, "Weak Works", level=0.2, red_flags=2),
        _contractor(admin, "Middle Makers", level=0.55, red_flags=1),
    ]


def _query(contractors, sort=None):
    query = "&".join(f"ids={c.assessment_id}" for c in contractors)
    return query + (f"&sort={sort}" if sort else "")


def _scores(contractors) -> dict:
    """Each contractor's scorecard, worked out here on its own to check the pages against."""
    from app.assessments.queries import scorecard_of

    return {c.contractor_name: scorecard_of(c.assessment) for c in contractors}


def _order(page: str) -> list[str]:
    names = []
    for part in page.split('<tr data-contractor="')[1:]:
        names.append(part.split('"', 1)[0])
    return names


def test_the_comparison_shows_the_chosen_contractors_side_by_side(admin_client, three):
    cards = _scores(three)
    response = admin_client.get("/contractors/compare?" + _query(three))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    # Best overall score first by default.
    expected = sorted(cards, key=lambda name: cards[name].overall, reverse=True)
    assert _order(page) == expected
    supplier = factories.content_questionnaire("supplier")
    for theme in supplier.themes:
        assert theme.title in page
    weak = page.split('<tr data-contractor="Weak Works"', 1)[1].split("</tr>")[0]
    assert f">{round(cards['Weak Works'].overall)}<" in weak
    assert 'text-danger fw-bold">2<' in weak
    assert "<svg" in page and "comparison-chart-title" in page


@pytest.mark.parametrize(
    "sort, key, reverse",
    [
        ("overall", lambda card: card.overall, False),
        ("-overall", lambda card: card.overall, True),
        ("red-flags", lambda card: len(card.red_flags), False),
        ("-red-flags", lambda card: len(card.red_flags), True),
        ("name", None, False),
        ("-name", None, True),
    ],
)
def test_the_table_sorts_on_the_server(admin_client, three, sort, key, reverse):
    cards = _scores(three)
    page = admin_client.get("/contractors/compare?" + _query(three, sort)).get_data(as_text=True)
    if key is None:
        expected = sorted(cards, reverse=reverse)
    else:
        expected = sorted(cards, key=lambda name: key(cards[name]), reverse=reverse)
    assert _order(page) == expected


def test_sorting_by_a_theme_and_a_nonsense_sort(admin_client, three):
    cards = _scores(three)
    theme = factories.content_questionnaire("supplier").themes[1].key
    page = admin_client.get("/contractors/compare?" + _query(three, f"-theme:{theme}")).get_data(
        as_text=True
    )
    expected = sorted(cards, key=lambda n: cards[n].themes[theme].score, reverse=True)
    assert _order(page) == expected
    response = admin_client.get("/contractors/compare?" + _query(three, "drop%20table"))
    assert response.status_code == 200
    assert _order(response.get_data(as_text=True))[0] == "Strong Supplies"


def test_another_questionnaire_is_left_out_with_a_message(admin_client, admin, three):
    buyer, _ = factories.make_contractor(
        admin.organisation, admin, "Other Questionnaire Co", questionnaire="buyer"
    )
    page = admin_client.get("/contractors/compare?" + _query([*three, buyer])).get_data(
        as_text=True
    )
    assert "Left out because they answer another questionnaire: Other Questionnaire Co" in page
    assert "Other Questionnaire Co" not in _order(page)


def test_nothing_chosen_says_what_to_do(admin_client):
    page = admin_client.get("/contractors/compare?ids=abc").get_data(as_text=True)
    assert "Choose two or more contractor assessments" in page


def test_the_csv_download_parses(admin_client, three):
    response = admin_client.get("/contractors/compare.csv?" + _query(three, "name"))
    assert response.mimetype == "text/csv"
    # One charset, and a byte-order mark so that Excel reads the names as UTF-8.
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith("\ufeff".encode())
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff"))))
    header, body = rows[0], rows[1:]
    assert header[0] == "Contractor" and "Overall score" in header and "Red flags" in header
    assert [row[0] for row in body] == ["Middle Makers", "Strong Supplies", "Weak Works"]
    cards = _scores(three)
    weak = body[2]
    assert int(weak[header.index("Overall score")]) == round(cards["Weak Works"].overall)
    assert int(weak[header.index("Red flags")]) == 2
    assert int(weak[header.index("Completeness (%)")]) == 100


def test_the_xlsx_download_opens_in_openpyxl(admin_client, three):
    response = admin_client.get("/contractors/compare.xlsx?" + _query(three))
    workbook = load_workbook(io.BytesIO(response.data))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    cards = _scores(three)
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == set(cards)
    for name, card in cards.items():
        assert by_name[name][header.index("Overall score")] == round(card.overall)
        assert by_name[name][header.index("Red flags")] == len(card.red_flags)


def test_names_that_look_like_formulas_stay_text_in_spreadsheets(admin_client, admin):
    risky = _contractor(admin, "=HYPERLINK(1)", level=0.5, red_flags=0)
    rows = list(
        csv.reader(
            io.StringIO(
                admin_client.get(f"/contractors/compare.csv?ids={risky.assessment_id}").get_data(
                    as_text=True
                )
            )
        )
    )
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_the_pdf_download_has_the_names_and_scores(admin_client, three):
    response = admin_client.get("/contractors/compare.pdf?" + _query(three))
    assert response.mimetype == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    cards = _scores(three)
    for name, card in cards.items():
        assert name in text
        assert str(round(card.overall)) in text
    assert "Comparison of contractors" in text


def test_the_answers_are_read_in_one_query_however_many_are_compared(app, admin_client, admin):
    contractors = [
        _contractor(admin, f"Contractor {n:02d}", level=0.5, red_flags=n % 2) for n in range(6)
    ]

    def statements(url) -> int:
        seen = []

        def count(conn, cursor, statement, *args):
            seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert admin_client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(seen)

    two = "/contractors/compare?" + _query(contractors[:2])
    six = "/contractors/compare?" + _query(contractors)
    statements(two)  # warm the questionnaire cache
    assert statements(two) == statements(six)


def test_column_headings_and_downloads_keep_the_selection(admin_client, three):
    page = admin_client.get("/contractors/compare?" + _query(three)).get_data(as_text=True)
    links = re.findall(r'href="(/contractors/compare[^"]*)"', page)
    by_name = next(link for link in links if "sort=name" in link).replace("&amp;", "&")
    assert _order(admin_client.get(by_name).get_data(as_text=True)) == sorted(
        c.contractor_name for c in three
    )
    csv_link = next(link for link in links if link.startswith("/contractors/compare.csv"))
    rows = list(csv.reader(io.StringIO(admin_client.get(csv_link.replace("&amp;", "&")).text)))
    assert len(rows) == 1 + len(three)


def test_drafts_show_status_and_completeness_but_no_score_or_rank(admin_client, admin, three):
    """A half-answered draft's score is neither final nor the buyer's to see: it never ranks."""
    draft = _contractor(admin, "Draft Diggers", level=0.95, red_flags=0, submit=False)
    invited, _token = factories.make_contractor(admin.organisation, admin, "Invited Inc")
    chosen = [*three, draft, invited]
    cards = _scores(three)
    page = admin_client.get("/contractors/compare?" + _query(chosen)).get_data(as_text=True)
    ranked = sorted(cards, key=lambda name: cards[name].overall, reverse=True)
    # The submitted ones rank by score; the drafts come after them, whatever they scored.
    assert _order(page)[:3] == ranked
    assert set(_order(page)[3:]) == {"Draft Diggers", "Invited Inc"}
    for name, status in (("Draft Diggers", "In progress"), ("Invited Inc", "Invited")):
        row = page.split(f'<tr data-contractor="{name}"', 1)[1].split("</tr>")[0]
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        assert cells[0] == status
        dash = "\u2013"
        assert cells[1] == dash and cells[2] == "" and cells[3] == dash  # score, band, red flags
        assert all(cell == dash for cell in cells[5:])  # no theme scores

    query = _query(chosen)
    rows = list(
        csv.reader(
            io.StringIO(
                admin_client.get("/contractors/compare.csv?" + query)
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    header, body = rows[0], {row[0]: row for row in rows[1:]}
    for name in ("Draft Diggers", "Invited Inc"):
        for column in ("Overall score", "Band", "Red flags"):
            assert body[name][header.index(column)] == ""
    assert body["Draft Diggers"][header.index("Completeness (%)")] == "100"

    sheet = load_workbook(io.BytesIO(admin_client.get("/contractors/compare.xlsx?" + query).data))
    xrows = list(sheet.active.iter_rows(values_only=True))
    xbody = {row[0]: row for row in xrows[1:]}
    assert xbody["Draft Diggers"][xrows[0].index("Red flags")] is None
    assert xbody["Draft Diggers"][xrows[0].index("Overall score")] is None

    pdf = admin_client.get("/contractors/compare.pdf?" + query).data
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    draft_line = next(line for line in text.splitlines() if "Draft Diggers" in line)
    draft_card = _scores([draft])["Draft Diggers"]
    assert str(round(draft_card.overall)) not in draft_line


def test_the_pdf_keeps_references_whole_and_band_names_unhyphenated(admin_client, admin, three):
    for contractor in three:
        contractor.reference = "NB-2026-TENDER-0042-LOT-7"
    db.session.commit()
    pdf = admin_client.get("/contractors/compare.pdf?" + _query(three)).data
    lines = [
        line.strip()
        for page in PdfReader(io.BytesIO(pdf)).pages
        for line in page.extract_text().splitlines()
    ]
    assert sum(line.count("NB-2026-TENDER-0042-LOT-7") for line in lines) == 3
    bands = {card.band.label for card in _scores(three).values() if card.band}
    assert bands
    for band in bands:
        # A hyphenated band name would end a line with the start of the word and a hyphen.
        assert not any(
            line.endswith("-") and band.startswith(line.split()[-1][:-1])
            for line in lines
            if line.split()
        )
