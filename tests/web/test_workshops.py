"""Workshops through the test client: opening one, teams joining with the code, answering
with the assessment pages, the live board, reveal, closing, the CSV and the group report,
and who may see what."""

from __future__ import annotations

import csv
import io
import re
import subprocess

import pytest
from sqlalchemy import select

import questionnaires as engine
from app.content import content
from app.extensions import db
from app.models import Assessment, AssessmentKind, AssessmentStatus, Workshop, WorkshopTeam
from app.workshops.participation import CODE_ALPHABET
from tests import factories
from tests.reports.pdf_text import read_pdf


@pytest.fixture
def exercise(app):
    return content().get("workshop-exercise")


def open_workshop(client, title="Buyers' training", **extra):
    data = {"title": title, "questionnaire": "workshop-exercise", "reveal_at_end": "y"}
    data.update(extra)
    response = client.post("/workshops/new", data=data)
    assert response.status_code == 302, response.data
    return db.session.scalar(select(Workshop).order_by(Workshop.id.desc()))


def join(app, code, team):
    """A fresh participant's browser joining as `team`; returns its client."""
    participant = app.test_client()
    response = participant.post("/join", data={"code": code, "team": team})
    assert response.status_code == 302, response.data
    assert response.headers["Location"].endswith("/workshops/team")
    return participant


def team_named(name) -> WorkshopTeam:
    return db.session.scalar(select(WorkshopTeam).where(WorkshopTeam.name == name))


def save(client, assessment_id, key, value, revision=0):
    return client.post(
        f"/assessments/{assessment_id}/answers/{key}", json={"value": value, "revision": revision}
    )


def choice_questions(questionnaire):
    return [
        q
        for q in questionnaire.questions
        if q.type in ("maturity", "yes-partly-no", "choice") and q.show_if is None
    ]


@pytest.fixture
def workshop(admin_client):
    return open_workshop(admin_client)


def test_a_facilitator_opens_a_workshop_with_a_join_code(admin_client, exercise):
    page = admin_client.get("/workshops/new")
    assert re.search(
        r"<option selected value=\"workshop-exercise\"|value=\"workshop-exercise\" selected",
        page.get_data(as_text=True),
    )
    workshop = open_workshop(admin_client, case_text="A made-up cleaning contract.")
    assert len(workshop.join_code) == 6
    assert set(workshop.join_code) <= set(CODE_ALPHABET)
    assert workshop.is_open
    assert workshop.questionnaire_version.content_hash == exercise.content_hash
    board = admin_client.get(f"/workshops/{workshop.id}")
    assert workshop.join_code.encode() in board.data
    assert b"A made-up cleaning contract." in board.data


def test_a_workshop_without_a_title_reshows_the_form(admin_client):
    response = admin_client.post("/workshops/new", data={"questionnaire": "workshop-exercise"})
    assert response.status_code == 200
    assert b"This field is required" in response.data
    assert db.session.scalar(select(Workshop)) is None


def test_a_viewer_cannot_open_or_close_a_workshop(viewer_client, workshop):
    assert viewer_client.get("/workshops/new").status_code == 403
    assert viewer_client.post(f"/workshops/{workshop.id}/close").status_code == 403
    assert viewer_client.get(f"/workshops/{workshop.id}").status_code == 200


def test_the_projector_page_shows_the_code_and_a_qr_code_of_the_join_address(
    admin_client, workshop
):
    page = admin_client.get(f"/workshops/{workshop.id}/projector").get_data(as_text=True)
    assert workshop.join_code in page
    assert "<svg" in page and "qr-code" in page
    assert f"http://localhost/join/{workshop.join_code}" in page


def test_join_accepts_the_code_in_any_case_and_with_spaces(app, workshop):
    code = workshop.join_code
    typed = f" {code[:3].lower()} {code[3:].lower()} "
    join(app, typed, "Team Blue")
    team = team_named("Team Blue")
    assert team.workshop_id == workshop.id
    assert team.assessment.kind == AssessmentKind.WORKSHOP_TEAM
    assert team.assessment.organisation_id == workshop.organisation_id


def test_the_qr_address_prefills_the_code(app, workshop):
    page = app.test_client().get(f"/join/{workshop.join_code.lower()}")
    assert f'value="{workshop.join_code}"'.encode() in page.data


