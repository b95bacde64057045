"""Every download keeps spreadsheet formulas out: text starting with = + - @, a tab or a
carriage return (also after spaces) comes out inert, CSVs start with a byte-order mark, and
download names survive letters outside ASCII."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from app import exports
from app.portability import workbook
from tests import factories

# Each starts the way OWASP's CSV-injection advice names, the last two after spaces.
DANGEROUS = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "  =1", " @x"]
HARMLESS = ["Acme Ltd", "a=b", "Café 5", ""]


def csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff"), "a CSV download starts with a byte-order mark"
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def assert_csv_inert(rows: list[list[str]], values: list[str]) -> None:
    cells = [cell for row in rows for cell in row]
    assert not any(exports.is_formula_like(cell) for cell in cells)
    for value in values:
        assert "'" + value in cells


def assert_xlsx_inert(sheet, values: list[str]) -> None:
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value}
    for value in values:
        # XML reads a carriage return back as a line feed.
        value = value.replace("\r", "\n")
        assert cells[value].data_type == "s" and cells[value].quotePrefix, repr(value)


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_formula_like_value_is_inert_in_csv_and_xlsx(value):
    assert exports.csv_cell(value) == "'" + value
    rows = csv_rows(exports.to_csv(["Name"], [[value]]))
    assert rows[1] == ["'" + value]
    sheet = load_workbook(io.BytesIO(exports.to_xlsx("T", ["Name"], [[value]]))).active
    assert_xlsx_inert(sheet, [value])


@pytest.mark.parametrize("value", [*HARMLESS, -5, 3.5, None])
def test_other_values_are_written_as_they_are(value):
    assert exports.csv_cell(value) == ("" if value is None else value)
    sheet = load_workbook(io.BytesIO(exports.to_xlsx("T", ["Name"], [[value]]))).active
    assert sheet["A2"].value == (value or None) and not sheet["A2"].quotePrefix


def test_download_names_outside_ascii_are_sent_per_rfc_5987():
    assert exports.content_disposition("plan-a.csv") == 'attachment; filename="plan-a.csv"'
    header = exports.content_disposition("план-Café.csv")
    assert 'filename="Cafe.csv"' in header
    assert "filename*=UTF-8''%D0%BF%D0%BB%D0%B0%D0%BD-Caf%C3%A9.csv" in header
    assert exports.attachment("x", "plan.csv").mimetype == "text/csv"


def test_contractor_names_are_inert_in_the_comparison_downloads(admin, admin_client):
    contractors = [factories.make_contractor(admin.organisation, admin, v)[0] for v in DANGEROUS]
    query = "&".join(f"ids={c.assessment_id}" for c in contractors)
    assert_csv_inert(
        csv_rows(admin_client.get(f"/contractors/compare.csv?{query}").get_data(as_text=True)),
        DANGEROUS,
    )
    book = load_workbook(io.BytesIO(admin_client.get(f"/contractors/compare.xlsx?{query}").data))
    assert_xlsx_inert(book.active, DANGEROUS)


def test_member_names_are_inert_in_the_organisation_export(admin, admin_client):
    for value in DANGEROUS:
        factories.make_user(admin.organisation, "viewer", name=value)
    archive = zipfile.ZipFile(io.BytesIO(admin_client.get("/organisation/export.zip").data))
    for name in archive.namelist():
        if name.endswith(".csv"):
            rows = csv_rows(archive.read(name).decode("utf-8"))
            assert not any(exports.is_formula_like(cell) for row in rows for cell in row)
    assert_csv_inert(csv_rows(archive.read("members.csv").decode("utf-8")), DANGEROUS)


def test_a_formula_like_comment_stays_text_in_the_workbook_and_reads_back(admin, admin_client):
    assessment = factories.make_assessment(admin.organisation, admin)
    question = factories.content_questionnaire("supplier").questions[0]
    factories.answer(
        assessment, question.key, question.choices[0].value, user=admin, comment="=HYPERLINK(1)"
    )
    data = admin_client.get(f"/assessments/{assessment.id}/workbook.xlsx").data
    sheet = load_workbook(io.BytesIO(data)).worksheets[2]
    assert_xlsx_inert(sheet, ["=HYPERLINK(1)"])
    read = workbook.read(data, factories.content_questionnaire("supplier"))
    assert read.answers[question.key].comment == "=HYPERLINK(1)"
