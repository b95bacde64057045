"""Autosave throughput against a bare Flask route that inserts one row, same app and database.

Both run through the same app (middleware, session, security headers) on the same SQLite file,
one request after another through the WSGI test client, so the ratio isolates what autosave
adds: the scoping look-up, checking the answer, the conditional update, the audit entry, and
the progress and visibility it sends back.
"""

from __future__ import annotations

import tempfile
import time

from sqlalchemy import Column, Integer, MetaData, String, Table, insert

REQUESTS = 1500


def run():
    from app.extensions import db
    from tests.conftest import make_test_app
    from tests.factories import make_assessment, make_organisation, make_user, signed_in

    folder = tempfile.mkdtemp(prefix="ddcheck-bench-")
    app = make_test_app(f"sqlite:///{folder}/bench.sqlite")
    bench_metadata = MetaData()
    rows = Table(
        "bench_row",
        bench_metadata,
        Column("id", Integer, primary_key=True),
        Column("value", String(50)),
    )

    @app.post("/bench/insert")
    def bare_insert():
        db.session.execute(insert(rows).values(value="x"))
        db.session.commit()
        return {"ok": True}

    with app.app_context():
        db.create_all()
        bench_metadata.create_all(db.engine)
        organisation = make_organisation("Bench Org", "company")
        user = make_user(organisation, "admin")
        assessment = make_assessment(organisation, user)
        from app.content import content

        questionnaire = content().get("supplier")
        question = next(q for q in questionnaire.questions if q.type == "maturity")
        options = [o.value for o in questionnaire.options_for(question)]
        assessment_id = assessment.id
        client = signed_in(app.test_client(), user)
    url = f"/assessments/{assessment_id}/answers/{question.key}"

    state = {"revision": 0, "saves": 0}

    def autosave_loop(n: int) -> float:
        started = time.perf_counter()
        for _ in range(n):
            # Every request changes the answer, so each one writes a row and an audit entry.
            state["saves"] += 1
            value = options[state["saves"] % len(options)]
            response = client.post(url, json={"value": value, "revision": state["revision"]})
            assert response.status_code == 200, response.get_json()
            state["revision"] = response.get_json()["revision"]
        return n / (time.perf_counter() - started)

    def bare_loop(n: int) -> float:
        started = time.perf_counter()
        for _ in range(n):
            assert client.post("/bench/insert").status_code == 200
        return n / (time.perf_counter() - started)

    with app.app_context():
        autosave_loop(50)  # warm up both paths
        bare_loop(50)
        bare = bare_loop(REQUESTS)
        autosave = autosave_loop(REQUESTS)
    yield f"bare insert route: {bare:8.0f} requests/s ({REQUESTS} requests, SQLite, WAL)"
    yield f"answer autosave:   {autosave:8.0f} requests/s ({REQUESTS} requests, each a real change)"
    yield f"ratio autosave / bare: {autosave / bare:.2f} (goal >= 0.5)"
