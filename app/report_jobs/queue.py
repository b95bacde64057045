"""The render queue: RQ on the Redis that REDIS_URL names.

Without REDIS_URL there is no queue and reports render in the request (the embedded default).
With it, the state of every render lives in Redis (RQ's job hash: waiting, drawing, failed)
and the PDFs in the shared store, so any web worker on any server sees the same progress.

A render job's id is the report's key: RQ refuses a second job with the id of one that exists
(atomically, `unique=True`), so ten people asking for the same report while it is drawn queue
one job. Jobs are retried (REPORT_JOB_RETRIES) and stopped after REPORT_JOB_TIMEOUT seconds.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app

REDIS_KEY = "ddcheck.report_redis"
WAITING, DRAWING, DONE, FAILED, NONE = "waiting", "drawing", "done", "failed", "none"
_STATES = {
    "created": WAITING,
    "queued": WAITING,
    "deferred": WAITING,
    "scheduled": WAITING,  # waiting for a retry
    "started": DRAWING,
    "finished": DONE,
    "failed": FAILED,
    "stopped": FAILED,
    "canceled": FAILED,
}


def configured() -> bool:
    """Whether reports go through the queue (REDIS_URL is set)."""
    return bool(current_app.config.get("REDIS_URL"))


def connection():
    """The app's Redis connection for the queue (one pool per process)."""
    from redis import Redis

    client = current_app.extensions.get(REDIS_KEY)
    if client is None:
        # Short timeouts: a page that waits for Redis should fail over quickly, not hang.
        client = Redis.from_url(
            current_app.config["REDIS_URL"], socket_timeout=5, socket_connect_timeout=2
        )
        current_app.extensions[REDIS_KEY] = client
    return client


def queue():
    """The RQ queue that render jobs go to (REPORT_QUEUE)."""
    from rq import Queue

    config = current_app.config
    return Queue(
        config["REPORT_QUEUE"],
        connection=connection(),
        default_timeout=config["REPORT_JOB_TIMEOUT"],
    )


def job_id(key: str) -> str:
    """The id of the job that renders the report with `key`.

    Named after the queue too, so that two installations sharing one Redis (with their own
    REPORT_QUEUE) never take each other's job for their own.
    """
    return f"{_id_safe(current_app.config['REPORT_QUEUE'])}-{key}"


def _id_safe(text: str) -> str:
    # RQ accepts letters, digits, "_" and "-" in a job id.
    return re.sub(r"[^A-Za-z0-9_-]", "-", text)


@dataclass(frozen=True)
class JobState:
    """Where the render of one report stands, and how many jobs wait before it."""

    state: str  # waiting, drawing, done, failed, or none (no such job)
    ahead: int | None = None


def state_of(key: str) -> JobState:
    """The state of the render job of `key` (read from Redis, shared by every worker)."""
    from rq.job import Job

    status = connection().hget(Job.key_for(job_id(key)), "status")
    if status is None:
        return JobState(NONE)
    state = _STATES.get(status.decode(), WAITING)
    ahead = queue().get_job_position(job_id(key)) if state == WAITING else None
    return JobState(state, ahead)


def enqueue_render(owner: str, key: str, recipe) -> bool:
    """Queue the render of `recipe` as `owner`'s report `key`; False if its job exists already."""
    from rq import Retry
    from rq.exceptions import DuplicateJobError

    from . import tasks

    config = current_app.config
    retries = config["REPORT_JOB_RETRIES"]
    try:
        queue().enqueue(
            tasks.render,
            owner,
            key,
            recipe,
            job_id=job_id(key),
            unique=True,
            retry=Retry(max=retries) if retries else None,
            job_timeout=config["REPORT_JOB_TIMEOUT"],
            # The PDF is in the store; the job's record only needs to outlive the next poll.
            result_ttl=300,
            # A failure stays visible (and is not retried by every poll) until someone asks
            # to try again, or for a day.
            failure_ttl=24 * 3600,
            description=f"render the report of {owner}",
        )
    except DuplicateJobError:
        return False
    return True


def forget(key: str) -> None:
    """Remove the render job of `key` (a failed one, before trying again)."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    with contextlib.suppress(NoSuchJobError):
        Job.fetch(job_id(key), connection=connection()).delete()


def enqueue_preparation(func, *args, name: str) -> None:
    """Queue `func(*args)`, which prepares a report, after REPORT_PRERENDER_DELAY seconds.

    One job per `name` waits at a time: changes made while it waits are all in the report
    it prepares (it reads the database when it runs), so a burst of changes renders once.
    A delay needs the worker's scheduler (`flask worker` runs it; `rq worker --with-scheduler`).
    """
    from rq.exceptions import DuplicateJobError
    from rq.job import JobStatus

    config = current_app.config
    delay = config["REPORT_PRERENDER_DELAY"]
    target = queue()
    job = target.create_job(
        func,
        args=args,
        job_id=f"{_id_safe(config['REPORT_QUEUE'])}-{name}",
        timeout=config["REPORT_JOB_TIMEOUT"],
        result_ttl=0,
        # A failed preparation soon makes way for the next change's.
        failure_ttl=60,
        description=name,
        status=JobStatus.SCHEDULED if delay > 0 else JobStatus.QUEUED,
    )
    try:
        if delay > 0:
            # Queue.enqueue_in does not pass `unique` on; schedule_job does.
            when = datetime.now(UTC) + timedelta(seconds=delay)
            target.schedule_job(job, when, unique=True)
        else:
            target.enqueue_job(job, unique=True)
    except DuplicateJobError:
        pass
