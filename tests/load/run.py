"""`make load`: workshop participants answer through gunicorn while reports are downloaded.

    make load                                   # 300 participants (300 teams) on SQLite
    make load PARTICIPANTS=1000 DATABASE_URL=postgresql://u:pw@127.0.0.1/ddcheck_load \\
        REDIS_URL=redis://127.0.0.1:6379/13

Without DATABASE_URL a fresh SQLite file in a temporary folder is used. A PostgreSQL database
is emptied and migrated afresh, so it must be one kept for load runs: the run refuses a
database that holds any organisation but its own. With REDIS_URL the workers share their rate
limit counters in Redis, and when the app has a report queue (`flask worker`) one worker runs
beside gunicorn and renders the reports; without it reports render inside the web workers.

Seeds a facilitator, an open workshop (its `max_teams` set to the number of teams) and some
answered supplier assessments whose gap reports are downloaded; starts gunicorn (4 workers);
runs the locust scenario headless (tests/load/locustfile.py); then prints p50/p95/p99 of the
answer saves, the errors, the report download times and the load average of the machine, and
checks in the database that every answer a participant saved is stored, as its last saved
value and revision. Exits 1 on any error or lost answer.

The join limits (per address and per code) are raised for the run: every participant joins
from 127.0.0.1 with the same code. Further settings, by environment variable: TEAMS (300),
WORKERS (4), THREADS (4 per worker), DOWNLOADS (20), LOAD_SPAWN_RATE (participants starting per
second, 10), LOAD_SAVES (answers per participant, 15), LOAD_THINK (seconds a participant takes
between two answers, "5-15": reading the question, a word with the table, a tap; at 1,000
participants that is about 100 saves a second; "0.5-3" is a stress test, several times any real
room), LOAD_RUN_TIME (the longest the run may take, "900s").
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PARTICIPANTS = int(os.environ.get("PARTICIPANTS") or os.environ.get("LOAD_USERS") or 300)
TEAMS = min(int(os.environ.get("TEAMS") or 300), PARTICIPANTS)
WORKERS = os.environ.get("WORKERS") or "4"
THREADS = os.environ.get("THREADS") or "4"
DOWNLOADS = int(os.environ.get("DOWNLOADS") or 20)
SPAWN_RATE = os.environ.get("LOAD_SPAWN_RATE", "10")
RUN_TIME = os.environ.get("LOAD_RUN_TIME", "900s")
SAVES = os.environ.get("LOAD_SAVES", "15")
THINK = os.environ.get("LOAD_THINK", "5-15")
# Assessments whose gap reports are downloaded (each a different report, so no cache helps).
REPORT_ASSESSMENTS = 10
CENTRE = "Load Test Centre"
ANSWER_SAVES = "/assessments/[id]/answers/[key]"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _app():
    from app import create_app

    return create_app()


def _empty_postgres(env: dict) -> None:
    """Drop every table of a PostgreSQL database kept for load runs (refuse any other)."""
    from sqlalchemy import create_engine, inspect, text

    from config import normalise_database_url

    engine = create_engine(normalise_database_url(env["DATABASE_URL"]))
    with engine.begin() as connection:
        tables = inspect(connection).get_table_names()
        if "organisation" in tables:
            names = {row[0] for row in connection.execute(text("SELECT name FROM organisation"))}
            if names - {CENTRE}:
                raise SystemExit(
                    "Refusing to empty this database: it holds organisations other than the "
                    "load test's own. Name a database kept for load runs."
                )
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _empty_queue() -> None:
    """Forget the report jobs an earlier run left in Redis: the seeded reports are the same
    from run to run, so a job of the last run would stand for this run's."""
    from rq.job import Job

    from app.report_jobs import queue

    with _app().app_context():
        jobs = queue.queue()
        ids = set(jobs.get_job_ids())
        for registry in (
            jobs.started_job_registry,
            jobs.finished_job_registry,
            jobs.failed_job_registry,
            jobs.scheduled_job_registry,
            jobs.deferred_job_registry,
        ):
            ids.update(registry.get_job_ids())
        for job in Job.fetch_many(list(ids), connection=jobs.connection):
            if job is not None:
                job.delete()
        jobs.empty()


