"""Reports rendered by workers: the same PDF as in the request, one job however many ask, a
page that waits for it without JavaScript, and a failure that says so instead of an error.

Two apps on one database stand for the two ways to run: `app` renders in the request (no
REDIS_URL, the embedded default) and `queued` sends renders to RQ on a real Redis
(DDCHECK_TEST_REDIS_URL; CI sets it), where RQ's SimpleWorker, in burst mode inside the test,
plays the worker. Each test has a queue of its own, emptied afterwards.
"""

from __future__ import annotations

import os
import re
import secrets

import pytest

from app.content import content
from app.report_jobs import cli, recipes
from app.report_jobs import queue as report_queue
from app.workshops import services as workshops
from tests import factories
from tests.conftest import make_test_app
from tests.reports.pdf_text import read_pdf

REDIS_URL = os.environ.get("DDCHECK_TEST_REDIS_URL")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="set DDCHECK_TEST_REDIS_URL to a Redis")


@pytest.fixture
def app_settings(tmp_path) -> dict:
    # A store of its own per test: the same report drawn in another test would be served.
    return {"REPORT_CACHE_DIR": str(tmp_path / "store")}


@pytest.fixture
def assessment(admin):
    """A draft with a red flag, on the shortest shipped questionnaire: these tests are about how
    a report travels through the queue, which does not depend on its length, and a render of
    the workshop exercise costs a third of the supplier questionnaire's (the supplier's report
    is read back in tests/web/test_report_pages.py)."""
    return factories.draft_with_a_red_flag(admin, "workshop-exercise")


@pytest.fixture
def queued(database_url, app, tmp_path):
    """An app on the same database whose reports go through a queue of its own."""
    other = make_test_app(
        database_url,
        REDIS_URL=REDIS_URL,
        REPORT_QUEUE=f"ddcheck-test-{secrets.token_hex(4)}",
        REPORT_CACHE_DIR=str(tmp_path / "queued-store"),
        REPORT_JOB_RETRIES=1,
    )
    yield other
    with other.app_context():
        _empty(report_queue.queue())


def _empty(queue) -> None:
    from rq.job import Job

    registries = (
        queue.started_job_registry,
        queue.finished_job_registry,
        queue.failed_job_registry,
        queue.scheduled_job_registry,
    )
    ids = set(queue.get_job_ids())
    for registry in registries:
        ids.update(registry.get_job_ids())
    for job in Job.fetch_many(list(ids), connection=queue.connection):
        if job is not None:
            job.delete()
    queue.delete(delete_jobs=True)


def run_worker(app) -> None:
    """What `flask worker` does, until the queue is empty, in this process."""
    from rq import SimpleWorker

    with app.app_context():
        queue = report_queue.queue()
        SimpleWorker([queue], connection=queue.connection).work(burst=True)


def follow_refresh(client, response):
    """What a browser without JavaScript does with a `Refresh: N; url=...` header."""
    assert "Refresh" in response.headers, response.status_code
    target = re.search(r"url=(\S+)", response.headers["Refresh"]).group(1)
    return client.get(target)


def open_workshop(admin, title: str):
    return workshops.create_workshop(
        user=admin,
        title=title,
        questionnaire=content().get(workshops.DEFAULT_QUESTIONNAIRE),
        case_text=None,
        reveal_at_end=True,
    )


def job_count(app) -> int:
    with app.app_context():
        return report_queue.queue().count


@needs_redis
def test_a_queued_render_gives_the_same_pdf_and_the_page_waits_for_it_without_javascript(
    app, queued, admin, assessment
):
    url = f"/assessments/{assessment.id}/report.pdf"
    # Submitted, so that the report is dated on submission, not on the day it is drawn.
    in_process = factories.signed_in(app.test_client(), admin)
    assert in_process.post(f"/assessments/{assessment.id}/submit").status_code == 302
    in_request = in_process.get(url)
    assert in_request.status_code == 200

    browser = factories.signed_in(queued.test_client(), admin)
    waiting = browser.get(url)
    assert waiting.status_code == 202
    page = waiting.get_data(as_text=True)
    assert "Your report is being prepared" in page and "Harbour mill" in page
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "no-store" in waiting.headers["Cache-Control"]
    still_waiting = follow_refresh(browser, waiting)
    assert still_waiting.status_code == 202

    run_worker(queued)
    ready = follow_refresh(browser, still_waiting)
    assert ready.status_code == 200
    assert "Your report is ready" in ready.get_data(as_text=True)
    pdf = follow_refresh(browser, ready)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "attachment" in pdf.headers["Content-Disposition"]
    assert pdf.data == in_request.data
    # Asked again, it comes from the store at once, without a job.
    again = browser.get(url)
    assert again.status_code == 200 and again.data == pdf.data
    assert job_count(queued) == 0


