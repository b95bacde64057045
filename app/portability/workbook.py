"""The offline questionnaire as an XLSX workbook, and reading a filled one back.

One sheet per theme, one row per question: the question key in a hidden column A, the
question, an answer cell with a drop-down list of the options (data validation over a hidden
sheet of options, so option labels may hold commas), the reason when not applicable, and a
comment. An "About" sheet names the questionnaire's key, version and content hash.

Reading a workbook back checks all of it before anything is saved and names every problem by
sheet and cell: an unknown option, a missing N/A reason, a changed question key, a workbook
for another questionnaire version.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

import questionnaires as engine
from app import exports
from app.assessments.answers import AnswerInput, answer_state, check_answer
from app.assessments.autosave import save_answer
from app.assessments.errors import InvalidAnswer
from app.assessments.queries import questionnaire_of, shown_questionnaire, stored_answers
from app.models import Answer, Assessment
from app.scoping import Principal
from questionnaires.model import SINGLE_CHOICE_TYPES

FORMAT = "ddcheck-workbook 1"
ABOUT = "About"
OPTIONS = "Options"
FIRST_ROW = 2
KEY, NUMBER, QUESTION, ANSWER, NA_REASON, COMMENT, HELP = "ABCDEFG"
# The word that marks a question not applicable, offered in the drop-down where allowed.
NOT_APPLICABLE = "Not applicable"
MULTIPLE_SEPARATOR = ";"
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


class WorkbookRefused(ValueError):
    """The workbook cannot be read back; `problems` lists each one by sheet and cell."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def sheet_names(questionnaire: engine.Questionnaire) -> dict[str, str]:
    """A sheet name per theme key: the theme's number and title, within Excel's 31 characters."""
    names = {}
    for number, theme in enumerate(questionnaire.themes, start=1):
        title = _SHEET_UNSAFE.sub(" ", theme.title).strip()
        names[theme.key] = f"{number} {title}"[:31].rstrip()
    return names


def _value_text(question, value: Any) -> str | float | None:
    """A stored value as the workbook shows it: option labels, numbers, text."""
    if value is None:
        return None
    if question.type == "number":
        return value
    labels = {o.value: o.label for o in question.choices}
    if isinstance(value, list):
        return f"{MULTIPLE_SEPARATOR} ".join(labels.get(v, v) for v in value)
    return labels.get(value, value)


def _options_hint(question) -> str:
    if question.type == "multiple":
        return _("Choose any of, separated by “;”: ") + "; ".join(o.label for o in question.choices)
    if question.type == "number":
        unit = f" ({question.unit})" if question.unit else ""
        return _("A number") + unit
    if question.type == "text":
        return _("Your own words")
    return _("Choose from the list")