def _seed(env: dict) -> dict:
    """The facilitator, an open workshop, answered assessments; what the scenario needs."""
    from app.content import content
    from app.extensions import db
    from app.models import Organisation, OrganisationKind, Role
    from app.workshops import services
    from questionnaires import sample_answers
    from tests import factories

    app = _app()
    with app.app_context():
        organisation = Organisation(name=CENTRE, kind=OrganisationKind("company"))
        db.session.add(organisation)
        db.session.commit()
        password = secrets.token_hex(12)
        user = factories.make_user(organisation, Role.ADMIN.value, password=password)
        questionnaire = content().get(services.DEFAULT_QUESTIONNAIRE)
        workshop = services.create_workshop(
            user=user,
            title="Load test",
            questionnaire=questionnaire,
            case_text=None,
            reveal_at_end=True,
            # As a facilitator would set it: exactly as many teams as are expected.
            max_teams=TEAMS,
        )
        plan = []
        for question in questionnaire.questions:
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
        reports = [
            {"name": "group report", "url": f"/workshops/{workshop.id}/report.pdf"},
        ]
        supplier = content().get("supplier")
        for number in range(REPORT_ASSESSMENTS):
            assessment = factories.make_assessment(
                organisation, user, subject=f"Supplier site {number + 1}"
            )
            factories.answer_all(
                assessment, sample_answers(supplier, seed=number, level=0.3 + number / 20), user
            )
            reports.append(
                {"name": "assessment gap report", "url": f"/assessments/{assessment.id}/report.pdf"}
            )
        return {
            "code": workshop.join_code,
            "plan": plan,
            "reports": reports,
            "email": user.email,
            "password": password,
        }


def _stored(env: dict) -> dict[tuple[str, str], tuple[object, int]]:
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Answer, WorkshopTeam

    app = _app()
    with app.app_context():
        rows = db.session.execute(
            select(WorkshopTeam.name, Answer.question_key, Answer.value, Answer.revision).join(
                Answer, Answer.assessment_id == WorkshopTeam.assessment_id
            )
        )
        return {(name, key): (value, revision) for name, key, value, revision in rows}


def _normalise(value):
    return sorted(value) if isinstance(value, list) else value


def _lost(sent: list[dict], stored: dict) -> list[str]:
    """Every saved answer must be stored: per team and question, the value of the last save,
    under its revision. Two saves of different values acknowledged with the same revision mean
    one was lost; the same value saved again keeps its revision (nothing changed)."""
    last: dict[tuple[str, str], dict] = {}
    seen: dict[tuple[str, str, int], object] = {}
    problems = []
    for item in sent:
        key = (item["team"], item["key"])
        mark = (*key, item["revision"])
        value = _normalise(item["value"])
        if mark in seen and seen[mark] != value:
            problems.append(f"two saves acknowledged as revision {item['revision']}: {key}")
        seen[mark] = value
        if key not in last or item["revision"] > last[key]["revision"]:
            last[key] = item
    for key, item in last.items():
        value, revision = stored.get(key, (None, 0))
        if revision != item["revision"] or _normalise(value) != _normalise(item["value"]):
            problems.append(
                f"{key}: saved {item['value']!r} as revision {item['revision']}, "
                f"stored {value!r} as revision {revision}"
            )
    return problems


def _has_report_queue(env: dict) -> bool:
    found = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "worker", "--help"],
        cwd=ROOT,
        env=env,
        capture_output=True,
    )
    return found.returncode == 0