@needs_redis
def test_asking_again_while_the_report_is_drawn_queues_no_second_job(queued, admin, assessment):
    from rq.job import Job, JobStatus

    url = f"/assessments/{assessment.id}/report.pdf"
    buyer = factories.signed_in(queued.test_client(), admin)
    colleague = factories.signed_in(queued.test_client(), admin)
    assert buyer.get(url).status_code == 202
    assert colleague.get(url).status_code == 202
    assert buyer.get(url + "?wait=1").status_code == 202
    assert job_count(queued) == 1

    # A worker takes the job: while it draws, asking again still adds nothing.
    with queued.app_context():
        queue = report_queue.queue()
        job = Job.fetch(queue.get_job_ids()[0], connection=queue.connection)
        queue.remove(job)
        job.set_status(JobStatus.STARTED)
    drawing = colleague.get(url)
    assert drawing.status_code == 202
    assert "It is being drawn now." in drawing.get_data(as_text=True)
    assert job_count(queued) == 0


@needs_redis
def test_the_waiting_page_follows_its_own_render_while_teams_keep_answering(
    queued, admin, monkeypatch
):
    from app.workshops import exports, participation

    workshop = open_workshop(admin, "Harbour training")
    questionnaire = content().get(workshops.DEFAULT_QUESTIONNAIRE)
    team = participation.join(workshop.join_code, "Blue table")
    question = next(q for q in questionnaire.questions if q.type == "maturity")
    url = f"/workshops/{workshop.id}/report.pdf"
    facilitator = factories.signed_in(queued.test_client(), admin)
    waiting = facilitator.get(url)
    assert waiting.status_code == 202
    # A team answers after the report was asked for: the group report it asked for is the
    # one it gets, and checking on it neither draws the group report again nor queues more.
    factories.answer(team.assessment, question.key, factories.worst_option(questionnaire, question))

    def not_again(*_args, **_kwargs):
        raise AssertionError("the group report was built again by a check")

    monkeypatch.setattr(exports, "report_html", not_again)
    still_waiting = follow_refresh(facilitator, waiting)
    assert still_waiting.status_code == 202 and job_count(queued) == 1
    run_worker(queued)
    ready = follow_refresh(facilitator, still_waiting)
    assert "Your report is ready" in ready.get_data(as_text=True)
    pdf = follow_refresh(facilitator, ready)
    assert pdf.mimetype == "application/pdf"
    assert read_pdf(pdf.data).contains("Harbour training")
    assert job_count(queued) == 0


@needs_redis
def test_an_address_naming_an_unknown_render_looks_at_the_report_anew(queued, admin, assessment):
    url = f"/assessments/{assessment.id}/report.pdf"
    browser = factories.signed_in(queued.test_client(), admin)
    for odd in ("0" * 64, "../../etc/passwd", "1"):
        for name in ("wait", "report"):
            answer = browser.get(f"{url}?{name}={odd}")
            assert answer.status_code == 202, (name, odd)
    assert job_count(queued) == 1


