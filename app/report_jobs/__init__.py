"""Reports rendered off the request path: the report key, the store of rendered PDFs, the
queue (RQ on Redis, when REDIS_URL is set), the jobs, and what the download views answer.

Without REDIS_URL every report renders in the request that asks for it, as before, and
nothing more needs to run. With it, `flask worker` processes render them.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register `flask worker`."""
    from .cli import worker_command

    app.cli.add_command(worker_command)
