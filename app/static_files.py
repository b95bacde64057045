"""Static files under addresses that name their content, so browsers keep them for a year.

Every address of a static file that `url_for` makes (the app's and Bootstrap's) carries
`v=`, a digest of the file's bytes. A changed file gets a new address, so the one a browser
has may be kept for good: stylesheets and scripts load once, not again on every page. An
address whose `v` is missing or stale is served as before, to be checked again each time.
"""

from __future__ import annotations

import hashlib
import os
import threading

from flask import Flask, Response, current_app, request
from werkzeug.security import safe_join

# A year: the longest lifetime browsers honour.
CACHE_SECONDS = 365 * 24 * 60 * 60

_digests: dict[str, tuple[int, int, str]] = {}
_lock = threading.Lock()


def version(path: str) -> str | None:
    """A short digest of the file's bytes (None if there is no such file).

    Worked out again only when the file's size or modification time changes, so an edited
    file gets a new address at once, without a restart.
    """
    try:
        stat = os.stat(path)
    except OSError:
        return None
    known = _digests.get(path)
    if known and known[:2] == (stat.st_mtime_ns, stat.st_size):
        return known[2]
    with open(path, "rb") as file:
        digest = hashlib.sha256(file.read()).hexdigest()[:12]
    with _lock:
        _digests[path] = (stat.st_mtime_ns, stat.st_size, digest)
    return digest


def _file(endpoint: str, filename: str) -> str | None:
    """The path of the file that a static endpoint serves as `filename`."""
    if endpoint == "static":
        folder = current_app.static_folder
    else:
        blueprint = current_app.blueprints.get(endpoint.rpartition(".")[0])
        folder = blueprint.static_folder if blueprint else None
    return safe_join(folder, filename) if folder else None


def is_static(endpoint: str | None) -> bool:
    """Whether `endpoint` serves static files (the app's or a blueprint's)."""
    return endpoint is not None and (endpoint == "static" or endpoint.endswith(".static"))


def init_app(app: Flask) -> None:
    @app.url_defaults
    def add_version(endpoint: str, values: dict) -> None:
        if not is_static(endpoint) or "v" in values or "filename" not in values:
            return
        path = _file(endpoint, values["filename"])
        digest = version(path) if path else None
        if digest:
            values["v"] = digest

    @app.after_request
    def cache_named_content(response: Response) -> Response:
        if not is_static(request.endpoint) or response.status_code not in (200, 304):
            return response
        path = _file(request.endpoint, (request.view_args or {}).get("filename", ""))
        wanted = request.args.get("v")
        if wanted and path and wanted == version(path):
            response.cache_control.public = True
            response.cache_control.max_age = CACHE_SECONDS
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        return response
