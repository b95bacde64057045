"""What the download views ask for: a report's PDF now, or where its render stands.

`obtain` returns the stored PDF at once when the report (by its key) was rendered before.
Otherwise, without a queue (no REDIS_URL) it renders in the request, as the embedded default
always did; with a queue it makes sure one job renders it and says how far that job is.
A render that fails is reported as such (never an error page): the user may try again.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from flask import has_request_context

from . import keys, layout, queue, store
from .recipes import GapReport, Html, Recipe

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ready:
    """The PDF is in the store."""

    path: Path
    key: str


@dataclass(frozen=True)
class Waiting:
    """A worker will draw (or is drawing) the PDF; `ahead` jobs wait before it."""

    drawing: bool
    ahead: int | None
    key: str


@dataclass(frozen=True)
class Failed:
    """The render failed (after its retries)."""

    key: str


Outcome = Ready | Waiting | Failed


# --- Owners and recipes: whose report, drawn from what ---------------------------------------


def assessment_owner(assessment_id: int) -> str:
    return f"assessment-{assessment_id}"


def workshop_owner(workshop_id: int) -> str:
    return f"workshop-{workshop_id}"


def comparison_owner(organisation_id: int, selection: str) -> str:
    """A comparison is owned by its organisation and the contractors it compares."""
    digest = hashlib.sha256(selection.encode()).hexdigest()[:16]
    return f"comparison-{organisation_id}-{digest}"


def gap_report_recipe(report) -> GapReport:
    return GapReport(report)


def group_report_recipe(html: str) -> Html:
    """A workshop's group report, drawn from the HTML the request rendered."""
    return Html(keys.GROUP_REPORT, html)


def comparison_recipe(html: str) -> Html:
    """A comparison of contractors, drawn from the HTML the request rendered."""
    return Html(keys.COMPARISON, html)


# --- Downloads ---------------------------------------------------------------------------


def obtain(owner: str, recipe: Recipe) -> Outcome:
    """The report's PDF if stored; else render it here (no queue) or queue it once."""
    key = recipe.key()
    path = store.find(owner, key)
    if path is not None:
        return Ready(path, key)
    if not queue.configured():
        return _render_here(owner, key, recipe)
    try:
        return _through_queue(owner, key, recipe)
    except _redis_errors() as error:
        # Better a slow download than none: the request renders while Redis is away.
        log.warning("The report queue cannot be reached (%s); rendering in the request.", error)
        return _render_here(owner, key, recipe)


def follow(owner: str, key: str) -> Outcome | None:
    """Where the render of one key stands, without building the report again.

    The waiting page asks every two seconds; building a report's key costs its whole model
    (a group report: its HTML, with every team), and while people keep answering each new key
    would queue another render, so the download would never arrive. The page asks after the
    render it started instead. None when the key says nothing (never queued, or rendered and
    gone since): then the report is looked at anew.
    """
    if not store.valid_key(key):
        return None
    path = store.find(owner, key)
    if path is not None:
        return Ready(path, key)
    if not queue.configured():
        return None
    try:
        state = queue.state_of(key)
    except _redis_errors():
        return None
    if state.state == queue.FAILED:
        return Failed(key)
    if state.state in (queue.WAITING, queue.DRAWING):
        return Waiting(drawing=state.state == queue.DRAWING, ahead=state.ahead, key=key)
    return None


def retry(owner: str, recipe: Recipe) -> str:
    """Forget a failed render of the report, so that the next download renders it anew.

    Returns the report's key."""
    key = recipe.key()
    if not queue.configured():
        return key
    try:
        if queue.state_of(key).state in (queue.FAILED, queue.DONE):
            queue.forget(key)
        if store.find(owner, key) is None:
            queue.enqueue_render(owner, key, recipe)
    except _redis_errors() as error:
        log.warning("The report queue cannot be reached (%s).", error)
    return key


def request_render(owner: str, recipe: Recipe) -> None:
    """Queue the report's render unless it is stored, queued, or failed already."""
    key = recipe.key()
    if store.find(owner, key) is None and queue.state_of(key).state == queue.NONE:
        queue.enqueue_render(owner, key, recipe)


def render_now(owner: str, recipe: Recipe) -> Path:
    """The report's PDF from the store, rendered here if it is not there (the command line)."""
    key = recipe.key()
    return store.find(owner, key) or store.put(owner, key, recipe.draw())


def _render_here(owner: str, key: str, recipe: Recipe) -> Outcome:
    try:
        return Ready(store.put(owner, key, recipe.draw()), key)
    except Exception:
        log.exception("Rendering the report of %s failed.", owner)
        return Failed(key)


def _through_queue(owner: str, key: str, recipe: Recipe) -> Outcome:
    state = queue.state_of(key)
    if state.state == queue.NONE:
        queue.enqueue_render(owner, key, recipe)
        state = queue.state_of(key)
        if state.state == queue.NONE:  # done and expired in between: look again
            path = store.find(owner, key)
            return Ready(path, key) if path is not None else Waiting(drawing=False, key=key)
    if state.state == queue.DONE:
        # Look again: the worker may have finished since the first look.
        path = store.find(owner, key)
        if path is not None:
            return Ready(path, key)
        # Rendered, but gone since (the store was emptied): render it again. If this repeats,
        # the web servers and the workers do not share one store.
        log.error(
            "The report of %s was rendered but is not in the store at %s: rendering it again. "
            "Do the web servers and the workers share REPORT_CACHE_DIR?",
            owner,
            store.folder(),
        )
        queue.forget(key)
        queue.enqueue_render(owner, key, recipe)
        return Waiting(drawing=False, key=key)
    if state.state == queue.FAILED:
        return Failed(key)
    return Waiting(drawing=state.state == queue.DRAWING, ahead=state.ahead, key=key)


def _redis_errors() -> tuple[type[Exception], ...]:
    from redis.exceptions import RedisError

    return (RedisError,)


# --- Renders ahead of a download, after a change -----------------------------------------------


def prerender(task, subject_id: int, owner: str) -> None:
    """After a change: queue `task` (a job that builds the recipe of `owner`'s report as it
    stands now, see tasks.as_reader), so the report is rendered ahead of its download.

    Only when there is a queue; never fails the change it follows.
    """
    if not queue.configured():
        return
    language = layout.report_language() if has_request_context() else "en"
    try:
        queue.enqueue_preparation(task, subject_id, language, name=f"prepare-{owner}-{language}")
    except _redis_errors() as error:
        log.warning("The report queue cannot be reached (%s).", error)
