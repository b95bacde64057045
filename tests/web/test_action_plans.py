"""The action plan of a submitted assessment: responses to every gap, done, filters, exports,
the audit trail and who may see or change it."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.content import content
from app.extensions import db
from app.models import ActionItem, ActionResponse, Assessment, AuditEntry, utc_today
from tests import factories


@pytest.fixture
def supplier(app):
    return content().get("supplier")


@pytest.fixture
def critical(supplier):
    return next(q for q in supplier.questions if q.critical is not None and q.show_if is None)


@pytest.fixture
def plain(supplier):
    return next(
        q
        for q in supplier.questions
        if q.critical is None and q.type == "maturity" and q.show_if is None
    )


@pytest.fixture
def submitted(admin, admin_client, supplier, critical, plain):
    assessment = factories.make_assessment(admin.organisation, admin, subject="Harbour mill")
    factories.answer(assessment, critical.key, factories.worst_option(supplier, critical))
    factories.answer(assessment, plain.key, factories.worst_option(supplier, plain))
    assert admin_client.post(f"/assessments/{assessment.id}/submit").status_code == 302
    return assessment


def url(assessment, tail=""):
    return f"/assessments/{assessment.id}/action-plan{tail}"


def test_the_plan_lists_every_gap_with_red_flags_first(admin_client, submitted, critical, plain):
    page = admin_client.get(url(submitted)).get_data(as_text=True)
    assert critical.critical.red_flag in page
    assert page.index(critical.critical.red_flag) < page.index(plain.text)
    assert critical.action in page and plain.action in page


def test_accepting_needs_an_action_an_owner_and_a_due_date(admin_client, submitted, plain, admin):
    response = admin_client.post(
        url(submitted, f"/{plain.key}"), data={"response": "accepted", "action": "Do it"}
    )
    assert response.status_code == 200
    assert "To accept, give an owner and a due date." in response.get_data(as_text=True)
    assert db.session.scalar(select(ActionItem)) is None
    due = (utc_today() + timedelta(days=30)).isoformat()
    response = admin_client.post(
        url(submitted, f"/{plain.key}"),
        data={"response": "accepted", "action": "Do it", "owner": str(admin.id), "due_on": due},
    )
    assert response.status_code == 302
    item = db.session.scalar(select(ActionItem))
    assert item.response == ActionResponse.ACCEPTED and item.owner_id == admin.id
    assert item.due_on.isoformat() == due


def test_a_red_flag_is_declined_only_with_a_reason_of_a_sentence(admin_client, submitted, critical):
    response = admin_client.post(
        url(submitted, f"/{critical.key}"), data={"response": "declined", "decline_reason": "no"}
    )
    assert response.status_code == 200
    assert "at least a sentence" in response.get_data(as_text=True)
    assert db.session.scalar(select(ActionItem)) is None
    reason = "The agency fee was refunded to every worker and the agency was replaced in May."
    response = admin_client.post(
        url(submitted, f"/{critical.key}"), data={"response": "declined", "decline_reason": reason}
    )
    assert response.status_code == 302
    assert db.session.scalar(select(ActionItem)).decline_reason == reason


def test_an_action_is_marked_done_and_every_change_is_in_the_history(
    admin_client, submitted, plain
):
    admin_client.post(
        url(submitted, f"/{plain.key}"), data={"response": "in-progress", "action": "Training"}
    )
    response = admin_client.post(url(submitted, f"/{plain.key}/done"), data={"note": "Held"})
    assert response.status_code == 302
    item = db.session.scalar(select(ActionItem))
    assert item.is_done and item.done_note == "Held"
    events = [e.event for e in db.session.scalars(select(AuditEntry))]
    assert "action-plan-response" in events and "action-done" in events
    history = admin_client.get(f"/assessments/{submitted.id}/history").get_data(as_text=True)
    assert "Action marked done" in history and "Training" in history


def test_filters_by_status_owner_and_overdue(admin_client, submitted, plain, critical, admin):
    past = (utc_today() - timedelta(days=3)).isoformat()
    admin_client.post(
        url(submitted, f"/{plain.key}"),
        data={"response": "accepted", "action": "Act", "owner": str(admin.id), "due_on": past},
    )
    overdue = admin_client.get(url(submitted, "?status=overdue")).get_data(as_text=True)
    assert f'data-plan-item="{plain.key}"' in overdue
    assert f'data-plan-item="{critical.key}"' not in overdue
    open_items = admin_client.get(url(submitted, "?status=open")).get_data(as_text=True)
    assert f'data-plan-item="{critical.key}"' in open_items
    assert f'data-plan-item="{plain.key}"' not in open_items
    mine = admin_client.get(url(submitted, "?owner=" + admin.name)).get_data(as_text=True)
    assert f'data-plan-item="{plain.key}"' in mine
    assert f'data-plan-item="{critical.key}"' not in mine
    assert admin_client.get(url(submitted, "?status=bogus&owner=x")).status_code == 200


def test_the_plan_downloads_as_csv_and_xlsx(admin_client, submitted, plain, critical):
    admin_client.post(
        url(submitted, f"/{plain.key}"), data={"response": "in-progress", "action": "Training"}
    )
    response = admin_client.get(url(submitted, ".csv"))
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Question"
    by_question = {row[0]: row for row in rows[1:]}
    assert by_question[plain.text][4] == "Already in progress"
    assert by_question[plain.text][5] == "Training"
    assert by_question[critical.text][2] == critical.critical.red_flag
    workbook = load_workbook(io.BytesIO(admin_client.get(url(submitted, ".xlsx")).data))
    sheet = workbook.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Question"
    assert any(row[0] == plain.text and row[5] == "Training" for row in values[1:])


def test_viewers_read_the_plan_but_do_not_change_it(viewer_client, submitted, plain):
    assert viewer_client.get(url(submitted)).status_code == 200
    assert viewer_client.get(url(submitted, f"/{plain.key}")).status_code == 403
    response = viewer_client.post(
        url(submitted, f"/{plain.key}"), data={"response": "in-progress", "action": "x"}
    )
    assert response.status_code == 403


def test_another_organisation_sees_nothing_of_the_plan(app, submitted, plain, other_admin):
    other = factories.signed_in(app.test_client(), other_admin)
    for tail in ("", f"/{plain.key}", ".csv", ".xlsx"):
        assert other.get(url(submitted, tail)).status_code == 404


def test_a_draft_has_no_plan_yet(admin_client, admin):
    draft = factories.make_assessment(admin.organisation, admin)
    response = admin_client.get(url(draft))
    assert response.status_code == 302
    assert response.location.endswith(f"/assessments/{draft.id}")


def test_an_unknown_question_is_not_found(admin_client, submitted):
    assert admin_client.get(url(submitted, "/no-such-question")).status_code == 404


def test_the_gap_report_carries_the_action_plan(admin_client, submitted, plain, critical, admin):
    from tests.reports.pdf_text import read_pdf

    due = (utc_today() + timedelta(days=20)).isoformat()
    admin_client.post(
        url(submitted, f"/{plain.key}"),
        data={
            "response": "accepted",
            "action": "Publish the policy in four languages",
            "owner": str(admin.id),
            "due_on": due,
        },
    )
    admin_client.post(url(submitted, f"/{plain.key}/done"), data={"note": "Posted in all sites"})
    pdf = read_pdf(admin_client.get(f"/assessments/{submitted.id}/report.pdf").data)
    assert pdf.contains("Action plan")
    assert pdf.contains("Accepted: Publish the policy in four languages")
    assert pdf.contains(f"owner {admin.name}")
    assert pdf.contains("Posted in all sites")
    # The red flag without a response is listed, first, as open.
    assert pdf.contains("Red flag. No response yet.")
    text = pdf.text
    plan_part = text[text.index("The organisation\u2019s response") :]
    assert plan_part.index("No response yet") < plan_part.index("Publish the policy")


def test_next_years_results_show_per_earlier_gap_if_it_improved_and_was_done(
    admin_client, submitted, plain, critical, supplier, admin
):
    admin_client.post(
        url(submitted, f"/{plain.key}"), data={"response": "in-progress", "action": "Training"}
    )
    admin_client.post(url(submitted, f"/{plain.key}/done"), data={"note": "Held"})
    admin_client.post(f"/assessments/{submitted.id}/next")
    successor = max(db.session.scalars(select(Assessment)), key=lambda a: a.id)
    factories.answer(successor, plain.key, factories.best_option(supplier, plain), user=admin)
    page = admin_client.get(f"/assessments/{successor.id}/results").get_data(as_text=True)
    section = page[page.index("data-follow-up") :]
    plain_row = section[section.index(f'data-follow-up-row="{plain.key}"') :]
    plain_row = plain_row[: plain_row.index("</tr>")]
    assert "Improved" in plain_row and "Done" in plain_row
    critical_row = section[section.index(f'data-follow-up-row="{critical.key}"') :]
    critical_row = critical_row[: critical_row.index("</tr>")]
    assert "Not improved" in critical_row and "no response in the plan" in critical_row


@pytest.mark.parametrize(
    "data",
    [
        {"response": "bogus"},
        {"response": "accepted", "action": "x", "owner": "999999", "due_on": "2026-13-45"},
        {"response": "accepted", "action": "x" * 10_000, "owner": "abc", "due_on": "\x00"},
        {"response": "declined", "decline_reason": "\x00" * 50},
        {"response": "in-progress", "action": "<script>alert(1)</script>"},
    ],
)
def test_wrong_values_reshow_the_form_and_save_nothing_wrong(
    admin_client, submitted, plain, data, other_admin
):
    response = admin_client.post(url(submitted, f"/{plain.key}"), data=data)
    assert response.status_code in (200, 302)
    item = db.session.scalar(select(ActionItem))
    if response.status_code == 200:
        assert item is None
        assert "Please correct the following" in response.get_data(
            as_text=True
        ) or "response-error" in response.get_data(as_text=True)
    else:
        assert item.owner_id != other_admin.id
        assert "<script>" not in admin_client.get(url(submitted)).get_data(as_text=True)


def test_a_done_note_that_is_too_long_is_refused_with_a_message(admin_client, submitted, plain):
    admin_client.post(
        url(submitted, f"/{plain.key}"), data={"response": "in-progress", "action": "Training"}
    )
    response = admin_client.post(url(submitted, f"/{plain.key}/done"), data={"note": "x" * 5000})
    assert response.status_code == 302
    page = admin_client.get(response.location).get_data(as_text=True)
    assert "4000" in page
    assert not db.session.scalar(select(ActionItem)).is_done


def test_every_recommendation_is_answered_on_the_plan_page_itself(
    admin_client, submitted, plain, critical, admin
):
    """One page, one form per row: no 'Respond' page per recommendation, and no script needed."""
    page = admin_client.get(url(submitted)).get_data(as_text=True)
    for question in (plain, critical):
        assert f'action="{url(submitted, f"/{question.key}/save")}"' in page
        assert f'name="{question.key}-response"' in page
    assert "Respond</a>" not in page

    # A refused row comes back with its error beside the fields it concerns; nothing saved.
    refused = admin_client.post(
        url(submitted, f"/{critical.key}/save"),
        data={f"{critical.key}-response": "accepted", f"{critical.key}-action": "Refund fees"},
    )
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    error = f'id="{critical.key}-owner-error"'
    assert error in body and "To accept, give an owner and a due date." in body
    due_field = body.split(f'id="{critical.key}-due_on"', 1)[0].rsplit("<input", 1)[1]
    assert 'aria-invalid="true"' in due_field and f"{critical.key}-owner-error" in due_field
    assert db.session.scalar(select(ActionItem)) is None
    assert "Refund fees</textarea>" in body  # kept as typed

    due = (utc_today() + timedelta(days=30)).isoformat()
    saved = admin_client.post(
        url(submitted, f"/{critical.key}/save"),
        data={
            f"{critical.key}-response": "accepted",
            f"{critical.key}-action": "Refund fees",
            f"{critical.key}-owner": str(admin.id),
            f"{critical.key}-due_on": due,
        },
    )
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"#item-{critical.key}")
    item = db.session.scalar(select(ActionItem))
    assert item.response == ActionResponse.ACCEPTED and item.due_on.isoformat() == due

    # A script gets the row back, redrawn with its new status.
    fetched = admin_client.post(
        url(submitted, f"/{plain.key}/save"),
        data={f"{plain.key}-response": "in-progress", f"{plain.key}-action": "Training"},
        headers={"X-Requested-With": "fetch"},
    )
    assert fetched.status_code == 200
    row = fetched.get_data(as_text=True)
    assert row.lstrip().startswith("<tr") and 'data-status="in-progress"' in row
    assert "Saved." in row


def test_a_formula_like_action_is_inert_in_both_downloads(admin_client, submitted, plain):
    action = "=HYPERLINK(1) \t=2"
    admin_client.post(
        url(submitted, f"/{plain.key}"), data={"response": "in-progress", "action": action}
    )
    rows = list(
        csv.reader(io.StringIO(admin_client.get(url(submitted, ".csv")).get_data(as_text=True)))
    )
    assert any(row[5] == "'" + action for row in rows)
    sheet = load_workbook(io.BytesIO(admin_client.get(url(submitted, ".xlsx")).data)).active
    cell = next(row[5] for row in sheet.iter_rows(min_row=2) if row[5].value == action)
    assert cell.data_type == "s" and cell.quotePrefix
