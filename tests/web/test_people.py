"""An organisation's admin changes roles, disables and removes people; the CLI does too."""

from __future__ import annotations

from app.extensions import db
from app.models import ColleagueEvent, Role, User
from tests import factories


def _sign_in(client, user):
    client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD})
    return client


def _events(user):
    return [
        (e.event, e.subject_label, e.actor_label)
        for e in db.session.query(ColleagueEvent)
        .filter_by(subject_id=user.id)
        .order_by(ColleagueEvent.id)
    ]


def test_an_admin_changes_a_colleagues_role_and_it_is_recorded(admin_client, admin, assessor):
    response = admin_client.post(f"/colleagues/members/{assessor.id}/role", data={"role": "viewer"})
    assert response.status_code == 302
    assert db.session.get(User, assessor.id).role == Role.VIEWER
    assert _events(assessor) == [("role_changed", assessor.name, admin.name)]
    page = admin_client.get("/colleagues/").get_data(as_text=True)
    assert "Changes to colleague accounts" in page


def test_a_disabled_colleague_cannot_sign_in_until_enabled(app, admin_client, assessor):
    theirs = _sign_in(app.test_client(), assessor)
    admin_client.post(f"/colleagues/members/{assessor.id}/disable")
    assert theirs.get("/dashboard").status_code == 302
    assert _sign_in(app.test_client(), assessor).get("/dashboard").status_code == 302

    admin_client.post(f"/colleagues/members/{assessor.id}/enable")
    assert _sign_in(app.test_client(), assessor).get("/dashboard").status_code == 200
    assert [e[0] for e in _events(assessor)] == ["disabled", "enabled"]


def test_a_removed_colleague_is_signed_out_and_their_answers_keep_their_name(
    app, admin_client, organisation, assessor
):
    assessment = factories.make_assessment(organisation, assessor)
    questionnaire = factories.content_questionnaire("supplier")
    question = questionnaire.questions[0]
    factories.answer(
        assessment, question.key, factories.best_option(questionnaire, question), user=assessor
    )
    theirs = _sign_in(app.test_client(), assessor)
    name, email = assessor.name, assessor.email

    confirm = admin_client.get(f"/colleagues/members/{assessor.id}/remove")
    assert name in confirm.get_data(as_text=True)
    response = admin_client.post(f"/colleagues/members/{assessor.id}/remove")

    assert response.status_code == 302
    assert theirs.get("/dashboard").status_code == 302
    assert _sign_in(app.test_client(), assessor).get("/dashboard").status_code == 302
    team = admin_client.get("/colleagues/").get_data(as_text=True)
    assert email not in team
    history = admin_client.get(f"/assessments/{assessment.id}/history").get_data(as_text=True)
    assert name in history
    assert _events(assessor)[-1] == ("removed", name, admin_client_name(admin_client))
    # The address is free again: the person may be invited back.
    assert not User.email_taken(email)


def admin_client_name(client):
    with client.session_transaction() as session:
        user_id = int(session["_user_id"].split(":")[0])
    return db.session.get(User, user_id).name


def test_the_last_admin_cannot_remove_disable_or_demote_themselves(admin_client, admin):
    admin_client.post(f"/colleagues/members/{admin.id}/remove")
    admin_client.post(f"/colleagues/members/{admin.id}/disable")
    response = admin_client.post(
        f"/colleagues/members/{admin.id}/role", data={"role": "viewer"}, follow_redirects=True
    )
    assert "last admin" in response.get_data(as_text=True)
    user = db.session.get(User, admin.id)
    assert user.role == Role.ADMIN and user.is_active
    assert _events(admin) == []


def test_an_admin_hands_the_admin_role_to_a_colleague(admin_client, admin, assessor):
    response = admin_client.post(f"/colleagues/members/{assessor.id}/make-admin")
    assert response.status_code == 302
    assert db.session.get(User, assessor.id).role == Role.ADMIN
    assert db.session.get(User, admin.id).role == Role.ASSESSOR
    # The former admin stays signed in, now without the admin pages.
    assert admin_client.get("/colleagues/invite").status_code == 403
    assert admin_client.get("/dashboard").status_code == 200


def test_people_of_another_organisation_cannot_be_changed(other_client, assessor):
    for path in ("role", "disable", "remove"):
        response = other_client.post(
            f"/colleagues/members/{assessor.id}/{path}", data={"role": "admin"}
        )
        assert response.status_code == 404
    assert db.session.get(User, assessor.id).role == Role.ASSESSOR


def test_non_admins_cannot_change_people(assessor_client, viewer):
    response = assessor_client.post(f"/colleagues/members/{viewer.id}/disable")
    assert response.status_code == 403


def test_the_command_line_lists_changes_disables_and_removes_users(runner, admin, assessor):
    listed = runner.invoke(args=["users", "list"])
    assert assessor.email in listed.output and "assessor" in listed.output

    assert runner.invoke(args=["users", "set-role", assessor.email, "viewer"]).exit_code == 0
    assert db.session.get(User, assessor.id).role == Role.VIEWER
    assert runner.invoke(args=["users", "disable", assessor.email]).exit_code == 0
    assert not db.session.get(User, assessor.id).is_active
    assert runner.invoke(args=["users", "remove", assessor.email]).exit_code == 0
    assert assessor.email not in runner.invoke(args=["users", "list"]).output
    assert [e[2] for e in _events(assessor)] == ["command line"] * 3

    refused = runner.invoke(args=["users", "remove", admin.email])
    assert refused.exit_code != 0
    assert "last admin" in refused.output
