"""Commands an operator runs: create-user, seed-demo and questionnaires check."""

from __future__ import annotations

from sqlalchemy import func, select

from app.demo import DEMO_PASSWORD
from app.extensions import db
from app.models import Organisation, Role, User


def test_create_user_creates_the_organisation_and_the_user(runner):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Op@Example.org",
            "--name",
            "Operator",
            "--organisation",
            "Ministry of Works",
            "--kind",
            "buyer",
            "--password",
            "operator password",
        ],
    )
    assert result.exit_code == 0, result.output
    user = User.by_email("op@example.org")
    assert user.role == Role.ADMIN
    assert user.organisation.name == "Ministry of Works"
    assert user.check_password("operator password")


def test_create_user_refuses_a_taken_address_and_a_short_password(runner, admin):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            admin.email,
            "--name",
            "X",
            "--organisation",
            "Y",
            "--password",
            "long enough pw",
        ]
    )
    assert result.exit_code != 0
    assert "exists already" in result.output
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "a@b.org",
            "--name",
            "X",
            "--organisation",
            "Y",
            "--password",
            "short",
        ]
    )
    assert result.exit_code != 0
    assert "at least 12" in result.output


def test_seed_demo_creates_one_organisation_of_each_kind_and_prints_the_sign_in(runner, client):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0
    assert "buyer@demo.ddcheck.test" in result.output
    kinds = set(db.session.scalars(select(Organisation.kind)))
    assert {k.value for k in kinds} == {"buyer", "company", "training_provider"}
    response = client.post(
        "/sign-in", data={"email": "company@demo.ddcheck.test", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    # Running it again changes nothing.
    count = db.session.scalar(select(func.count()).select_from(User))
    result = runner.invoke(args=["seed-demo"])
    assert "exists already" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == count


def test_seed_demo_adds_a_submitted_and_a_draft_self_assessment_to_the_demo_company(runner, client):
    from app.models import Assessment, AssessmentStatus

    runner.invoke(args=["seed-demo"])
    company = db.session.scalar(select(Organisation).where(Organisation.kind == "company"))
    assessments = db.session.scalars(
        select(Assessment).where(Assessment.organisation_id == company.id).order_by(Assessment.id)
    ).all()
    assert [a.status for a in assessments] == [AssessmentStatus.SUBMITTED, AssessmentStatus.DRAFT]
    assert assessments[1].previous_id == assessments[0].id
    client.post("/sign-in", data={"email": "company@demo.ddcheck.test", "password": DEMO_PASSWORD})
    page = client.get(f"/assessments/{assessments[1].id}/results").get_data(as_text=True)
    assert "Compared with the assessment submitted on" in page
    # A second run adds no assessment.
    runner.invoke(args=["seed-demo"])
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Assessment)
            .where(Assessment.organisation_id == company.id)
        )
        == 2
    )


def test_seed_demo_gives_the_buyer_three_contractors_in_different_states(runner, client):
    from app.models import Assessment, AssessmentKind

    runner.invoke(args=["seed-demo"])
    client.post("/sign-in", data={"email": "buyer@demo.ddcheck.test", "password": DEMO_PASSWORD})
    page = client.get("/contractors/").get_data(as_text=True)
    statuses = {}
    for name in ("Riverside Facility Services", "Eastgate Construction", "Meridian Garments"):
        row = page.split(f'data-contractor="{name}"', 1)[1].split("</tr>", 1)[0]
        statuses[name] = row.split('data-status="', 1)[1].split('"', 1)[0]
    assert statuses == {
        "Riverside Facility Services": "invited",
        "Eastgate Construction": "in-progress",
        "Meridian Garments": "submitted",
    }
    meridian = page.split('data-contractor="Meridian Garments"', 1)[1].split("</tr>", 1)[0]
    assert 'class="text-danger fw-bold">2<' in meridian
    # A second run adds no contractor.
    count = (
        select(func.count())
        .select_from(Assessment)
        .where(Assessment.kind == AssessmentKind.CONTRACTOR)
    )
    runner.invoke(args=["seed-demo"])
    assert db.session.scalar(count) == 3