def test_a_wrong_code_says_so_and_keeps_the_team_name(app, workshop):
    response = app.test_client().post("/join", data={"code": "ZZZZZZ", "team": "Team Red"})
    assert response.status_code == 200
    assert b"No open workshop has this code" in response.data
    assert b'value="Team Red"' in response.data
    assert db.session.scalar(select(WorkshopTeam)) is None


def test_two_teams_cannot_take_the_same_name(app, workshop):
    join(app, workshop.join_code, "Team Green")
    response = app.test_client().post(
        "/join", data={"code": workshop.join_code, "team": "  team   GREEN "}
    )
    assert response.status_code == 200
    assert b"already has this name" in response.data
    assert len(db.session.scalars(select(WorkshopTeam)).all()) == 1


def test_a_closed_workshop_cannot_be_joined(app, admin_client, workshop):
    admin_client.post(f"/workshops/{workshop.id}/close", data={"confirmed": "yes"})
    response = app.test_client().post("/join", data={"code": workshop.join_code, "team": "Late"})
    assert b"No open workshop has this code" in response.data
    assert db.session.scalar(select(WorkshopTeam)) is None


def test_a_team_answers_with_autosave_and_a_return_continues(app, workshop, exercise):
    participant = join(app, workshop.join_code, "Team Blue")
    team = team_named("Team Blue")
    question = choice_questions(exercise)[0]
    response = save(participant, team.assessment_id, question.key, question.choices[-1].value)
    assert response.status_code == 200
    assert response.json["revision"] == 1
    # The cookie is permanent: a browser restart keeps the team.
    cookie = participant.get_cookie("session")
    assert cookie.expires is not None
    # Coming back to /join (or scanning the code again) continues as the same team.
    again = participant.get(f"/join/{workshop.join_code}")
    assert again.headers["Location"].endswith("/workshops/team")
    home = participant.get("/workshops/team")
    assert b"Team Blue" in home.data and b"Continue answering" in home.data
    theme = participant.get(f"/assessments/{team.assessment_id}/themes/{question.theme}")
    checked = re.findall(r"<input[^>]*\bchecked\b[^>]*>", theme.get_data(as_text=True))
    assert any(f'value="{question.choices[-1].value}"' in tag for tag in checked)


def test_a_participant_reaches_only_its_own_team_assessment(
    app, admin, admin_client, other_admin, workshop, exercise
):
    own_self_assessment = factories.make_assessment(admin.organisation, admin)
    other_org = factories.make_assessment(other_admin.organisation, other_admin)
    blue = join(app, workshop.join_code, "Team Blue")
    join(app, workshop.join_code, "Team Red")
    blue_team, red_team = team_named("Team Blue"), team_named("Team Red")
    assert blue.get(f"/assessments/{blue_team.assessment_id}").status_code == 200
    question = choice_questions(exercise)[0]
    for other in (red_team.assessment_id, own_self_assessment.id, other_org.id):
        assert blue.get(f"/assessments/{other}").status_code == 404
        assert blue.get(f"/assessments/{other}/results").status_code == 404
        assert save(blue, other, question.key, question.choices[0].value).status_code == 404
    # Facilitator pages ask for a sign-in.
    for path in (
        f"/workshops/{workshop.id}",
        f"/workshops/{workshop.id}/board.json",
        f"/workshops/{workshop.id}/board/live",
        "/workshops/",
    ):
        response = blue.get(path)
        assert response.status_code in (302, 401)
        assert "/sign-in" in response.headers.get("Location", "/sign-in")
    assert blue.get("/assessments/").status_code == 302


def test_another_organisation_cannot_see_the_workshop(other_client, workshop, app):
    join(app, workshop.join_code, "Team Blue")
    team = team_named("Team Blue")
    for path in (
        f"/workshops/{workshop.id}",
        f"/workshops/{workshop.id}/board.json",
        f"/workshops/{workshop.id}/board/live",
        f"/workshops/{workshop.id}/projector",
        f"/workshops/{workshop.id}/answers.csv",
        f"/workshops/{workshop.id}/report.pdf",
        f"/assessments/{team.assessment_id}",
    ):
        assert other_client.get(path).status_code == 404, path
    assert other_client.post(f"/workshops/{workshop.id}/close").status_code == 404
    assert workshop.join_code.encode() not in other_client.get("/workshops/").data


