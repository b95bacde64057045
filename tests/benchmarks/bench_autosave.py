"""Autosave throughput against a bare Flask route that inserts one row, same app and database.

Both run through the same app (middleware, session cookie, CSRF check, security headers) on
the same SQLite file, one request after another through the WSGI test client, so the ratio
isolates what autosave adds: the user or team look-up, the scoping look-up, checking the
answer, the conditional write, the audit entry, and the progress and visibility it sends back.

The two are measured in alternating rounds and the median ratio is printed, so that a burst of
load from elsewhere on a shared machine spoils one round, not the figure. The ratio is given
in wall time and in CPU time (the process's own; SQLite runs inside it), the latter being the
steadier one on a busy machine. A workshop team's autosave (no account, a team cookie) is
measured the same way.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time

from sqlalchemy import Column, Integer, MetaData, String, Table, insert

# Many short rounds: on a shared machine a burst of load from elsewhere lasts seconds, and a
# median of many ratios leaves the rounds it spoils aside.
ROUNDS = 150
PER_ROUND = 8
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _token(client, path: str) -> str:
    page = client.get(path, follow_redirects=True)
    found = TOKEN.search(page.get_data(as_text=True))
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def run():
    from app.content import content
    from app.extensions import db
    from app.models import WorkshopTeam
    from app.workshops import services as workshops
    from tests.conftest import make_test_app
    from tests.factories import make_assessment, make_organisation, make_user, signed_in

    folder = tempfile.mkdtemp(prefix="ddcheck-bench-")
    # CSRF on, as in production: every POST below carries the token like the page's script.
    app = make_test_app(f"sqlite:///{folder}/bench.sqlite", WTF_CSRF_ENABLED=True)
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

    # The test client runs each request in its own context and then refreshes this one's session.
    context = app.app_context()
    context.push()
    db.create_all()
    bench_metadata.create_all(db.engine)
    organisation = make_organisation("Bench Org", "company")
    user = make_user(organisation, "admin")
    assessment = make_assessment(organisation, user)
    questionnaire = content().get("supplier")
    question = next(q for q in questionnaire.questions if q.type == "maturity")
    options = [o.value for o in questionnaire.options_for(question)]
    first_theme = questionnaire.themes[0].key
    assessment_id = assessment.id
    workshop = workshops.create_workshop(
        user=user,
        title="Bench workshop",
        questionnaire=content().get(workshops.DEFAULT_QUESTIONNAIRE),
        case_text=None,
        reveal_at_end=True,
    )
    exercise = content().get(workshops.DEFAULT_QUESTIONNAIRE)
    team_question = next(q for q in exercise.questions if q.type != "text" and q.choices)
    team_options = [o.value for o in exercise.options_for(team_question)]
    code = workshop.join_code
    member = signed_in(app.test_client(), user)

    member_headers = {
        "X-CSRFToken": _token(member, f"/assessments/{assessment_id}/themes/{first_theme}")
    }
    team = app.test_client()
    joined = team.post(
        "/join",
        data={"csrf_token": _token(team, f"/join/{code}"), "code": code, "team": "Bench team"},
    )
    assert joined.status_code == 302, joined.status_code
    team_assessment = db.session.scalar(db.select(WorkshopTeam.assessment_id))
    team_headers = {
        "X-CSRFToken": _token(
            team, f"/assessments/{team_assessment}/themes/{exercise.themes[0].key}"
        )
    }

    def saver(client, url, values, headers):
        state = {"revision": 0, "saves": 0}

        def save() -> None:
            # Every request changes the answer, so each one writes a row and an audit entry.
            state["saves"] += 1
            value = values[state["saves"] % len(values)]
            response = client.post(
                url, json={"value": value, "revision": state["revision"]}, headers=headers
            )
            assert response.status_code == 200, response.get_json()
            state["revision"] = response.get_json()["revision"]

        return save

    def bare() -> None:
        assert member.post("/bench/insert", headers=member_headers).status_code == 200

    paths = {
        "member": saver(
            member, f"/assessments/{assessment_id}/answers/{question.key}", options, member_headers
        ),
        "team": saver(
            team,
            f"/assessments/{team_assessment}/answers/{team_question.key}",
            team_options,
            team_headers,
        ),
    }

    def timed(action, n: int) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            action()
        return time.perf_counter() - wall, time.process_time() - cpu

    for action in (bare, *paths.values()):
        timed(action, 30)  # warm up every path
    bare_rates, ratios = [], {name: ([], []) for name in paths}
    for _ in range(ROUNDS):
        bare_wall, bare_cpu = timed(bare, PER_ROUND)
        bare_rates.append(PER_ROUND / bare_wall)
        for name, action in paths.items():
            wall, cpu = timed(action, PER_ROUND)
            ratios[name][0].append(bare_wall / wall)
            ratios[name][1].append(bare_cpu / cpu)
    yield (
        f"bare insert route: {statistics.median(bare_rates):6.0f} requests/s "
        f"(median of {ROUNDS} rounds of {PER_ROUND}, SQLite, WAL, CSRF on)"
    )
    labels = {
        "member": "signed-in member, supplier",
        "team": "workshop team, workshop exercise",
    }
    for name, (wall, cpu) in ratios.items():
        yield (
            f"autosave ratio ({labels[name]}): wall {statistics.median(wall):.2f} "
            f"[{min(wall):.2f}-{max(wall):.2f}], CPU {statistics.median(cpu):.2f} "
            f"[{min(cpu):.2f}-{max(cpu):.2f}]"
        )
    yield "AUTOSAVE RATIO (autosave / bare insert, median, goal >= 0.50): " + ", ".join(
        f"{labels[name].split(',')[0]} {statistics.median(wall):.2f}"
        for name, (wall, _cpu) in ratios.items()
    )
    context.pop()