def build(
    questionnaire: engine.Questionnaire,
    answers: dict[str, Answer] | None = None,
    *,
    original: engine.Questionnaire | None = None,
) -> bytes:
    """The workbook of a questionnaire, filled with `answers` where given.

    `questionnaire` gives the words (a translation, for an assessment in another language);
    `original`, the stored version it translates, gives the identity the upload is checked
    against. The headings are in the current locale (see `force_locale`).
    """
    answers = answers or {}
    identity = original or questionnaire
    book = Workbook()
    about = book.active
    about.title = ABOUT
    rows = [
        (_("ddcheck questionnaire workbook"), None),
        (_("Questionnaire"), questionnaire.title),
        ("key", identity.key),
        ("version", identity.version),
        ("content hash", identity.content_hash),
        ("format", FORMAT),
        (None, None),
        (
            _("How to fill it in"),
            _(
                "Answer on each theme's sheet: choose from the list in the Answer column, or "
                "write a number or text where asked. Where a question allows it, choose “%(na)s” "
                "and say why in the next column. Do not change column A, the sheet names or this "
                "sheet: they tell ddcheck which question each answer belongs to.",
                na=NOT_APPLICABLE,
            ),
        ),
    ]
    for row in rows:
        exports.append_row(about, row)
    about["A1"].font = Font(bold=True, size=14)
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 100
    about["B8"].alignment = Alignment(wrap_text=True)

    options = book.create_sheet(OPTIONS)
    options.sheet_state = "hidden"
    option_column = 0
    header_fill = PatternFill("solid", fgColor="DDE4EE")
    names = sheet_names(questionnaire)
    for number, theme in enumerate(questionnaire.themes, start=1):
        sheet = book.create_sheet(names[theme.key])
        exports.append_row(
            sheet,
            [
                "key",
                _("No."),
                _("Question"),
                _("Answer"),
                _("Not applicable: why"),
                _("Comment or evidence"),
                _("How to answer"),
            ],
        )
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = header_fill
        sheet.freeze_panes = "C2"
        sheet.column_dimensions[KEY].hidden = True
        for column, width in zip(
            QUESTION + ANSWER + NA_REASON + COMMENT + HELP, (70, 32, 32, 40, 40), strict=True
        ):
            sheet.column_dimensions[column].width = width
        for index, question in enumerate(questionnaire.questions_in(theme.key)):
            row = FIRST_ROW + index
            stored = answers.get(question.key)
            value = None
            if stored is not None:
                value = NOT_APPLICABLE if stored.na_reason else _value_text(question, stored.value)
            exports.append_row(
                sheet,
                [
                    question.key,
                    f"{number}.{index + 1}",
                    question.text,
                    value,
                    stored.na_reason if stored is not None else None,
                    stored.comment if stored is not None else None,
                    _options_hint(question)
                    + ("" if question.allow_na else " · " + _("cannot be marked not applicable")),
                ],
            )
            for column in (QUESTION, HELP):
                sheet[f"{column}{row}"].alignment = Alignment(wrap_text=True, vertical="top")
            if question.type in SINGLE_CHOICE_TYPES:
                labels = [o.label for o in question.choices]
                if question.allow_na:
                    labels.append(NOT_APPLICABLE)
                option_column += 1
                letter = get_column_letter(option_column)
                for place, label in enumerate(labels, start=1):
                    exports.write_cell(options.cell(row=place, column=option_column), label)
                validation = DataValidation(
                    type="list",
                    formula1=f"{OPTIONS}!${letter}$1:${letter}${len(labels)}",
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle=_("Not an option"),
                    error=_("Choose one of the options of the list."),
                )
                sheet.add_data_validation(validation)
                validation.add(f"{ANSWER}{row}")
    return exports.save(book)


def file_name(questionnaire: engine.Questionnaire) -> str:
    return f"questionnaire-{questionnaire.key}-{questionnaire.version}.xlsx"


# --- reading back --------------------------------------------------------------------------


@dataclass
class ReadWorkbook:
    answers: dict[str, AnswerInput] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\x00", "").strip()


def _option_value(question, given: str) -> str | None:
    wanted = given.casefold()
    for option in question.choices:
        if wanted in (option.label.casefold(), option.value.casefold()):
            return option.value
    return None


def read(
    data: bytes,
    questionnaire: engine.Questionnaire,
    *,
    original: engine.Questionnaire | None = None,
) -> ReadWorkbook:
    """Every answer of a filled workbook, checked against the questionnaire; the problems name
    their sheet and cell. Blank rows are left out (they change nothing).

    As in `build`, `questionnaire` gives the words and `original` the identity; a workbook
    downloaded in the original's words is read too (its sheets and labels are the original's).
    """
    identity = original or questionnaire
    result = ReadWorkbook()
    problems = result.problems
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise WorkbookRefused(
            [_("The file is not an XLSX workbook (%(error)s).", error=error.__class__.__name__)]
        ) from error
    if ABOUT not in book.sheetnames:
        raise WorkbookRefused(
            [
                _(
                    "The workbook has no sheet “%(sheet)s”: it is not a ddcheck questionnaire "
                    "workbook.",
                    sheet=ABOUT,
                )
            ]
        )
    about = {
        _text(row[0].value): (_text(row[1].value), f"B{row[0].row}")
        for row in book[ABOUT].iter_rows(min_row=1, max_row=20, max_col=2)
        if len(row) == 2
    }
    key, _key_cell = about.get("key", ("", "B3"))
    version, version_cell = about.get("version", ("", "B4"))
    content_hash, hash_cell = about.get("content hash", ("", "B5"))
    if key != identity.key or content_hash != identity.content_hash:
        raise WorkbookRefused(
            [
                _(
                    "Sheet “%(sheet)s”, cells %(cells)s: the workbook is for questionnaire "
                    "“%(key)s” version %(version)s, but this assessment answers “%(title)s” "
                    "version %(ours)s. Download the workbook of this assessment.",
                    sheet=ABOUT,
                    cells=f"{version_cell} and {hash_cell}",
                    key=key or "?",
                    version=version or "?",
                    title=questionnaire.title,
                    ours=identity.version,
                )
            ]
        )
    names = sheet_names(questionnaire)
    if identity is not questionnaire and not set(names.values()) & set(book.sheetnames):
        questionnaire = identity  # downloaded in the original's words
        names = sheet_names(questionnaire)
    for theme in questionnaire.themes:
        name = names[theme.key]
        if name not in book.sheetnames:
            problems.append(_("The sheet “%(sheet)s” is missing.", sheet=name))
            continue
        sheet = book[name]
        for index, question in enumerate(questionnaire.questions_in(theme.key)):
            row = FIRST_ROW + index
            _read_row(sheet, name, row, question, result)
        last = FIRST_ROW + len(questionnaire.questions_in(theme.key))
        for extra in sheet.iter_rows(min_row=last, max_col=1):
            if _text(extra[0].value):
                problems.append(
                    _(
                        "Sheet “%(sheet)s”, cell %(cell)s: the question key “%(key)s” is not a "
                        "question of this theme; do not add rows or change column A.",
                        sheet=name,
                        cell=extra[0].coordinate,
                        key=_text(extra[0].value)[:100],
                    )
                )
    return result


