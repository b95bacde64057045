"""`make load`: 300 workshop teams against the app served by gunicorn on SQLite.

Creates a fresh SQLite database in a temporary folder, migrates it, adds a facilitator and an
open workshop, starts gunicorn, runs the locust scenario headless, then prints p50/p95
latency and the error count from locust's statistics and compares the answers stored in the
database with the answers the teams sent. Exits 1 on any error or lost answer.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
USERS = int(os.environ.get("LOAD_USERS", "300"))
SPAWN_RATE = os.environ.get("LOAD_SPAWN_RATE", "10")
RUN_TIME = os.environ.get("LOAD_RUN_TIME", "180s")
QUESTIONS = 15


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _seed(env: dict) -> tuple[str, list[dict]]:
    """A facilitator and an open workshop; returns its code and the answering plan."""
    os.environ.update(env)
    from app import create_app
    from app.content import content
    from app.extensions import db
    from app.models import Organisation, OrganisationKind, Role
    from app.workshops import services
    from tests import factories

    app = create_app()
    with app.app_context():
        organisation = Organisation(name="Load Test Centre", kind=OrganisationKind("company"))
        db.session.add(organisation)
        db.session.commit()
        user = factories.make_user(organisation, Role.ADMIN.value)
        questionnaire = content().get(services.DEFAULT_QUESTIONNAIRE)
        workshop = services.create_workshop(
            user=user,
            title="Load test",
            questionnaire=questionnaire,
            case_text=None,
            reveal_at_end=True,
        )
        plan = []
        for question in questionnaire.questions[:QUESTIONS]:
            options = [o.value for o in questionnaire.options_for(question)]
            if question.type == "multiple":
                values = [[v] for v in options] + [options[:2]]
            elif question.type == "text":
                values = ["We would ask the agency for its licence.", "Passports held: ask why."]
            elif question.type == "number":
                values = [question.min or 0, (question.min or 0) + 1]
            else:
                values = options
            plan.append({"key": question.key, "values": values})
        return workshop.join_code, plan


def _stored(env: dict) -> dict[tuple[str, str], object]:
    from sqlalchemy import select

    from app import create_app
    from app.extensions import db
    from app.models import Answer, WorkshopTeam

    app = create_app()
    with app.app_context():
        rows = db.session.execute(
            select(WorkshopTeam.name, Answer.question_key, Answer.value).join(
                Answer, Answer.assessment_id == WorkshopTeam.assessment_id
            )
        )
        return {(name, key): value for name, key, value in rows}


def _normalise(value):
    return sorted(value) if isinstance(value, list) else value


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="ddcheck-load-"))
    env = {
        "DATABASE_URL": f"sqlite:///{folder / 'load.sqlite'}",
        "SECRET_KEY": secrets.token_hex(32),
        "DDCHECK_ENV": "development",
    }
    env.pop("QUESTIONNAIRES_DIR", None)
    child_env = {k: v for k, v in os.environ.items() if k != "QUESTIONNAIRES_DIR"} | env
    subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=child_env,
        check=True,
        capture_output=True,
    )
    code, plan = _seed(env)
    plan_path = folder / "plan.json"
    plan_path.write_text(json.dumps(plan))
    sent_path = folder / "sent.json"
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    print(f"Database {folder / 'load.sqlite'}; workshop code {code}; {len(plan)} questions.")
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-w",
            "2",
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{port}",
            # Phones pause between answers; gunicorn's default 2 s keep-alive would close
            # their idle connections just as the next answer is sent on them.
            "--keep-alive",
            "10",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=child_env,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(host + "/join", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        started = time.perf_counter()
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "tests" / "load" / "locustfile.py"),
                "--headless",
                "-u",
                str(USERS),
                "-r",
                SPAWN_RATE,
                "--run-time",
                RUN_TIME,
                "--host",
                host,
                "--csv",
                str(folder / "locust"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=child_env
            | {
                "LOAD_CODE": code,
                "LOAD_PLAN": str(plan_path),
                "LOAD_SENT": str(sent_path),
                "LOAD_USERS": str(USERS),
            },
            check=False,
        )
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)

    with open(folder / "locust_stats.csv", newline="") as stats_file:
        rows = list(csv.DictReader(stats_file))
    print(f"\n{'request':<36} {'count':>6} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7}")
    for row in rows:
        print(
            f"{row['Name']:<36} {row['Request Count']:>6} {row['Failure Count']:>6} "
            f"{row['50%']:>7} {row['95%']:>7}"
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    errors = int(total["Failure Count"])

    sent = json.loads(sent_path.read_text())
    stored = _stored(env)
    lost = [
        item
        for item in sent
        if _normalise(stored.get((item["team"], item["key"]), object()))
        != _normalise(item["value"])
    ]
    teams = len({item["team"] for item in sent})
    print(
        f"\n{USERS} users, {teams} teams answered, {len(sent)} answers sent, "
        f"{len(stored)} stored, in {elapsed:.0f} s"
    )
    print(
        f"p50 {total['50%']} ms, p95 {total['95%']} ms, errors {errors}, lost answers {len(lost)}"
    )
    for item in lost[:10]:
        print(f"  lost: {item}")
    incomplete = teams < USERS or len(sent) < USERS * len(plan)
    if incomplete:
        print(f"Not every team answered every question: expected {USERS * len(plan)} answers.")
    return 1 if errors or lost or incomplete else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
