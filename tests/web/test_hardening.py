"""Smaller findings: no account enumeration, links that never sign out, no caching of private
pages, names without invisible characters, a contractor's History without the buyer's inside."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import ColleagueInvitation, Role, User, WorkshopTeam
from tests import factories, mailbox


def test_sign_in_checks_a_password_hash_whether_or_not_the_address_has_an_account(
    client, admin, monkeypatch
):
    """Equal work for known and unknown addresses: the answer time tells nothing."""
    from app.auth import views
    from app.models import user as user_model

    calls = []
    real = user_model.check_password_hash

    def counting(hashed, password):
        calls.append(hashed)
        return real(hashed, password)

    monkeypatch.setattr(user_model, "check_password_hash", counting)
    monkeypatch.setattr(views, "check_password_hash", counting)
    known = client.post("/sign-in", data={"email": admin.email, "password": "wrong wrong 1"})
    assert len(calls) == 1
    unknown = client.post(
        "/sign-in", data={"email": "nobody@example.org", "password": "wrong wrong 1"}
    )
    assert len(calls) == 2
    assert calls[0].split("$")[0] == calls[1].split("$")[0]  # the same method and cost
    assert known.status_code == unknown.status_code == 200


def _invitation_link(app, admin):
    _invitation, token = ColleagueInvitation.issue(
        organisation=admin.organisation,
        invited_by=admin,
        name="Nina New",
        email="nina@example.org",
        role=Role.ASSESSOR,
        days=7,
    )
    db.session.commit()
    return f"/accept-invitation/{token}"


def test_opening_an_invitation_link_while_signed_in_does_not_sign_out(app, admin, assessor_client):
    link = _invitation_link(app, admin)
    page = assessor_client.get(link, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "Sign out and accept the invitation" in text
    assert assessor_client.get("/dashboard").status_code == 200

    # Choosing to sign out comes back to the invitation, ready to accept.
    response = assessor_client.post("/sign-out", data={"next": "/accept-invitation"})
    assert response.headers["Location"] == "/accept-invitation"
    assert b"Create my account" in assessor_client.get("/accept-invitation").data


def test_signed_in_pages_and_downloads_are_not_stored(admin_client, admin, organisation):
    assessment = factories.make_assessment(organisation, admin)
    for path in ("/dashboard", f"/assessments/{assessment.id}", "/colleagues/"):
        assert "no-store" in admin_client.get(path).headers["Cache-Control"], path
    download = admin_client.get("/contractors/compare.csv")
    assert download.status_code == 200
    assert "no-store" in download.headers["Cache-Control"]


def test_static_files_may_be_cached(client):
    response = client.get("/static/css/app.css")
    assert "no-store" not in (response.headers.get("Cache-Control") or "")


def test_names_lose_control_and_invisible_characters(client, admin_client, app):
    response = mailbox.register(
        client,
        app,
        email="eve@example.org",
        organisation_name="Acme\u202e Ltd\u200b",
        organisation_kind="company",
        name="Eve\u202egnirts\u2066 \x07Evil\u200d",
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "eve@example.org"))
    assert user.name == "Evegnirts Evil"
    assert user.organisation.name == "Acme Ltd"

    code = _workshop_code(admin_client)
    app.test_client().post("/join", data={"code": code, "team": "Team\u202eA\ufeff"})
    assert db.session.scalar(select(WorkshopTeam)).name == "TeamA"


def _workshop_code(admin_client):
    from app.models import Workshop

    admin_client.post(
        "/workshops/new",
        data={"title": "T", "questionnaire": "workshop-exercise", "reveal_at_end": "y"},
    )
    return db.session.scalar(select(Workshop)).join_code


def test_a_contractor_sees_its_own_and_the_buyers_public_events_only(client, admin):
    admin_name = admin.name
    contractor, token = factories.make_contractor(admin.organisation, admin, "Delta Ltd")
    client.get(f"/invitation/{token}")
    history = client.get(f"/assessments/{contractor.assessment_id}/history")
    assert history.status_code == 200
    text = history.get_data(as_text=True)
    assert admin_name not in text
    assert "Invitation link issued" not in text
    assert admin.organisation.name in text  # the buyer's public event, under its own name
