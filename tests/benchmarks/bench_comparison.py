"""The comparison page for 200 submitted contractor assessments on the supplier questionnaire.

The assessments get generated answers (questionnaires.sample_answers, a different seed and
level each), written straight to the database so that setting up stays quick. The page is
then requested through the Flask test client, warm, several times; the median counts.
"""

from __future__ import annotations

import statistics
import tempfile
import time

CONTRACTORS = 200
RUNS = 7
GOAL_SECONDS = 1.0


def run():
    from sqlalchemy import insert

    import questionnaires as engine
    from app.content import content
    from app.extensions import db
    from app.models import Answer, AssessmentStatus, utcnow
    from tests.conftest import make_test_app
    from tests.factories import make_contractor, make_organisation, make_user, signed_in

    folder = tempfile.mkdtemp(prefix="ddcheck-bench-")
    app = make_test_app(f"sqlite:///{folder}/bench.sqlite")
    with app.app_context():
        db.create_all()
        organisation = make_organisation("Bench Buyer", "buyer")
        user = make_user(organisation, "admin")
        supplier = content().get("supplier")
        ids = []
        rows = []
        now = utcnow()
        for n in range(CONTRACTORS):
            contractor, _token = make_contractor(organisation, user, f"Contractor {n:03d} Ltd")
            assessment = contractor.assessment
            assessment.status = AssessmentStatus.SUBMITTED
            assessment.submitted_at = now
            ids.append(assessment.id)
            answers = engine.sample_answers(
                supplier, seed=n, level=0.2 + 0.7 * (n % 10) / 10, red_flags=n % 3
            )
            for key, answer in answers.items():
                rows.append(
                    {
                        "assessment_id": assessment.id,
                        "question_key": key,
                        "value": answer.value,
                        "na_reason": answer.na_reason,
                        "comment": answer.comment,
                        "revision": 1,
                        "updated_at": now,
                        "updated_by_label": contractor.contractor_name,
                    }
                )
        db.session.execute(insert(Answer), rows)
        db.session.commit()
        client = signed_in(app.test_client(), user)
        answer_count = len(rows)
    url = "/contractors/compare?" + "&".join(f"ids={i}" for i in ids)

    def timed() -> tuple[float, int]:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200
        return elapsed, len(response.data)

    with app.app_context():
        timed()  # warm up: questionnaire cache, templates
        results = [timed() for _ in range(RUNS)]
    times = sorted(t for t, _size in results)
    median = statistics.median(times)
    size = results[0][1]
    yield (
        f"comparison page, {CONTRACTORS} submitted contractor assessments "
        f"({answer_count} answers): median {median * 1000:6.0f} ms over {RUNS} runs "
        f"(fastest {times[0] * 1000:.0f} ms, slowest {times[-1] * 1000:.0f} ms, "
        f"{size / 1024:.0f} KiB of HTML)"
    )
    yield f"goal < {GOAL_SECONDS:.0f} s: {'met' if median < GOAL_SECONDS else 'NOT met'}"
