"""The jobs a worker runs: render a report into the store, prepare a report after a change.

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
def _as_reader(app: Flask, language: str) -> Iterator[None]:
    # The app's services and templates read the locale through a request, as the CLI does.
    from flask_babel import force_locale

    from app.extensions import db

    with app.test_request_context(), force_locale(language):
        try:
            yield
        finally:
            db.session.remove()


def prepare_gap_report(assessment_id: int, language: str) -> None:
    """Queue the render of an assessment's gap report as it stands now (if not stored yet)."""
    from app.assessments import reporting
    from app.extensions import db
    from app.models import Assessment

    from . import service

    with app_context() as app, _as_reader(app, language):
        assessment = db.session.get(Assessment, assessment_id)
        if assessment is None:
            return
        service.request_render(
            service.assessment_owner(assessment_id),
            service.gap_report_recipe(reporting.report_of(assessment)),
        )


def prepare_group_report(workshop_id: int, language: str) -> None:
    """Queue the render of a workshop's group report as it stands now (if not stored yet)."""
    from app.extensions import db
    from app.models import Workshop

    from . import service

    with app_context() as app, _as_reader(app, language):
        workshop = db.session.get(Workshop, workshop_id)
        if workshop is None:
            return
        service.request_render(
            service.workshop_owner(workshop_id), service.group_report_recipe(workshop)
        )
