"""A buyer invites a contractor by link, follows its status, reviews and returns its answers;
the contractor answers without an account through that link."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

import questionnaires as engine
from app import mail
from app.contractors.invitations import RedactInvitationTokens
from app.extensions import db
from app.models import (
    Assessment,
    AssessmentKind,
    AuditEntry,
    ColleagueInvitation,
    ContractorAssessment,
    ContractorInvitation,
    Role,
    utc_today,
    utcnow,
)
from tests import factories


def _status(client, name: str) -> str:
    page = client.get("/contractors/").get_data(as_text=True)
    row = page.split(f'data-contractor="{name}"', 1)[1].split("</tr>", 1)[0]
    return row.split('data-status="', 1)[1].split('"', 1)[0]


def _open(client, token: str):
    return client.get(f"/invitation/{token}")


def _first_question(questionnaire):
    return next(q for q in questionnaire.questions if q.type == "yes-partly-no" and not q.show_if)


def test_the_buyer_creates_a_contractor_assessment_and_gets_a_link_to_copy(admin_client, admin):
    response = admin_client.post(
        "/contractors/new",
        data={
            "contractor_name": "Northwind Cleaning",
            "contact_email": "Office@Northwind.example",
            "reference": "TENDER-2026-14",
            "questionnaire": "supplier",
            "deadline": "2026-12-31",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    link = page.split('id="invitation-link" type="text" readonly value="', 1)[1].split('"')[0]
    token = link.rsplit("/invitation/", 1)[1]
    assert len(token) >= 40
    assert "Copy the link" in page and "No email was sent" in page
    assert "no-store" in response.headers["Cache-Control"]

    contractor = db.session.scalar(select(ContractorAssessment))
    assert contractor.contractor_name == "Northwind Cleaning"
    assert contractor.contact_email == "office@northwind.example"
    assert contractor.deadline.isoformat() == "2026-12-31"
    assert contractor.assessment.kind == AssessmentKind.CONTRACTOR
    assert contractor.assessment.organisation_id == admin.organisation_id
    assert contractor.assessment.questionnaire_version.key == "supplier"
    # Only the hash of the token is stored.
    invitation = db.session.scalar(select(ContractorInvitation))
    assert token not in (invitation.token_hash, contractor.contact_email)
    assert ContractorInvitation.by_token(token).id == invitation.id

    assert _status(admin_client, "Northwind Cleaning") == "invited"
    # A contractor assessment is not one of the organisation's own self-assessments.
    assert "Northwind Cleaning" not in admin_client.get("/assessments/").get_data(as_text=True)


def test_reloading_the_link_page_creates_nothing_and_shows_the_link_once(admin_client):
    """Post/redirect/get: the link page can be reloaded without inviting the contractor again."""
    form = {"contractor_name": "Once Only Ltd", "contact_email": "a@once.example"}
    response = admin_client.post("/contractors/new", data={**form, "questionnaire": "supplier"})
    assert response.status_code == 302
    link_page = response.headers["Location"]
    first = admin_client.get(link_page)
    assert 'id="invitation-link"' in first.get_data(as_text=True)
    assert "no-store" in first.headers["Cache-Control"]
    again = admin_client.get(link_page)
    page = again.get_data(as_text=True)
    assert again.status_code == 200
    assert 'id="invitation-link"' not in page and "cannot be shown again" in page
    assert len(db.session.scalars(select(ContractorAssessment)).all()) == 1
    assert len(db.session.scalars(select(ContractorInvitation)).all()) == 1


def test_a_wrong_value_reshows_the_form_with_the_error(admin_client):
    response = admin_client.post(
        "/contractors/new",
        data={
            "contractor_name": "Kept Name Ltd",
            "contact_email": "not an address",
            "questionnaire": "supplier",
            "deadline": "31/31/2026",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Please correct the following" in page
    assert 'value="Kept Name Ltd"' in page
    assert db.session.scalar(select(ContractorAssessment)) is None


def test_viewers_may_not_invite_contractors(viewer_client):
    assert viewer_client.get("/contractors/new").status_code == 403
    assert viewer_client.get("/contractors/").status_code == 200


def test_the_link_is_mailed_when_mail_is_configured(app, admin_client):
    app.config["MAIL_SERVER"] = "mail.example"
    page = admin_client.post(
        "/contractors/new",
        data={
            "contractor_name": "Mailed Ltd",
            "contact_email": "m@mailed.example",
            "questionnaire": "supplier",
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "An email with the link was sent to m@mailed.example" in page
    link = page.split('id="invitation-link" type="text" readonly value="', 1)[1].split('"')[0]
    sent = [(message.to, message.body) for message in mail.outbox(app)]
    assert sent == [("m@mailed.example", sent[0][1])] and link in sent[0][1]


def test_opening_the_link_moves_the_token_into_the_session(client, admin_client, admin):
    contractor, token = factories.make_contractor(admin.organisation, admin, "Alpha Build")
    response = _open(client, token)
    assert response.status_code == 302
    assert response.headers["Location"] == "/invitation/"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    home = client.get("/invitation/", follow_redirects=True)
    assert home.status_code == 200 and token not in home.request.url
    assert "Alpha Build" in home.get_data(as_text=True)
    assert _status(admin_client, "Alpha Build") == "opened"

    # Later visits work from the session alone; the pages the contractor uses carry no token.
    supplier = factories.content_questionnaire("supplier")
    question = _first_question(supplier)
    page = client.get(f"/assessments/{contractor.assessment_id}/themes/{question.theme}")
    assert page.status_code == 200 and token not in page.get_data(as_text=True)
    # Its way back to the start page, and nothing of the buyer's in the menu.
    assert 'href="/invitation/">Your questionnaire' in page.get_data(as_text=True)
    assert 'href="/contractors/"' not in page.get_data(as_text=True)
    saved = client.post(
        f"/assessments/{contractor.assessment_id}/answers/{question.key}",
        json={"value": "yes", "revision": 0},
    )
    assert saved.status_code == 200
    assert _status(admin_client, "Alpha Build") == "in-progress"
    listing = admin_client.get("/contractors/").get_data(as_text=True)
    assert "In progress" in listing and "%)" in listing
    history = admin_client.get(f"/assessments/{contractor.assessment_id}/history")
    assert "Alpha Build" in history.get_data(as_text=True)


def test_the_buyer_reads_but_does_not_answer_a_contractor_assessment(admin_client, admin):
    contractor, _token = factories.make_contractor(admin.organisation, admin)
    question = _first_question(factories.content_questionnaire("supplier"))
    response = admin_client.post(
        f"/assessments/{contractor.assessment_id}/answers/{question.key}",
        json={"value": "yes", "revision": 0},
    )
    assert response.status_code == 403
    assert admin_client.get(f"/assessments/{contractor.assessment_id}").status_code == 200


@pytest.mark.parametrize("state", ["revoked", "expired", "unknown"])
def test_a_dead_link_shows_a_clear_page(client, admin, state):
    contractor, token = factories.make_contractor(admin.organisation, admin)
    invitation = db.session.scalar(select(ContractorInvitation))
    if state == "revoked":
        invitation.revoked_at = utcnow()
    elif state == "expired":
        invitation.expires_at = utcnow() - timedelta(minutes=1)
    else:
        token = token[:-3] + "xyz"
    db.session.commit()
    response = _open(client, token)
    page = response.get_data(as_text=True)
    assert response.status_code == (404 if state == "unknown" else 410)
    assert "This invitation link no longer works" in page
    expected = {
        "revoked": "withdrawn or replaced",
        "expired": "has expired",
        "unknown": "incomplete or unknown",
    }[state]
    assert expected in page
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert client.get(f"/assessments/{contractor.assessment_id}").status_code == 302


def test_revoking_or_replacing_the_link_closes_an_open_session(client, admin_client, admin):
    contractor, token = factories.make_contractor(admin.organisation, admin, "Beta Works")
    _open(client, token)
    assert client.get(f"/assessments/{contractor.assessment_id}").status_code == 200

    reminder = admin_client.post(
        f"/contractors/{contractor.assessment_id}/reissue", follow_redirects=True
    )
    page = reminder.get_data(as_text=True)
    new_token = page.split('readonly value="', 1)[1].split('"')[0].rsplit("/", 1)[1]
    assert new_token != token
    assert client.get(f"/assessments/{contractor.assessment_id}").status_code == 302
    assert _open(client, token).status_code == 410
    assert _open(client, new_token).status_code == 302
    assert client.get(f"/assessments/{contractor.assessment_id}").status_code == 200

    admin_client.post(f"/contractors/{contractor.assessment_id}/revoke")
    assert client.get(f"/assessments/{contractor.assessment_id}").status_code == 302
    assert client.get("/invitation/").status_code == 410
    events = db.session.scalars(
        select(AuditEntry.event).where(AuditEntry.assessment_id == contractor.assessment_id)
    ).all()
    assert events.count("link-issued") == 2 and "link-revoked" in events


@pytest.mark.parametrize("results_visible", [False, True])
def test_after_submitting_the_contractor_sees_results_only_if_allowed(
    client, admin, results_visible
):
    contractor, token = factories.make_contractor(
        admin.organisation, admin, results_visible=results_visible
    )
    _open(client, token)
    response = client.post(f"/assessments/{contractor.assessment_id}/submit")
    assert response.headers["Location"] == "/invitation/"
    home = client.get("/invitation/").get_data(as_text=True)
    assert "Your answers were submitted" in home
    assert ("See your results" in home) is results_visible
    results = client.get(f"/assessments/{contractor.assessment_id}/results")
    assert results.status_code == (200 if results_visible else 302)


def _submitted_contractor(client, admin, name="Gamma Logistics"):
    contractor, token = factories.make_contractor(admin.organisation, admin, name)
    supplier = factories.content_questionnaire("supplier")
    factories.answer_all(
        contractor.assessment, engine.sample_answers(supplier, seed=7, red_flags=1)
    )
    _open(client, token)
    assert client.post(f"/assessments/{contractor.assessment_id}/submit").status_code == 302
    return contractor, supplier


def test_review_return_and_resubmission(client, admin_client, admin):
    contractor, supplier = _submitted_contractor(client, admin)
    assessment_id = contractor.assessment_id
    assert _status(admin_client, "Gamma Logistics") == "submitted"
    accepted, unclear = [q for q in supplier.questions if not q.show_if][:2]

    response = admin_client.post(
        f"/contractors/{assessment_id}/review/{accepted.key}",
        data={f"{accepted.key}-verdict": "accepted", f"{accepted.key}-comment": ""},
    )
    assert response.status_code == 302
    # Asking for clarification without saying what is unclear re-shows the form.
    response = admin_client.post(
        f"/contractors/{assessment_id}/review/{unclear.key}",
        data={f"{unclear.key}-verdict": "clarify", f"{unclear.key}-comment": ""},
    )
    assert response.status_code == 422
    assert "Say what needs clarifying" in response.get_data(as_text=True)
    admin_client.post(
        f"/contractors/{assessment_id}/review/{unclear.key}",
        data={
            f"{unclear.key}-verdict": "clarify",
            f"{unclear.key}-comment": "Which sites does this cover?",
        },
    )
    assert (
        admin_client.post(
            f"/contractors/{assessment_id}/return", data={"confirmed": "yes"}
        ).status_code
        == 302
    )
    assert _status(admin_client, "Gamma Logistics") == "returned"

    # The contractor's link works again, and the note stands beside its question.
    home = client.get("/invitation/").get_data(as_text=True)
    assert "1 question to clarify" in home
    assert f'href="/assessments/{assessment_id}/themes/{unclear.theme}#q-{unclear.key}"' in home
    theme = client.get(f"/assessments/{assessment_id}/themes/{unclear.theme}")
    page = theme.get_data(as_text=True)
    assert f'data-review-note="{unclear.key}"' in page
    assert "Which sites does this cover?" in page
    assert f'data-review-note="{accepted.key}"' not in page
    response = client.post(
        f"/assessments/{assessment_id}/answers/{unclear.key}",
        json={
            "value": supplier.options_for(unclear)[0].value,
            "comment": "All three plants.",
            "revision": 1,
        },
    )
    assert response.status_code == 200, response.get_json()
    client.post(f"/assessments/{assessment_id}/submit")
    assert _status(admin_client, "Gamma Logistics") == "submitted"

    assert (
        admin_client.post(
            f"/contractors/{assessment_id}/reviewed", data={"confirmed": "yes"}
        ).status_code
        == 302
    )
    assert _status(admin_client, "Gamma Logistics") == "reviewed"
    # A closed review takes no more marks and cannot be returned.
    assert (
        admin_client.post(
            f"/contractors/{assessment_id}/return", data={"confirmed": "yes"}
        ).status_code
        == 409
    )

    history = admin_client.get(f"/assessments/{assessment_id}/history").get_data(as_text=True)
    for text in (
        "Review: " + unclear.text[:30],
        "Needs clarification: Which sites does this cover?",
        "Returned to the contractor for clarification",
        "Marked as reviewed",
        "All three plants.",
    ):
        assert text in history
    returned = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.assessment_id == assessment_id, AuditEntry.event == "returned"
        )
    )
    assert returned.new == {"notes": {unclear.key: "Which sites does this cover?"}}


def test_the_review_marks_answers_in_place_accepts_the_rest_and_asks_before_closing(
    client, admin_client, admin
):
    contractor, supplier = _submitted_contractor(client, admin, "Epsilon Stores")
    assessment_id = contractor.assessment_id
    unclear = next(q for q in supplier.questions if not q.show_if)
    # A script marks one answer without a reload: it gets that answer's card back.
    card = admin_client.post(
        f"/contractors/{assessment_id}/review/{unclear.key}",
        data={f"{unclear.key}-verdict": "clarify", f"{unclear.key}-comment": "Which sites?"},
        headers={"X-Requested-With": "fetch"},
    )
    body = card.get_data(as_text=True)
    assert card.status_code == 200 and body.lstrip().startswith('<div class="card')
    assert 'data-marked="clarify"' in body and "Saved." in body

    page = admin_client.get(f"/contractors/{assessment_id}").get_data(as_text=True)
    visible = page.count('data-question="')
    assert f'data-unmarked="{visible - 1}"' in page
    done = admin_client.post(
        f"/contractors/{assessment_id}/accept-unmarked", follow_redirects=True
    ).get_data(as_text=True)
    assert f"{visible - 1} answers not marked yet are now accepted." in done
    assert 'data-unmarked="0"' in done
    assert done.count('data-marked="accepted"') == visible - 1
    assert 'data-marked="clarify"' in done  # the mark given stays

    # Returning asks first, with the counts; nothing changes until it is confirmed.
    asked = admin_client.post(f"/contractors/{assessment_id}/return")
    text = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Return the answers to Epsilon Stores?" in text
    assert "1 answer needs clarification" in text
    assert _status(admin_client, "Epsilon Stores") == "submitted"
    admin_client.post(f"/contractors/{assessment_id}/return", data={"confirmed": "yes"})
    assert _status(admin_client, "Epsilon Stores") == "returned"


def test_answers_cannot_be_reviewed_before_they_are_submitted(admin_client, admin):
    contractor, _token = factories.make_contractor(admin.organisation, admin)
    key = factories.content_questionnaire("supplier").questions[0].key
    response = admin_client.post(
        f"/contractors/{contractor.assessment_id}/review/{key}",
        data={f"{key}-verdict": "accepted"},
    )
    assert response.status_code == 409
    assert (
        admin_client.post(
            f"/contractors/{contractor.assessment_id}/return", data={"confirmed": "yes"}
        ).status_code
        == 409
    )
    assert (
        admin_client.post(
            f"/contractors/{contractor.assessment_id}/reviewed", data={"confirmed": "yes"}
        ).status_code
        == 409
    )


def test_the_list_shows_score_and_red_flags_once_submitted(client, admin_client, admin):
    _submitted_contractor(client, admin, "Delta Foods")
    factories.make_contractor(admin.organisation, admin, "Epsilon Farms")
    page = admin_client.get("/contractors/").get_data(as_text=True)
    delta = page.split('data-contractor="Delta Foods"', 1)[1].split("</tr>")[0]
    epsilon = page.split('data-contractor="Epsilon Farms"', 1)[1].split("</tr>")[0]
    assert 'class="text-danger fw-bold">1<' in delta
    assert "T-2026-01" in delta
    assert epsilon.count("\u2013") >= 3  # no deadline, no score, no red flags yet


def test_another_buyer_sees_nothing_of_these_contractors(client, other_client, admin):
    contractor, _token = factories.make_contractor(admin.organisation, admin, "Secret Ltd")
    assert "Secret Ltd" not in other_client.get("/contractors/").get_data(as_text=True)
    for path in (
        f"/contractors/{contractor.assessment_id}",
        f"/assessments/{contractor.assessment_id}",
        f"/assessments/{contractor.assessment_id}/history",
    ):
        assert other_client.get(path).status_code == 404
    compare = other_client.get(f"/contractors/compare?ids={contractor.assessment_id}")
    assert "Secret Ltd" not in compare.get_data(as_text=True)
    csv_text = other_client.get(f"/contractors/compare.csv?ids={contractor.assessment_id}")
    assert "Secret Ltd" not in csv_text.get_data(as_text=True)
    assert other_client.post(f"/contractors/{contractor.assessment_id}/revoke").status_code == 404


def test_a_self_assessment_is_not_a_contractor_page(admin_client, admin):
    own = factories.make_assessment(admin.organisation, admin)
    assert db.session.get(Assessment, own.id).kind == AssessmentKind.SELF
    assert admin_client.get(f"/contractors/{own.id}").status_code == 404


def test_invitation_tokens_are_kept_out_of_the_request_log():
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '%s - - "%s" %s %s',
        ("127.0.0.1", "GET /invitation/SeCrEt-ToKeN_123 HTTP/1.1", "302", "-"),
        None,
    )
    assert RedactInvitationTokens().filter(record)
    message = record.getMessage()
    assert "SeCrEt-ToKeN_123" not in message
    assert "GET /invitation/[token] HTTP/1.1" in message


@pytest.mark.parametrize("name", ["werkzeug", "gunicorn.access"])
def test_the_redaction_is_installed_on_the_request_loggers(app, name):
    filters = logging.getLogger(name).filters
    assert any(isinstance(f, RedactInvitationTokens) for f in filters)


def test_gunicorn_access_lines_are_redacted_too():
    # gunicorn formats its access line from a dictionary of atoms.
    record = logging.LogRecord(
        "gunicorn.access",
        logging.INFO,
        __file__,
        1,
        '%(h)s "%(r)s" %(s)s',
        ({"h": "10.0.0.1", "r": "GET /invitation/abcDEF123_-xyz HTTP/1.1", "s": "302"},),
        None,
    )
    RedactInvitationTokens().filter(record)
    assert record.getMessage() == '10.0.0.1 "GET /invitation/[token] HTTP/1.1" 302'


def test_the_list_marks_overdue_contractors_and_sends_reminders(client, admin_client, admin):
    late, token = factories.make_contractor(admin.organisation, admin, "Late Ltd")
    late.deadline = utc_today() - timedelta(days=1)
    on_time, _ = factories.make_contractor(admin.organisation, admin, "Timely Ltd")
    on_time.deadline = utc_today() + timedelta(days=3)
    db.session.commit()
    page = admin_client.get("/contractors/").get_data(as_text=True)
    assert "data-overdue" in page.split('data-contractor="Late Ltd"', 1)[1].split("</tr>")[0]
    assert "data-overdue" not in page.split('data-contractor="Timely Ltd"', 1)[1].split("</tr>")[0]
    assert f'form="reissue-{late.assessment_id}"' in page

    response = admin_client.post(
        f"/contractors/{late.assessment_id}/reissue", follow_redirects=True
    )
    assert response.status_code == 200 and "Copy the link" in response.get_data(as_text=True)
    assert _open(client, token).status_code == 410


def test_a_buyers_dashboard_shows_its_contractors_and_both_first_steps(client, admin_client, admin):
    first = admin_client.get("/dashboard").get_data(as_text=True)
    assert "data-first-steps" in first
    assert 'href="/assessments/new"' in first and 'href="/contractors/new"' in first

    late, _token = factories.make_contractor(admin.organisation, admin, "Late Ltd")
    late.deadline = utc_today() - timedelta(days=2)
    db.session.commit()
    _submitted_contractor(client, admin, "Zeta Works")
    page = admin_client.get("/dashboard").get_data(as_text=True)
    summary = page.split("data-contractor-summary", 1)[1].split("</section>", 1)[0]
    assert 'data-count="waiting">1<' in summary
    assert 'data-count="overdue">1<' in summary
    assert 'data-count="invited">1<' in summary
    assert "data-first-steps" not in page


def test_menus_show_contractors_and_workshops_to_the_kinds_that_use_them(app, other_client):
    # other_client belongs to a company: it neither invites contractors nor runs workshops.
    page = other_client.get("/dashboard").get_data(as_text=True)
    assert 'href="/contractors/"' not in page and 'href="/workshops/"' not in page
    assert "data-contractor-summary" not in page


def test_links_stored_before_keep_working_for_both_kinds_of_invitation(admin):
    """Both invitations keep a link as the SHA-256 hex digest of its token: rows written by
    earlier versions must still open."""
    _contractor, token = factories.make_contractor(admin.organisation, admin, "Old Link Ltd")
    stored = db.session.scalar(select(ContractorInvitation))
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert ContractorInvitation.by_token(token) is stored
    colleague, plain = ColleagueInvitation.issue(
        organisation=admin.organisation,
        invited_by=admin,
        name="Cora",
        email="cora@example.org",
        role=Role.VIEWER,
        days=3,
    )
    db.session.commit()
    assert colleague.token_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert ColleagueInvitation.by_token(plain) is colleague
    assert ColleagueInvitation.by_token(token) is None