def test_the_open_boards_live_part_asks_to_be_fetched_again(app, admin_client, workshop):
    join(app, workshop.join_code, "Team Blue")
    response = admin_client.get(f"/workshops/{workshop.id}/board/live")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    part = response.get_data(as_text=True)
    assert "Team Blue" in part and 'data-hx-trigger="every 3s"' in part
    # The status and the side column stay as they are while the workshop is open.
    assert "data-hx-swap-oob" not in part and "board-aside" not in part


def test_the_closed_boards_live_part_stops_the_polling(app, admin_client, workshop):
    join(app, workshop.join_code, "Team Blue")
    admin_client.post(f"/workshops/{workshop.id}/close", data={"confirmed": "yes"})
    response = admin_client.get(f"/workshops/{workshop.id}/board/live")
    # 286: htmx's "stop polling"; the part itself has no trigger either.
    assert response.status_code == 286
    part = response.get_data(as_text=True)
    assert "Team Blue" in part and "data-hx-trigger" not in part and "data-hx-get" not in part
    # The badge and the side column come along: "Closed", no join code, no close button.
    assert re.search(r'id="board-status"[^>]*data-hx-swap-oob="true"[^>]*>Closed<', part)
    assert 'id="board-aside" data-hx-swap-oob="true"' in part
    assert workshop.join_code not in part and "Close the workshop" not in part
    # The closed board's page itself loads no script to poll with.
    page = admin_client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "htmx.min.js" not in page and "data-hx-trigger" not in page


def test_the_projector_keeps_fetching_its_code_only_while_the_workshop_is_open(
    admin_client, workshop
):
    page = admin_client.get(f"/workshops/{workshop.id}/projector").get_data(as_text=True)
    assert 'data-hx-select="#projector-live" data-hx-trigger="every 5s"' in page
    admin_client.post(f"/workshops/{workshop.id}/close", data={"confirmed": "yes"})
    page = admin_client.get(f"/workshops/{workshop.id}/projector").get_data(as_text=True)
    assert "This workshop is closed." in page and workshop.join_code not in page
    assert "data-hx-trigger" not in page and "htmx.min.js" not in page


def test_a_signed_out_board_is_not_given_the_sign_in_page_to_show(app, workshop):
    # A redirect would be followed and the sign-in page put in place of the board.
    response = app.test_client().get(f"/workshops/{workshop.id}/board/live")
    assert response.status_code == 401 and "Location" not in response.headers


def test_team_assessments_stay_out_of_the_organisations_assessment_list(
    app, admin_client, workshop
):
    join(app, workshop.join_code, "Team Blue")
    assert b"Team Blue" not in admin_client.get("/assessments/").data


def test_the_board_json_shows_teams_averages_distributions_and_common_gaps(
    app, admin_client, workshop, exercise
):
    blue = join(app, workshop.join_code, "Team Blue")
    red = join(app, workshop.join_code, "Team Red")
    questions = choice_questions(exercise)
    first = questions[0]
    best = max(first.choices, key=lambda o: o.score)
    worst = min(first.choices, key=lambda o: o.score)
    assert (
        save(blue, team_named("Team Blue").assessment_id, first.key, best.value).status_code == 200
    )
    assert (
        save(red, team_named("Team Red").assessment_id, first.key, worst.value).status_code == 200
    )
    data = admin_client.get(f"/workshops/{workshop.id}/board.json").json
    assert [t["name"] for t in data["teams"]] == ["Team Blue", "Team Red"]
    assert all(t["answered"] == 1 for t in data["teams"])
    theme = next(t for t in data["themes"] if t["key"] == first.theme)
    assert theme["min"] == 0 and theme["max"] == 100 and theme["average"] == 50
    assert theme["teams"] == 2
    distribution = next(d for d in data["distributions"] if d["key"] == first.key)
    counts = {o["value"]: o["count"] for o in distribution["options"]}
    assert counts[best.value] == 1 and counts[worst.value] == 1
    assert distribution["unanswered"] == 0
    gap = data["gaps"][0]
    assert gap["key"] == first.key and gap["teams"] == 1
    assert gap["action"] == exercise.question(first.key).action


