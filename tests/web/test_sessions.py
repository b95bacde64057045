"""Sessions that can be ended: sign-out, password change, role change, idle time."""

from __future__ import annotations

import pytest

from app.auth.sessions import SEEN_KEY
from tests import factories


def _sign_in(client, user, *, remember=False):
    data = {"email": user.email, "password": factories.PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/sign-in", data=data)
    assert response.status_code == 302
    return client


def _copy_cookie(source, target, name):
    cookie = source.get_cookie(name)
    assert cookie is not None
    target.set_cookie(name, cookie.value)
    return target


def _is_signed_in(client) -> bool:
    response = client.get("/dashboard")
    return response.status_code == 200


def test_after_sign_out_a_copy_of_the_session_cookie_no_longer_opens_the_dashboard(app, admin):
    mine = _sign_in(app.test_client(), admin)
    stolen = _copy_cookie(mine, app.test_client(), "session")
    assert _is_signed_in(stolen)

    mine.post("/sign-out")

    response = stolen.get("/dashboard")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_after_sign_out_a_copy_of_the_remember_cookie_no_longer_signs_in(app, admin):
    mine = _sign_in(app.test_client(), admin, remember=True)
    stolen = _copy_cookie(mine, app.test_client(), "remember_token")
    assert _is_signed_in(stolen)

    mine.post("/sign-out")

    assert not _is_signed_in(stolen)


def test_a_password_change_ends_every_other_session_and_keeps_this_one(app, admin):
    laptop = _sign_in(app.test_client(), admin, remember=True)
    phone = _sign_in(app.test_client(), admin, remember=True)
    new_password = "plum orchard ferry 1987"
    response = laptop.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "password": new_password,
            "confirm": new_password,
        },
    )
    assert response.status_code == 302

    assert _is_signed_in(laptop)
    assert not _is_signed_in(phone)


def test_sign_out_everywhere_ends_every_session_of_the_account(app, admin):
    laptop = _sign_in(app.test_client(), admin)
    phone = _sign_in(app.test_client(), admin, remember=True)
    page = laptop.get("/account").get_data(as_text=True)
    assert "Sign out everywhere" in page

    response = laptop.post("/account/sign-out-everywhere")

    assert response.status_code == 302
    assert not _is_signed_in(laptop)
    assert not _is_signed_in(phone)


def test_another_users_sessions_go_on_when_one_signs_out(app, admin, assessor):
    mine = _sign_in(app.test_client(), admin)
    theirs = _sign_in(app.test_client(), assessor)
    mine.post("/sign-out")
    assert _is_signed_in(theirs)


def test_a_role_change_ends_the_persons_sessions(app, admin_client, assessor):
    theirs = _sign_in(app.test_client(), assessor)
    response = admin_client.post(f"/colleagues/members/{assessor.id}/role", data={"role": "viewer"})
    assert response.status_code == 302
    assert not _is_signed_in(theirs)
    assert _is_signed_in(admin_client)


@pytest.mark.parametrize("app_settings", [{"SESSION_IDLE_MINUTES": 30}])
def test_a_session_unused_for_the_idle_time_ends(app, admin, app_settings):
    client = _sign_in(app.test_client(), admin)
    assert _is_signed_in(client)
    with client.session_transaction() as session:
        session[SEEN_KEY] -= 31 * 60

    response = client.get("/dashboard")

    assert response.status_code == 302
    assert "without activity" in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("app_settings", [{"SESSION_IDLE_MINUTES": 30}])
def test_a_session_in_use_does_not_end(app, admin, app_settings):
    client = _sign_in(app.test_client(), admin)
    with client.session_transaction() as session:
        session[SEEN_KEY] -= 29 * 60
    assert _is_signed_in(client)
    with client.session_transaction() as session:
        session[SEEN_KEY] -= 29 * 60
    assert _is_signed_in(client)


@pytest.mark.parametrize("app_settings", [{"SESSION_IDLE_MINUTES": 30}])
def test_keep_me_signed_in_outlasts_the_idle_time(app, admin, app_settings):
    client = _sign_in(app.test_client(), admin, remember=True)
    with client.session_transaction() as session:
        session[SEEN_KEY] -= 31 * 60
    assert _is_signed_in(client)


def test_a_session_from_before_revocable_sessions_is_not_honoured(app, admin):
    """A cookie naming the user by id alone (as before) opens nothing."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(admin.id)
    assert not _is_signed_in(client)


def test_after_sign_out_a_copy_of_the_session_cookie_no_longer_saves_or_opens_an_assessment(
    app, admin
):
    # Requests about one assessment read the user and the assessment together: the ended
    # session must be refused there too, not only on the dashboard.
    assessment = factories.make_assessment(admin.organisation, admin)
    question = next(
        q
        for q in factories.content_questionnaire("supplier").questions
        if q.type == "yes-partly-no"
    )
    answer_url = f"/assessments/{assessment.id}/answers/{question.key}"
    mine = _sign_in(app.test_client(), admin)
    stolen = _copy_cookie(mine, app.test_client(), "session")
    assert stolen.post(answer_url, json={"value": "yes", "revision": 0}).status_code == 200

    mine.post("/sign-out")

    response = stolen.post(answer_url, json={"value": "no", "revision": 1})
    assert response.status_code == 401
    page = stolen.get(f"/assessments/{assessment.id}/themes/{question.theme}")
    assert page.status_code == 302 and "/sign-in" in page.headers["Location"]
