"""The live board of a 300-team workshop: time per request of the board's live part, which the
facilitator's page fetches every few seconds while the teams answer.

Every team has answered every question of the workshop exercise (generated answers); the
board reads all answers in one query and scores each team with the engine.
"""

from __future__ import annotations

import tempfile
import time

TEAMS = 300
REQUESTS = 20


def run():
    import questionnaires as engine
    from app.content import content
    from app.extensions import db
    from app.models import Answer
    from app.workshops import participation, services
    from tests.conftest import make_test_app
    from tests.factories import make_organisation, make_user, signed_in

    folder = tempfile.mkdtemp(prefix="ddcheck-bench-")
    app = make_test_app(f"sqlite:///{folder}/bench.sqlite")
    with app.app_context():
        db.create_all()
        organisation = make_organisation("Bench Training", "training_provider")
        user = make_user(organisation, "admin")
        questionnaire = content().get(services.DEFAULT_QUESTIONNAIRE)
        workshop = services.create_workshop(
            user=user,
            title="Bench",
            questionnaire=questionnaire,
            case_text=None,
            reveal_at_end=True,
        )
        for number in range(TEAMS):
            team = participation.join(workshop.join_code, f"Team {number}")
            answers = engine.sample_answers(questionnaire, seed=number, level=0.5)
            db.session.add_all(
                Answer(
                    assessment_id=team.assessment_id,
                    question_key=key,
                    value=answer.value,
                    comment=answer.comment,
                    revision=1,
                )
                for key, answer in answers.items()
            )
        db.session.commit()
        workshop_id = workshop.id
        client = signed_in(app.test_client(), user)
    url = f"/workshops/{workshop_id}/board/live"
    with app.app_context():
        assert client.get(url).status_code == 200  # warm up
        timings = []
        for _ in range(REQUESTS):
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200 and b"Team 299" in response.data
    timings.sort()
    yield (
        f"board's live part, {TEAMS} teams x {len(questionnaire.questions)} answers: "
        f"median {1000 * timings[len(timings) // 2]:.0f} ms, "
        f"slowest {1000 * timings[-1]:.0f} ms ({REQUESTS} requests)"
    )
