"""`flask worker`: a worker that renders reports from the queue, with the app's settings."""

from __future__ import annotations

import os

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
@click.option(
    "--nice",
    "niceness",
    type=click.IntRange(0, 19),
    default=None,
    help="CPU priority of the renders, 0 (as the web server) to 19 (lowest); default "
    "REPORT_WORKER_NICE.",
)
@with_appcontext
def worker_command(burst: bool, niceness: int | None) -> None:
    """Render reports from the queue (REDIS_URL) until stopped.

    Each job runs in a child process of its own (memory is returned after every report, and a
    job past REPORT_JOB_TIMEOUT is ended); the worker also runs RQ's scheduler, which retries
    failed renders and starts the renders that follow a change. Renders run at a lower CPU
    priority than the web server, so that on a shared machine answers are saved at once while a
    report waits a little longer.
    """
    from rq import Worker

    from app.extensions import db
    from reports import render

    from . import keys, layout, queue

    if not queue.configured():
        raise click.ClickException(
            "REDIS_URL is not set: without it reports are rendered by the web server itself, "
            "and no worker is needed."
        )
    # Read once here, so that every job's child process starts with them: the stylesheet,
    # the fonts, the templates and the design hash.
    render._pdf_tools()
    layout.environment()
    keys.design_digest()
    # The children open database connections of their own.
    db.engine.dispose()
    lower_priority(current_app.config["REPORT_WORKER_NICE"] if niceness is None else niceness)
    worker = Worker([queue.queue()], connection=queue.connection())
    click.echo(
        f"Rendering reports from queue {current_app.config['REPORT_QUEUE']!r}"
        f" into {_store_folder()}."
    )
    worker.work(burst=burst, with_scheduler=True)


def lower_priority(niceness: int) -> int:
    """Run this process (and the renders it forks) at `niceness` or lower; return the level.

    Never raises the priority: a worker that systemd already started with a higher Nice= keeps it.
    """
    current = os.getpriority(os.PRIO_PROCESS, 0)
    if niceness > current:
        os.setpriority(os.PRIO_PROCESS, 0, niceness)
        return niceness
    return current


def _store_folder() -> str:
    from . import store

    return str(store.folder())
