"""Submission is final in the database: real clients autosave through gunicorn while one submits.

Several rounds of submit and reopen run while eight clients keep saving answers; no answer
may be written between a submission and the next reopening, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from app.extensions import db
from app.models import Answer, Assessment, AuditEntry
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 8
ROUNDS = 4
SAVES_PER_ROUND = 12


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn(app, database_url):
    port = _free_port()
    env = dict(os.environ, RACE_DATABASE_URL=database_url, DDCHECK_ENV="testing")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers=3",
            "--preload",
            "--graceful-timeout=1",
            "--threads=4",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            "tests.web.race_server:app",
        ],
        cwd=ROOT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(url + "/sign-in", timeout=10)
                break
            except requests.RequestException:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _session(url, user):
    http = requests.Session()
    response = http.post(
        url + "/sign-in",
        data={"email": user.email, "password": factories.PASSWORD},
        allow_redirects=False,
    )
    assert response.status_code == 302
    return http


def test_no_answer_is_written_between_submission_and_reopening(gunicorn, organisation, admin):
    supplier = factories.content_questionnaire("supplier")
    questions = [
        q for q in supplier.questions if len(supplier.options_for(q)) >= 2 and not q.show_if
    ][:CLIENTS]
    assessment = factories.make_assessment(organisation, admin)
    assessment_id = assessment.id
    sessions = [_session(gunicorn, admin) for _ in range(CLIENTS + 1)]
    stop = threading.Event()
    saves = [0]
    lock = threading.Lock()
    errors: list[str] = []

    def autosave(http, question):
        values = [o.value for o in supplier.options_for(question)][:2]
        revision = 0
        address = f"{gunicorn}/assessments/{assessment_id}/answers/{question.key}"
        for turn in range(2000):  # bounded; ends when the submitter is done
            if stop.is_set():
                return
            try:
                response = http.post(
                    address, json={"value": values[turn % 2], "revision": revision}, timeout=30
                )
            except requests.Timeout:
                continue  # a busy machine, not a late write: try the next turn
            try:
                body = response.json()
            except ValueError:
                # Not the autosave's JSON (a proxy or server error page): a failure to report,
                # not a thread that dies unseen.
                errors.append(f"{response.status_code} {response.text[:300]!r}")
                return
            if response.status_code == 200:
                revision = body["revision"]
                with lock:
                    saves[0] += 1
            elif body.get("error") == "conflict":
                revision = body["revision"]
            elif body.get("error") != "closed":
                errors.append(f"{response.status_code} {body}")
                return

    threads = [
        threading.Thread(target=autosave, args=(http, q))
        for http, q in zip(sessions, questions, strict=False)
    ]
    for thread in threads:
        thread.start()
    submitter = sessions[-1]
    try:
        for round_ in range(ROUNDS):
            target = saves[0] + SAVES_PER_ROUND
            deadline = time.monotonic() + 20
            while saves[0] < target and time.monotonic() < deadline and not errors:
                time.sleep(0.01)
            submitted = submitter.post(
                f"{gunicorn}/assessments/{assessment_id}/submit", allow_redirects=False
            )
            assert submitted.status_code == 302
            time.sleep(0.1)  # autosaves keep arriving while it is submitted
            if round_ < ROUNDS - 1:
                reopened = submitter.post(
                    f"{gunicorn}/assessments/{assessment_id}/reopen", allow_redirects=False
                )
                assert reopened.status_code == 302
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert not errors
    assert saves[0] >= ROUNDS * SAVES_PER_ROUND

    db.session.expire_all()
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.assessment_id == assessment_id).order_by(AuditEntry.id)
    ).all()
    assert [e.event for e in entries].count("submitted") == ROUNDS
    # Answers recorded after a submission and before the next reopening: writes that got in.
    late, closed = [], False
    for entry in entries:
        if entry.event in ("submitted", "reopened"):
            closed = entry.event == "submitted"
        elif entry.event == "answer" and closed:
            late.append((entry.question_key, entry.created_at))
    assert late == []
    submitted_at = db.session.get(Assessment, assessment_id).submitted_at
    answers = db.session.scalars(select(Answer).where(Answer.assessment_id == assessment_id))
    assert [a.question_key for a in answers if a.updated_at > submitted_at] == []
