"""The jobs a worker runs: render a report into the store; and the app that a job which
prepares a report after a change runs in.

`flask worker` runs them inside the app (its settings, its database); a plain `rq worker`
started with the app's environment makes the app on the first job it runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, has_app_context

_worker_app: Flask | None = None


@contextmanager
def app_context() -> Iterator[Flask]:
    """The app of the worker: the current one, or one made from the environment's settings."""
    global _worker_app
    if has_app_context():
        yield current_app._get_current_object()
        return
    if _worker_app is None:
        from app import create_app

        _worker_app = create_app()
    with _worker_app.app_context():
        yield _worker_app


def render(owner: str, key: str, recipe) -> str:
    """Draw `recipe` and keep it in the store as `owner`'s report `key`; returns the file name.

    Idempotent: a report already in the store is not drawn again.
    """
    from . import store

    with app_context():
        path = store.find(owner, key)
        if path is None:
            path = store.put(owner, key, recipe.draw())
        return path.name


@contextmanager
def as_reader(language: str) -> Iterator[Flask]:
    """The worker's app with a request in `language`, for a job that prepares a report after
    a change (the area that owns the report defines the job; see service.prerender)."""
    # The app's services and templates read the locale through a request, as the CLI does.
    from flask_babel import force_locale

    from app.extensions import db

    with app_context() as app, app.test_request_context(), force_locale(language):
        try:
            yield app
        finally:
            db.session.remove()