def test_reveal_shows_a_team_the_group_averages_but_no_other_team(
    app, admin_client, workshop, exercise
):
    blue = join(app, workshop.join_code, "Team Blue")
    red = join(app, workshop.join_code, "Team Red Secret")
    first = choice_questions(exercise)[0]
    save(blue, team_named("Team Blue").assessment_id, first.key, first.choices[-1].value)
    save(red, team_named("Team Red Secret").assessment_id, first.key, first.choices[0].value)
    before = blue.get("/workshops/team").get_data(as_text=True)
    assert "Group average" not in before
    assert admin_client.post(f"/workshops/{workshop.id}/reveal").status_code == 302
    after = blue.get("/workshops/team").get_data(as_text=True)
    assert "Group average" in after
    assert exercise.theme(first.theme).title in after
    assert "Team Red Secret" not in after
    red_id = team_named("Team Red Secret").assessment_id
    assert blue.get(f"/assessments/{red_id}/results").status_code == 404
    admin_client.post(f"/workshops/{workshop.id}/hide")
    assert "Group average" not in blue.get("/workshops/team").get_data(as_text=True)


def test_a_team_cannot_submit_and_sees_no_results_until_the_reveal(
    app, admin_client, workshop, exercise
):
    """The facilitator's close hands the answers in; results follow the reveal, not the team."""
    blue = join(app, workshop.join_code, "Team Blue")
    team = team_named("Team Blue")
    aid = team.assessment_id
    answers = engine.sample_answers(exercise, seed=2, red_flags=1, unanswered=0)
    factories.store_answers(team.assessment, answers)

    overview = blue.get(f"/assessments/{aid}").get_data(as_text=True)
    assert f"/assessments/{aid}/submit" not in overview
    assert f"/assessments/{aid}/results" not in overview
    # Posting to the submit address anyway hands nothing in.
    refused = blue.post(f"/assessments/{aid}/submit", follow_redirects=True)
    assert "when the facilitator closes the workshop" in refused.get_data(as_text=True)
    assert db.session.get(Assessment, aid).is_draft
    home = blue.get("/workshops/team").get_data(as_text=True)
    assert "Your team has answered every question" in home
    assert f"/assessments/{aid}/results" not in home

    # Closed without revealing: answers frozen, results still hidden, no action plan.
    admin_client.post(f"/workshops/{workshop.id}/hide")
    workshop.reveal_at_end = False
    db.session.commit()
    admin_client.post(f"/workshops/{workshop.id}/close", data={"confirmed": "yes"})
    assert not db.session.get(Assessment, aid).is_draft
    for address in ("results", "report", "report.pdf", "action-plan"):
        assert blue.get(f"/assessments/{aid}/{address}").status_code == 404, address
    overview = blue.get(f"/assessments/{aid}").get_data(as_text=True)
    assert "Action plan" not in overview and "Reopen" not in overview
    assert "Red flags" not in blue.get("/workshops/team").get_data(as_text=True)

    admin_client.post(f"/workshops/{workshop.id}/reveal")
    assert blue.get(f"/assessments/{aid}/results").status_code == 200
    assert f"/assessments/{aid}/results" in blue.get("/workshops/team").get_data(as_text=True)


def test_closing_freezes_every_teams_answers_and_reveals_when_asked(
    app, admin_client, workshop, exercise
):
    blue = join(app, workshop.join_code, "Team Blue")
    team = team_named("Team Blue")
    first, second = choice_questions(exercise)[:2]
    save(blue, team.assessment_id, first.key, first.choices[-1].value)
    response = admin_client.post(f"/workshops/{workshop.id}/close", data={"confirmed": "yes"})
    assert response.status_code == 302
    db.session.refresh(workshop)
    assert not workshop.is_open and workshop.revealed
    assessment = db.session.get(Assessment, team.assessment_id)
    assert assessment.status == AssessmentStatus.SUBMITTED
    refused = save(blue, team.assessment_id, second.key, second.choices[-1].value)
    assert refused.status_code == 409
    home = blue.get("/workshops/team").get_data(as_text=True)
    assert "answers are frozen" in home and "Group average" in home
    # The team still reads its own answers and results.
    assert blue.get(f"/assessments/{team.assessment_id}/results").status_code == 200
    # And nobody reopens a closed workshop's answers.
    assert admin_client.post(f"/assessments/{team.assessment_id}/reopen").status_code == 409


