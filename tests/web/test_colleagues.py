"""Colleague invitations and role rules: who may add whom, and who sees which members."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import ColleagueInvitation, Role, User, utcnow


def invite(client, email="new.colleague@example.org", role="assessor"):
    return client.post(
        "/colleagues/invite", data={"name": "New Colleague", "email": email, "role": role}
    )


def link_from(response) -> str:
    html = response.get_data(as_text=True)
    start = html.index('id="invitation-link"')
    value = html.index('value="', start) + len('value="')
    return html[value : html.index('"', value)]


def test_admin_invites_a_colleague_who_sets_a_password_and_joins(app, admin_client, admin):
    response = invite(admin_client)
    assert response.status_code == 200
    link = link_from(response)
    assert "/accept-invitation/" in link
    # The token is stored only as a hash.
    stored = db.session.scalar(select(ColleagueInvitation))
    token = link.rsplit("/", 1)[1]
    assert token not in stored.token_hash

    colleague = app.test_client()
    response = colleague.get(link)
    assert response.status_code == 302  # the token moves into the session
    assert response.headers["Location"].endswith("/accept-invitation")
    page = colleague.get("/accept-invitation")
    assert admin.organisation.name.encode() in page.data
    response = colleague.post(
        "/accept-invitation",
        data={
            "name": "New Colleague",
            "password": "colleague password",
            "confirm": "colleague password",
        },
    )
    assert response.status_code == 302
    user = User.by_email("new.colleague@example.org")
    assert user.organisation_id == admin.organisation_id
    assert user.role == Role.ASSESSOR
    # The link works only once.
    response = app.test_client().get(link, follow_redirects=True)
    assert response.status_code == 410
    assert b"has been used already" in response.data


def test_an_expired_invitation_says_so(app, admin_client):
    link = link_from(invite(admin_client))
    invitation = db.session.scalar(select(ColleagueInvitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = app.test_client().get(link, follow_redirects=True)
    assert response.status_code == 410
    assert b"has expired" in response.data


def test_a_revoked_invitation_stops_working(app, admin_client):
    link = link_from(invite(admin_client))
    invitation = db.session.scalar(select(ColleagueInvitation))
    response = admin_client.post(f"/colleagues/invitations/{invitation.id}/revoke")
    assert response.status_code == 302
    response = app.test_client().get(link, follow_redirects=True)
    assert b"withdrawn" in response.data


def test_a_new_link_replaces_the_old_one(app, admin_client):
    old_link = link_from(invite(admin_client))
    invitation = db.session.scalar(select(ColleagueInvitation))
    new_link = link_from(admin_client.post(f"/colleagues/invitations/{invitation.id}/reissue"))
    assert new_link != old_link
    assert app.test_client().get(old_link, follow_redirects=True).status_code == 410
    assert app.test_client().get(new_link, follow_redirects=True).status_code == 200


def test_an_unknown_link_gives_a_clear_page(client):
    response = client.get("/accept-invitation/not-a-real-token", follow_redirects=True)
    assert response.status_code == 410
    assert b"unknown" in response.data


def test_inviting_an_address_with_an_account_is_refused(admin_client, viewer):
    response = invite(admin_client, email=viewer.email)
    assert b"has an account already" in response.data


def test_a_viewer_cannot_add_colleagues(viewer_client):
    assert viewer_client.get("/colleagues/invite").status_code == 403
    assert invite(viewer_client).status_code == 403
    assert db.session.scalar(select(ColleagueInvitation)) is None


def test_an_assessor_cannot_add_colleagues(assessor_client):
    assert invite(assessor_client).status_code == 403


def test_an_admin_never_sees_another_organisations_members(admin_client, admin, other_admin):
    page = admin_client.get("/colleagues/").get_data(as_text=True)
    assert admin.email in page
    assert other_admin.email not in page
    assert "Olga Other" not in page


def test_an_admin_cannot_touch_another_organisations_invitations(app, other_client, admin_client):
    invite(admin_client)
    invitation = db.session.scalar(select(ColleagueInvitation))
    assert other_client.post(f"/colleagues/invitations/{invitation.id}/revoke").status_code == 404
    assert other_client.post(f"/colleagues/invitations/{invitation.id}/reissue").status_code == 404
    db.session.refresh(invitation)
    assert invitation.revoked_at is None
