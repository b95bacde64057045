"""`flask worker`: a worker that renders reports from the queue, with the app's settings."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Render reports from the queue (REDIS_URL) until stopped.

    Each job runs in a child process of its own (memory is returned after every report, and a
    job past REPORT_JOB_TIMEOUT is ended); the worker also runs RQ's scheduler, which retries
    failed renders and starts the renders that follow a change.
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
    worker = Worker([queue.queue()], connection=queue.connection())
    click.echo(
        f"Rendering reports from queue {current_app.config['REPORT_QUEUE']!r}"
        f" into {_store_folder()}."
    )
    worker.work(burst=burst, with_scheduler=True)


def _store_folder() -> str:
    from . import store

    return str(store.folder())