def test_the_csv_holds_every_answer_of_every_team(app, admin_client, workshop, exercise):
    blue = join(app, workshop.join_code, "=Team Blue")
    team = team_named("=Team Blue")
    question = choice_questions(exercise)[0]
    option = question.choices[-1]
    blue.post(
        f"/assessments/{team.assessment_id}/answers/{question.key}",
        json={"value": option.value, "revision": 0, "comment": "@Seen in the case"},
    )
    response = admin_client.get(f"/workshops/{workshop.id}/answers.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == [
        "Team",
        "Theme",
        "Question key",
        "Question",
        "Answer",
        "Comment",
        "Reason not applicable",
    ]
    assert rows[1] == [
        "'=Team Blue",
        exercise.theme(question.theme).title,
        question.key,
        question.text,
        option.label,
        "'@Seen in the case",
        "",
    ]


def test_the_group_report_pdf_names_teams_themes_and_recommended_actions(
    app, admin_client, workshop, exercise, tmp_path
):
    import questionnaires as engine

    for number, name in enumerate(["Team Blue", "Team Red"]):
        join(app, workshop.join_code, name)
        assessment = db.session.get(Assessment, team_named(name).assessment_id)
        for key, answer in engine.sample_answers(exercise, seed=number, level=0.3).items():
            factories.answer(assessment, key, answer.value)
    admin_client.post(f"/workshops/{workshop.id}/close", data={"confirmed": "yes"})
    response = admin_client.get(f"/workshops/{workshop.id}/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.data)
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)
    text = read_pdf(response.data).text
    assert "Team Blue" in text and "Team Red" in text
    for theme in exercise.themes:
        assert " ".join(theme.title.split()) in text
    gap_question = next(
        q for q in exercise.questions if q.action and " ".join(q.action.split())[:50] in text
    )
    assert gap_question is not None
    assert "Veltrane" in text  # the case


def test_a_group_report_of_many_teams_points_to_the_answers_file_instead_of_a_page_each(
    app, workshop, exercise, monkeypatch
):
    from app.workshops import exports

    for name in ("Team Blue", "Team Red"):
        join(app, workshop.join_code, name)
    with app.test_request_context("/"):
        monkeypatch.setitem(app.config, "GROUP_REPORT_TEAM_PAGES_MAX", 2)
        each_team = exports.report_html(workshop)
        monkeypatch.setitem(app.config, "GROUP_REPORT_TEAM_PAGES_MAX", 1)
        many_teams = exports.report_html(workshop)
    assert "Appendix: team Team Blue" in each_team and "Appendix: team Team Red" in each_team
    assert "All answers (CSV)" not in each_team
    assert "Appendix: team" not in many_teams
    assert "With 2 teams, the answers of each team are not printed" in many_teams
    assert "All answers (CSV)" in many_teams
    # Everything else of the group report stays.
    assert "Team Blue" in many_teams and "Answers per question" in many_teams


def test_a_scanned_code_of_a_closed_workshop_says_it_is_not_open(app, admin_client, workshop):
    admin_client.post(f"/workshops/{workshop.id}/close", data={"confirmed": "yes"})
    page = app.test_client().get(f"/join/{workshop.join_code}")
    assert b"No open workshop has this code" in page.data


def test_a_new_join_code_never_repeats_the_code_of_an_open_workshop(
    admin_client, workshop, monkeypatch
):
    from app.workshops import participation

    fresh = "ABCDEF" if workshop.join_code != "ABCDEF" else "GHJKMN"
    drawn = iter(workshop.join_code + fresh)
    monkeypatch.setattr(participation.secrets, "choice", lambda alphabet: next(drawn))
    second = open_workshop(admin_client, title="Second group")
    assert second.join_code == fresh


def test_the_board_links_each_team_to_its_answers_for_the_facilitator(app, admin_client, workshop):
    join(app, workshop.join_code, "Team Blue")
    team = team_named("Team Blue")
    data = admin_client.get(f"/workshops/{workshop.id}/board.json").json
    assert data["teams"][0]["url"] == f"/assessments/{team.assessment_id}"
    overview = admin_client.get(data["teams"][0]["url"])
    assert overview.status_code == 200 and b"Team Blue" in overview.data
    # The facilitator reads the team's answers but does not answer for it.
    assert b"Continue answering" not in overview.data