def _read_row(sheet, name: str, row: int, question, result: ReadWorkbook) -> None:
    problems = result.problems

    def problem(column: str, message: str) -> None:
        problems.append(
            _(
                "Sheet “%(sheet)s”, cell %(cell)s: %(message)s",
                sheet=name,
                cell=f"{column}{row}",
                message=message,
            )
        )

    found_key = _text(sheet[f"{KEY}{row}"].value)
    if found_key != question.key:
        problem(
            KEY,
            _(
                "the question key was changed from “%(expected)s” to “%(found)s”; do not change "
                "column A or the order of the rows.",
                expected=question.key,
                found=found_key[:100],
            ),
        )
        return
    raw = sheet[f"{ANSWER}{row}"].value
    given = _text(raw)
    reason = _text(sheet[f"{NA_REASON}{row}"].value)
    comment = _text(sheet[f"{COMMENT}{row}"].value)
    if not given and not reason and not comment:
        return
    not_applicable = given.casefold() == NOT_APPLICABLE.casefold() or (not given and reason)
    if not_applicable:
        if not question.allow_na:
            problem(ANSWER, _("this question cannot be marked not applicable."))
            return
        if not reason:
            problem(NA_REASON, _("say why the question does not apply."))
            return
        result.answers[question.key] = AnswerInput(na=True, na_reason=reason, comment=comment)
        return
    value: Any = None
    if given:
        if question.type == "multiple":
            value = []
            for part in (p.strip() for p in given.split(MULTIPLE_SEPARATOR)):
                if not part:
                    continue
                option = _option_value(question, part)
                if option is None:
                    problem(ANSWER, _not_an_option(question, part))
                    return
                value.append(option)
        elif question.type == "number":
            value = raw if isinstance(raw, int | float) and not isinstance(raw, bool) else given
        elif question.type == "text":
            value = given
        else:
            value = _option_value(question, given)
            if value is None:
                problem(ANSWER, _not_an_option(question, given))
                return
    try:
        checked = check_answer(question, AnswerInput(value=value, comment=comment))
    except InvalidAnswer as error:
        problem(ANSWER, str(error))
        return
    result.answers[question.key] = checked


def _not_an_option(question, given: str) -> str:
    return _(
        "“%(given)s” is not one of the options (%(options)s).",
        given=given[:80],
        options="; ".join(o.label for o in question.choices),
    )


def fill_draft(assessment: Assessment, data: bytes, principal: Principal) -> int:
    """Save the answers of a filled workbook into a draft, each through the ordinary save (so
    each is audited); nothing is saved unless the whole workbook is valid.

    Returns the number of answers that changed.
    """
    result = read(
        data,
        shown_questionnaire(assessment),
        original=questionnaire_of(assessment),
    )
    if result.problems:
        raise WorkbookRefused(result.problems)
    stored = stored_answers(assessment)
    changed = 0
    for key, given in result.answers.items():
        current = stored.get(key)
        before = answer_state(current)
        saved = save_answer(
            assessment,
            key,
            given,
            base_revision=current.revision if current else 0,
            principal=principal,
            progress=False,
        )
        changed += int(saved.saved and before != given.state())
    return changed
