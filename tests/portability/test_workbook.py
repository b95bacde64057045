"""The offline questionnaire workbook: download -> fill with openpyxl -> upload gives the same
answers as the web form; a workbook with any problem is refused naming sheet and cell, and
nothing of it is saved."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

import questionnaires as engine
from app.assessments.queries import engine_answers, stored_answers
from app.content import content
from app.extensions import db
from app.portability import workbook
from tests import factories


@pytest.fixture
def supplier(app):
    # The buyer questionnaire: it has questions that may be marked not applicable.
    return content().get("buyer")


def _upload(client, assessment, data: bytes):
    return client.post(
        f"/assessments/{assessment.id}/workbook",
        data={"file": (io.BytesIO(data), "filled.xlsx")},
    )


def _book(client, url="/questionnaires/buyer/workbook.xlsx"):
    response = client.get(url)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.data))


def _save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(book, questionnaire, key, column):
    question = questionnaire.question(key)
    sheet = book[workbook.sheet_names(questionnaire)[question.theme]]
    row = workbook.FIRST_ROW + list(questionnaire.questions_in(question.theme)).index(question)
    return sheet, f"{column}{row}"


def _label(question, value):
    labels = {o.label: o for o in question.choices}
    by_value = {o.value: o.label for o in question.choices}
    assert labels
    if isinstance(value, list):
        return "; ".join(by_value[v] for v in value)
    return by_value[value]


def test_the_workbook_has_a_sheet_per_theme_drop_downs_and_hidden_keys(admin_client, supplier):
    book = _book(admin_client)
    names = workbook.sheet_names(supplier)
    assert book.sheetnames[0] == "About"
    assert set(names.values()) <= set(book.sheetnames)
    about = {row[0].value: row[1].value for row in book["About"].iter_rows(max_col=2)}
    assert about["key"] == "buyer" and about["version"] == supplier.version
    assert about["content hash"] == supplier.content_hash
    sheet = book[names[supplier.themes[0].key]]
    assert sheet.column_dimensions["A"].hidden
    first = supplier.questions_in(supplier.themes[0].key)[0]
    assert sheet["A2"].value == first.key and sheet["C2"].value == first.text
    validations = sheet.data_validations.dataValidation
    assert validations and all(v.type == "list" for v in validations)
    assert any("D2" in str(v.sqref) for v in validations)


def test_download_fill_upload_gives_the_same_answers_as_the_web_form(
    app, admin, admin_client, supplier
):
    given = engine.sample_answers(supplier, seed=7)
    na = next(q for q in supplier.questions if q.allow_na)
    reason = "We use no labour providers anywhere in our operations."

    by_form = factories.make_assessment(
        admin.organisation, admin, subject="By form", questionnaire="buyer"
    )
    for theme in supplier.themes:
        data = {}
        for question in supplier.questions_in(theme.key):
            data[f"{question.key}__revision"] = "0"
            if question.key == na.key:
                data[f"{question.key}__na"] = "y"
                data[f"{question.key}__na_reason"] = reason
                continue
            answer = given.get(question.key)
            if answer is None:
                continue
            value = answer.value
            if isinstance(value, list):
                data[f"{question.key}__value"] = value
            elif value is not None:
                data[f"{question.key}__value"] = (
                    f"{value:g}" if isinstance(value, float) else str(value)
                )
            data[f"{question.key}__comment"] = answer.comment or ""
        response = admin_client.post(f"/assessments/{by_form.id}/themes/{theme.key}", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    by_workbook = factories.make_assessment(
        admin.organisation, admin, subject="Offline", questionnaire="buyer"
    )
    book = _book(admin_client, f"/assessments/{by_workbook.id}/workbook.xlsx")
    for key, answer in given.items():
        question = supplier.question(key)
        sheet, cell = _cell(book, supplier, key, workbook.ANSWER)
        if key == na.key:
            sheet[cell] = workbook.NOT_APPLICABLE
            sheet[cell.replace(workbook.ANSWER, workbook.NA_REASON)] = reason
            continue
        if answer.value is None:
            continue
        if question.type in ("number", "text"):
            sheet[cell] = answer.value
        else:
            sheet[cell] = _label(question, answer.value)
        if answer.comment:
            sheet[cell.replace(workbook.ANSWER, workbook.COMMENT)] = answer.comment
    if na.key not in given:
        sheet, cell = _cell(book, supplier, na.key, workbook.ANSWER)
        sheet[cell] = workbook.NOT_APPLICABLE
        sheet[cell.replace(workbook.ANSWER, workbook.NA_REASON)] = reason
    response = _upload(admin_client, by_workbook, _save(book))
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]

    assert engine_answers(by_workbook) == engine_answers(by_form)
    # Downloaded again, the workbook shows the saved answers.
    again = _book(admin_client, f"/assessments/{by_workbook.id}/workbook.xlsx")
    sheet, cell = _cell(again, supplier, na.key, workbook.NA_REASON)
    assert sheet[cell].value == reason


def test_a_wrong_option_in_one_cell_is_refused_naming_sheet_and_cell(admin, admin_client, supplier):
    assessment = factories.make_assessment(admin.organisation, admin, questionnaire="buyer")
    book = _book(admin_client)
    choice = [q for q in supplier.questions if q.type == "maturity"]
    good, bad = choice[0], choice[1]
    sheet, cell = _cell(book, supplier, good.key, workbook.ANSWER)
    sheet[cell] = good.choices[-1].label
    bad_sheet, bad_cell = _cell(book, supplier, bad.key, workbook.ANSWER)
    bad_sheet[bad_cell] = "Maybe, sometimes"
    response = _upload(admin_client, assessment, _save(book))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"Sheet “{bad_sheet.title}”, cell {bad_cell}" in page
    assert "Maybe, sometimes" in page and "is not one of the options" in page
    assert stored_answers(assessment) == {}


def test_every_problem_is_listed_and_nothing_is_saved(admin, admin_client, supplier):
    assessment = factories.make_assessment(admin.organisation, admin, questionnaire="buyer")
    book = _book(admin_client)
    not_na = next(q for q in supplier.questions if not q.allow_na and q.type == "maturity")
    na = next(q for q in supplier.questions if q.allow_na)
    moved = supplier.questions[-1]
    first = supplier.questions[0]
    sheet, cell = _cell(book, supplier, first.key, workbook.ANSWER)
    sheet[cell] = first.choices[0].label
    sheet, cell = _cell(book, supplier, not_na.key, workbook.ANSWER)
    sheet[cell] = workbook.NOT_APPLICABLE
    sheet[cell.replace(workbook.ANSWER, workbook.NA_REASON)] = "No reason needed"
    na_sheet, na_cell = _cell(book, supplier, na.key, workbook.ANSWER)
    na_sheet[na_cell] = workbook.NOT_APPLICABLE
    key_sheet, key_cell = _cell(book, supplier, moved.key, workbook.KEY)
    key_sheet[key_cell] = "renamed-question"
    page = _upload(admin_client, assessment, _save(book)).get_data(as_text=True)
    assert "cannot be marked not applicable" in page
    assert f"cell {na_cell.replace(workbook.ANSWER, workbook.NA_REASON)}" in page
    assert "say why the question does not apply" in page
    assert f"Sheet “{key_sheet.title}”, cell {key_cell}" in page and "renamed-question" in page
    assert stored_answers(assessment) == {}


def test_a_workbook_for_another_version_or_no_workbook_at_all_is_refused(
    admin, admin_client, supplier
):
    assessment = factories.make_assessment(admin.organisation, admin, questionnaire="buyer")
    book = _book(admin_client)
    book["About"]["B5"] = "0" * 64
    book["About"]["B4"] = "2001.1"
    page = _upload(admin_client, assessment, _save(book)).get_data(as_text=True)
    assert "Sheet “About”" in page and "version 2001.1" in page
    page = _upload(admin_client, assessment, b"PK\x03\x04 truncated").get_data(as_text=True)
    assert "not an XLSX workbook" in page
    buyer = _book(admin_client, "/questionnaires/supplier/workbook.xlsx")
    page = _upload(admin_client, assessment, _save(buyer)).get_data(as_text=True)
    assert "workbook is for questionnaire “supplier”" in page
    assert stored_answers(assessment) == {}


def test_only_those_who_answer_a_draft_upload_into_it(
    admin, viewer_client, other_client, admin_client
):
    assessment = factories.make_assessment(admin.organisation, admin, questionnaire="buyer")
    assert viewer_client.get(f"/assessments/{assessment.id}/workbook").status_code == 403
    assert other_client.get(f"/assessments/{assessment.id}/workbook").status_code == 404
    assert admin_client.get("/questionnaires/nope/workbook.xlsx").status_code == 404


def test_a_german_assessments_workbook_is_in_german_and_reads_back(app, admin, admin_client):
    # The reader's interface is English; the assessment is in German.
    assessment = factories.make_assessment(
        admin.organisation, admin, subject="Lieferant", questionnaire="buyer"
    )
    assessment.language = "de"
    db.session.commit()
    german = content().in_language(content().get("buyer"), "de")
    response = admin_client.get(
        f"/assessments/{assessment.id}/workbook.xlsx", headers={"Accept-Language": "en"}
    )
    book = load_workbook(io.BytesIO(response.data))
    names = workbook.sheet_names(german)
    assert set(names.values()) <= set(book.sheetnames)
    sheet = book[names[german.themes[0].key]]
    headings = [cell.value for cell in sheet[1]]
    assert "Frage" in headings and "Question" not in headings
    assert "Nr." in headings  # the question number, not "Nein." (no)
    first = german.questions_in(german.themes[0].key)[0]
    assert sheet["C2"].value == first.text
    # Answered with a German option label, it reads back into the assessment.
    choice = next(q for q in german.questions if q.type in ("maturity", "yes-partly-no"))
    sheet, cell = _cell(book, german, choice.key, workbook.ANSWER)
    sheet[cell] = choice.choices[-1].label
    assert _upload(admin_client, assessment, _save(book)).status_code == 302
    assert engine_answers(assessment)[choice.key].value == choice.choices[-1].value