def test_teams_find_the_join_page_read_the_case_anywhere_and_closing_asks_first(
    app, client, admin_client
):
    assert 'href="/join">Join a workshop' in client.get("/").get_data(as_text=True)
    assert 'href="/join">Join a workshop' in client.get("/library/").get_data(as_text=True)
    case = "Veltrane Foods buys\ncleaning services.\n\nThe agency charges\nworkers a fee."
    workshop = open_workshop(admin_client, case_text=case)
    blue = join(app, workshop.join_code, "Team Blue")
    assessment_id = team_named("Team Blue").assessment_id
    exercise = content().get("workshop-exercise")
    for theme in exercise.themes:
        page = blue.get(f"/assessments/{assessment_id}/themes/{theme.key}").get_data(as_text=True)
        # The case reflows: the YAML's line breaks are gone, its paragraphs stay.
        assert "<p>Veltrane Foods buys cleaning services.</p>" in page
        assert "<p>The agency charges workers a fee.</p>" in page

    asked = admin_client.post(f"/workshops/{workshop.id}/close")
    assert "Yes, close the workshop" in asked.get_data(as_text=True)
    assert db.session.get(Workshop, workshop.id).is_open
    admin_client.post(f"/workshops/{workshop.id}/close", data={"confirmed": "yes"})
    assert not db.session.get(Workshop, workshop.id).is_open


def test_closed_and_unknown_codes_answer_alike(app, admin_client, workshop):
    admin_client.post(f"/workshops/{workshop.id}/close", data={"confirmed": "yes"})
    unknown = "ZZZZZZ" if workshop.join_code != "ZZZZZZ" else "YYYYYY"
    closed = app.test_client().post("/join", data={"code": workshop.join_code, "team": "A"})
    other = app.test_client().post("/join", data={"code": unknown, "team": "A"})
    assert closed.status_code == other.status_code
    assert closed.data.replace(workshop.join_code.encode(), b"") == other.data.replace(
        unknown.encode(), b""
    )


@pytest.mark.parametrize("app_settings", [{"WORKSHOP_JOIN_LIMIT_PER_ADDRESS": "5 per minute"}])
def test_guessing_codes_is_limited_per_address(app, workshop, app_settings):
    guesser = app.test_client()
    statuses = [
        guesser.post("/join", data={"code": f"AAAA{n:02d}", "team": "Guess"}).status_code
        for n in range(7)
    ]
    assert statuses[:5] == [200] * 5
    assert statuses[5:] == [429, 429]
    page = guesser.post("/join", data={"code": "X", "team": "Y"}).get_data(as_text=True)
    assert "Too many attempts to join a workshop from here" in page
    # Even the right code waits now: the address is throttled, not the code.
    response = guesser.post("/join", data={"code": workshop.join_code, "team": "Guess"})
    assert response.status_code == 429


@pytest.mark.parametrize("app_settings", [{"WORKSHOP_JOIN_LIMIT_PER_CODE": "3 per minute"}])
def test_joins_are_limited_per_code(app, workshop, app_settings):
    statuses = [
        app.test_client()
        .post("/join", data={"code": workshop.join_code, "team": f"Team {n}"})
        .status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 302, 429]


def test_the_facilitator_caps_the_number_of_teams(app, admin_client):
    workshop = open_workshop(admin_client, max_teams="2")
    assert workshop.max_teams == 2
    join(app, workshop.join_code, "Team A")
    join(app, workshop.join_code, "Team B")
    third = app.test_client().post("/join", data={"code": workshop.join_code, "team": "Team C"})
    assert third.status_code == 200
    assert b"all the teams it takes" in third.data
    assert len(db.session.scalars(select(WorkshopTeam)).all()) == 2


def test_a_cap_of_no_teams_is_refused_with_a_message(admin_client):
    response = admin_client.post(
        "/workshops/new",
        data={"title": "T", "questionnaire": "workshop-exercise", "max_teams": "0"},
    )
    assert response.status_code == 200
    assert b"Between 1 and 1000 teams." in response.data