@needs_redis
def test_a_failing_render_is_retried_then_says_so_and_can_be_tried_again(
    queued, admin, assessment, monkeypatch
):
    attempts = []
    draw = recipes.GapReport.draw

    def broken(self):
        attempts.append(1)
        raise RuntimeError("the renderer fell over")

    monkeypatch.setattr(recipes.GapReport, "draw", broken)
    url = f"/assessments/{assessment.id}/report.pdf"
    browser = factories.signed_in(queued.test_client(), admin)
    assert browser.get(url).status_code == 202
    run_worker(queued)
    assert len(attempts) == 2  # the first try and one retry (REPORT_JOB_RETRIES=1)

    failed = browser.get(url + "?wait=1")
    assert failed.status_code == 503
    page = failed.get_data(as_text=True)
    assert "The report could not be prepared" in page and "Try again" in page
    assert "Refresh" not in failed.headers
    assert job_count(queued) == 0  # a failed render is not queued again by every visit

    monkeypatch.setattr(recipes.GapReport, "draw", draw)
    again = browser.post(url)
    assert again.status_code == 303 and re.search(
        r"\?wait=[0-9a-f]{64}$", again.headers["Location"]
    )
    assert job_count(queued) == 1
    run_worker(queued)
    ready = browser.get(again.headers["Location"])
    assert ready.status_code == 200
    assert read_pdf(follow_refresh(browser, ready).data).contains("Harbour mill")


def test_a_failing_render_in_the_request_shows_the_failure_not_an_error(
    app, admin, assessment, monkeypatch
):
    def broken(self):
        raise RuntimeError("the renderer fell over")

    monkeypatch.setattr(recipes.GapReport, "draw", broken)
    url = f"/assessments/{assessment.id}/report.pdf"
    client = factories.signed_in(app.test_client(), admin)
    failed = client.get(url)
    assert failed.status_code == 503
    assert "The report could not be prepared" in failed.get_data(as_text=True)
    assert client.post(url).status_code == 303


@needs_redis
def test_a_submitted_assessment_is_rendered_before_anyone_asks(queued, admin, assessment):
    browser = factories.signed_in(queued.test_client(), admin)
    assert browser.post(f"/assessments/{assessment.id}/submit").status_code == 302
    assert job_count(queued) == 1  # the preparation, which queues the render
    run_worker(queued)
    response = browser.get(f"/assessments/{assessment.id}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"


@needs_redis
def test_group_reports_and_comparisons_go_through_the_queue(queued, admin):
    workshop = open_workshop(admin, "Spring training")
    contractor, _token = factories.make_contractor(
        admin.organisation, admin, name="Lakeside Catering"
    )
    browser = factories.signed_in(queued.test_client(), admin)
    downloads = (
        f"/workshops/{workshop.id}/report.pdf",
        f"/contractors/compare.pdf?ids={contractor.assessment_id}",
    )
    for url in downloads:
        assert browser.get(url).status_code == 202
    assert job_count(queued) == 2
    run_worker(queued)
    group, comparison = (browser.get(url) for url in downloads)
    assert read_pdf(group.data).contains("Spring training")
    assert read_pdf(comparison.data).contains("Lakeside Catering")


@needs_redis
def test_readyz_checks_the_queues_redis_and_flask_worker_runs_it(queued, app, monkeypatch):
    assert queued.test_client().get("/readyz").get_json()["checks"]["redis"] == "ok"
    # The worker lowers its CPU priority; here it must not lower the test process's own.
    priorities = []
    monkeypatch.setattr(cli.os, "getpriority", lambda which, who: 0)
    monkeypatch.setattr(cli.os, "setpriority", lambda which, who, value: priorities.append(value))
    with queued.app_context():  # the command runs in the app of the current context
        result = queued.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert "Rendering reports from queue" in result.output
    assert priorities == [queued.config["REPORT_WORKER_NICE"]] and priorities[0] > 0
    without = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert without.exit_code != 0 and "REDIS_URL is not set" in without.output


def test_a_report_worker_lowers_its_priority_but_never_raises_it(monkeypatch):
    priority = {"now": 0}
    monkeypatch.setattr(cli.os, "getpriority", lambda which, who: priority["now"])
    monkeypatch.setattr(cli.os, "setpriority", lambda which, who, value: priority.update(now=value))
    assert cli.lower_priority(10) == 10
    # Started by systemd with Nice=15 already: the worker keeps the lower priority.
    priority["now"] = 15
    assert cli.lower_priority(10) == 15 and priority["now"] == 15
    assert cli.lower_priority(0) == 15