def test_seed_demo_adds_a_closed_workshop_whose_teams_answered(runner, client):
    from app.models import AssessmentStatus, Workshop

    runner.invoke(args=["seed-demo"])
    workshop = db.session.scalar(select(Workshop))
    assert not workshop.is_open and workshop.revealed
    assert len(workshop.teams) >= 3
    for team in workshop.teams:
        assert team.assessment.status == AssessmentStatus.SUBMITTED
        assert len(team.assessment.answers) >= 10
    client.post(
        "/sign-in", data={"email": "facilitator@demo.ddcheck.test", "password": DEMO_PASSWORD}
    )
    board = client.get(f"/workshops/{workshop.id}/board.json").json
    assert [t["name"] for t in board["teams"]] == [t.name for t in workshop.teams]
    assert board["gaps"]
    # A second run adds no second workshop.
    runner.invoke(args=["seed-demo"])
    assert db.session.scalar(select(func.count()).select_from(Workshop)) == 1


def test_questionnaires_check_summarises_the_shipped_files_and_exits_0(runner):
    result = runner.invoke(args=["questionnaires", "check"])
    assert result.exit_code == 0, result.output
    for name in ("buyer.yaml", "supplier.yaml", "workshop-exercise.yaml", "resources.yaml"):
        assert name in result.output
    assert "themes" in result.output and "critical" in result.output
    # Each translation gets a line of its own, and the shipped ones are complete.
    assert "supplier.ru.yaml (ru): 0 missing, 0 orphan" in result.output


BROKEN = {
    # name: (pattern, replacement, the item named, the problem named)
    "unknown key": (r"\n    source:", "\n    colour: red\n    source:", "questions[0]", "'colour'"),
    "theme without questions": (
        r"\nthemes:\n",
        "\nthemes:\n  - {key: lonely, title: Lonely}\n",
        "themes[0] 'lonely'",
        "the theme has no questions",
    ),
    "zero weight": (
        r"\n    weight: [0-9.]+",
        "\n    weight: 0",
        "themes[1] 'recruitment-fees'.weight",
        "must be more than 0",
    ),
}


def test_questionnaires_check_names_the_file_the_item_and_the_problem_and_exits_1(runner, tmp_path):
    import re
    import shutil

    import questionnaires as engine

    shipped = (engine.SHIPPED_DIR / "workshop-exercise.yaml").read_text(encoding="utf-8")
    for name, (pattern, replacement, item, expected) in BROKEN.items():
        folder = tmp_path / name.replace(" ", "-")
        folder.mkdir()
        shutil.copy(engine.SHIPPED_DIR / "tags.yaml", folder)
        shutil.copy(engine.SHIPPED_DIR / "resources.yaml", folder)
        broken = re.sub(pattern, replacement, shipped, count=1)
        assert broken != shipped, name
        (folder / "broken.yaml").write_text(broken, encoding="utf-8")
        result = runner.invoke(args=["questionnaires", "check", str(folder)])
        assert result.exit_code == 1, name
        assert f"broken.yaml: {item}" in result.output, (name, result.output)
        assert expected in result.output, (name, result.output)
        # The same file checked on its own gives the same message.
        single = runner.invoke(args=["questionnaires", "check", str(folder / "broken.yaml")])
        assert single.exit_code == 1 and expected in single.output


def test_the_app_refuses_to_start_on_an_invalid_questionnaire_with_the_same_message(tmp_path):
    import pytest

    from app import create_app

    (tmp_path / "bad.yaml").write_text("key: bad\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        create_app({"QUESTIONNAIRES_DIR": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert "Refusing to start" in str(stopped.value.code)
    assert "bad.yaml" in str(stopped.value.code)
    assert "not valid YAML" in str(stopped.value.code)


def test_questionnaires_check_prints_warnings_and_still_exits_0(runner, tmp_path):
    import shutil

    import yaml

    import questionnaires as engine

    folder = tmp_path / "content"
    folder.mkdir()
    for name in ("tags.yaml", "resources.yaml"):
        shutil.copy(engine.SHIPPED_DIR / name, folder)
    data = yaml.safe_load((engine.SHIPPED_DIR / "workshop-exercise.yaml").read_text("utf-8"))
    data["questions"][0].pop("primary_resources")  # a warning, not an error
    (folder / "workshop-exercise.yaml").write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )

    result = runner.invoke(args=["questionnaires", "check", str(folder)])

    assert result.exit_code == 0, result.output
    assert "warning: workshop-exercise.yaml: questions[0]" in result.output
    assert "names no primary_resources" in result.output
    assert "warning(s)." in result.output