class LoadAverage(threading.Thread):
    """Samples the machine's 1-minute load average during the run."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.wait(5):
            self.samples.append(os.getloadavg()[0])


def _tree_cpu(pid: int) -> float:
    """CPU seconds of a process, its live children and the children it has reaped."""
    import psutil

    try:
        process = psutil.Process(pid)
        own = process.cpu_times()
        total = own.user + own.system + own.children_user + own.children_system
        for child in process.children(recursive=True):
            try:
                times = child.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        return total
    except psutil.NoSuchProcess:
        return 0.0


def _service_cpu(name: str) -> float:
    """CPU seconds of every running process called `name` (PostgreSQL's, Redis's)."""
    import psutil

    total = 0.0
    for process in psutil.process_iter(["name", "cpu_times"]):
        if process.info["name"] and process.info["name"].startswith(name):
            times = process.info["cpu_times"]
            if times is not None:
                total += times.user + times.system
    return total


def _wait_cpu(process: subprocess.Popen) -> float:
    """Wait for a child and return the CPU seconds it used."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process.wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _wait_until_up(host: str) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(host + "/healthz", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="ddcheck-load-"))
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'load.sqlite'}"
    redis_url = os.environ.get("REDIS_URL") or ""
    join_limit = f"{max(1000, 2 * PARTICIPANTS)} per 10 minutes"
    env = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "DDCHECK_ENV": "production",
        # Plain HTTP on 127.0.0.1: the cookies must travel without TLS.
        "SESSION_COOKIE_SECURE": "false",
        "REPORT_CACHE_DIR": str(folder / "report-cache"),
        # Every participant joins from 127.0.0.1 with the same code.
        "WORKSHOP_JOIN_LIMIT_PER_ADDRESS": join_limit,
        "WORKSHOP_JOIN_LIMIT_PER_CODE": join_limit,
    }
    if redis_url:
        env |= {"REDIS_URL": redis_url, "RATELIMIT_STORAGE_URI": redis_url}
    child_env = {k: v for k, v in os.environ.items() if k != "QUESTIONNAIRES_DIR"} | env
    if not redis_url:
        child_env.pop("REDIS_URL", None)
        child_env.pop("RATELIMIT_STORAGE_URI", None)
    # The app's settings are read when `config` is first imported: this process (which seeds
    # and checks the database) uses the same ones as gunicorn.
    os.environ.clear()
    os.environ.update(child_env)
    engine_name = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    if engine_name == "PostgreSQL":
        _empty_postgres(env)
    subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=child_env,
        check=True,
        capture_output=True,
    )
    if redis_url:
        _empty_queue()
    seeded = _seed(child_env)
    plan_path, reports_path = folder / "plan.json", folder / "reports.json"
    plan_path.write_text(json.dumps(seeded["plan"]))
    reports_path.write_text(json.dumps(seeded["reports"]))
    sent_path, downloads_path = folder / "sent.json", folder / "downloads.json"
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    queue = bool(redis_url) and _has_report_queue(child_env)
    print(
        f"{PARTICIPANTS} participants in {TEAMS} teams, {DOWNLOADS} report downloads; "
        f"{engine_name}, Redis {'on' if redis_url else 'off'}, gunicorn {WORKERS} workers x "
        f"{THREADS} threads, reports {'on a queue worker' if queue else 'rendered in-process'}; "
        f"{SAVES} answers each, {THINK} s apart; "
        f"workshop code {seeded['code']}; files in {folder}",
        flush=True,
    )
    processes = []
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-w",
            WORKERS,
            "--threads",
            THREADS,
            "-b",
            f"127.0.0.1:{port}",
            # Phones pause between answers; gunicorn's default 2 s keep-alive would close
            # their idle connections just as the next answer is sent on them.
            "--keep-alive",
            str(int(float(THINK.split("-")[-1])) + 15),
            # A report rendered in-process may hold a thread longer than the default 30 s.
            "--timeout",
            "120",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=child_env,
    )
    processes.append(server)
    if queue:
        processes.append(
            subprocess.Popen(
                [str(BIN / "flask"), "--app", "wsgi", "worker"], cwd=ROOT, env=child_env
            )
        )
    load = LoadAverage()
    try:
        _wait_until_up(host)
        uptime_before = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
        load.start()
        services_before = {name: _service_cpu(name) for name in ("postgres", "redis-server")}
        web_before = _tree_cpu(server.pid)
        worker_before = _tree_cpu(processes[1].pid) if queue else 0.0
        cpu_before = time.process_time()
        started = time.perf_counter()
        locust = subprocess.Popen(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "tests" / "load" / "locustfile.py"),
                "--headless",
                "-u",
                str(PARTICIPANTS),
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
                "LOAD_CODE": seeded["code"],
                "LOAD_PLAN": str(plan_path),
                "LOAD_SENT": str(sent_path),
                "LOAD_USERS": str(PARTICIPANTS),
                "LOAD_TEAMS": str(TEAMS),
                "LOAD_SAVES": SAVES,
                "LOAD_THINK": THINK,
                "LOAD_DOWNLOADS": str(DOWNLOADS),
                "LOAD_REPORTS": str(reports_path),
                "LOAD_DOWNLOADS_SENT": str(downloads_path),
                "LOAD_EMAIL": seeded["email"],
                "LOAD_PASSWORD": seeded["password"],
            },
            # Locust's own tables go to a file: the figures that matter are printed below.
            stdout=subprocess.DEVNULL,
            stderr=(folder / "locust.log").open("w"),
        )
        # Where the machine's CPU went: the load generator shares the machine with the app.
        cpu = {"locust": _wait_cpu(locust)}
        elapsed = time.perf_counter() - started
        cpu["web"] = _tree_cpu(server.pid) - web_before
        cpu["worker"] = _tree_cpu(processes[1].pid) - worker_before if queue else 0.0
        for name, before in services_before.items():
            cpu[name] = _service_cpu(name) - before
        cpu["runner"] = time.process_time() - cpu_before
        load.stop.set()
        uptime_after = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                # A queue worker finishes its current render first; under load that can take
                # longer than the figures are worth waiting for.
                process.kill()
                process.wait()

    with open(folder / "locust_stats.csv", newline="") as stats_file:
        rows = list(csv.DictReader(stats_file))
    print(f"\n{'request':<36} {'count':>6} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for row in rows:
        print(
            f"{row['Name']:<36} {row['Request Count']:>6} {row['Failure Count']:>6} "
            f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7}"
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    saves = next((row for row in rows if row["Name"] == ANSWER_SAVES), None)
    errors = int(total["Failure Count"])
    failures_path = folder / "locust_failures.csv"
    if errors and failures_path.exists():
        print("\nerrors:")
        print(failures_path.read_text()[:2000])

    sent = json.loads(sent_path.read_text())
    stored = _stored(child_env)
    lost = _lost(sent, stored)
    teams = len({item["team"] for item in sent})
    downloads = json.loads(downloads_path.read_text()) if downloads_path.exists() else []
    seconds = sorted(d["seconds"] for d in downloads)
    expected = PARTICIPANTS * int(SAVES)
    print(
        f"\n{PARTICIPANTS} participants in {teams} teams saved {len(sent)} answers "
        f"(expected {expected}); {len(stored)} answers stored; {elapsed:.0f} s"
    )
    if saves is not None:
        print(
            f"ANSWER SAVES: p50 {saves['50%']} ms, p95 {saves['95%']} ms, p99 {saves['99%']} ms "
            f"({saves['Request Count']} saves); errors {errors} (all requests); "
            f"lost answers {len(lost)}"
        )
    if seconds:
        outcomes = [d["outcome"] for d in downloads]
        print(
            f"REPORT DOWNLOADS: {len(seconds)} ({outcomes.count('pdf')} PDFs), "
            f"min {seconds[0]:.1f} s, median {statistics.median(seconds):.1f} s, "
            f"max {seconds[-1]:.1f} s"
        )
    elif DOWNLOADS:
        print("REPORT DOWNLOADS: none finished")
    if load.samples:
        print(
            f"LOAD AVERAGE (1 min, every 5 s): median {statistics.median(load.samples):.1f}, "
            f"max {max(load.samples):.1f} on {os.cpu_count()} cores"
        )
    print(
        f"CPU SECONDS: web {cpu['web']:.0f}, report worker {cpu['worker']:.0f}, "
        f"load generator {cpu['locust']:.0f}, PostgreSQL {cpu['postgres']:.0f}, "
        f"Redis {cpu['redis-server']:.0f}, runner {cpu['runner']:.0f}; the machine had "
        f"{elapsed * (os.cpu_count() or 1):.0f} ({os.cpu_count()} cores x {elapsed:.0f} s)"
    )
    print(f"uptime before: {uptime_before}\nuptime after:  {uptime_after}")
    for problem in lost[:10]:
        print(f"  lost: {problem}")
    incomplete = len(sent) < expected or len(downloads) < DOWNLOADS
    if incomplete:
        print("Not every participant saved every answer, or not every report arrived.")
    if errors or lost or incomplete:
        print(f"Locust's log: {folder / 'locust.log'}")
    if not (errors or lost or incomplete):
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if errors or lost or incomplete else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
