"""The download views' side: a report's PDF, the page that waits for it, or the page that
says it failed.

Every report download URL behaves the same way. GET sends the stored PDF at once. While a
worker draws it, GET answers 202 with "Your report is being prepared" and a `Refresh` header
(no JavaScript needed) that asks again with `?wait=<key>`, the key of the render it started;
when that PDF is ready the address answers "Your report is ready" with a link, and refreshes
once more to `?report=<key>`, which sends the file. Asking after one key is cheap: the report
is not built again on every check, and the person gets the report they asked for even while
others keep changing the answers (a live workshop). An unknown key (or `?wait=1`) looks at the
report anew. A failed render answers 503 with a page that says so and a "Try again" button,
which POSTs to the same address.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from flask import Response, redirect, render_template, request, send_file

from . import service
from .recipes import Recipe

WAIT_PARAM = "wait"
KEY_PARAM = "report"
# How often the waiting page asks again (seconds): a report takes one to a few seconds.
REFRESH_SECONDS = 2


def download(
    owner: str,
    recipe_of: Callable[[], Recipe],
    *,
    filename: str | Callable[[], str],
    title: str,
    back_url: str,
    back_label: str,
) -> Response:
    """The response of a report download URL (GET, or POST to try a failed render again).

    `recipe_of` builds the report's recipe; it is called only when the address names no
    render to follow. `filename` may be given as a function for the same reason.
    """
    if request.method == "POST":
        key = service.retry(owner, recipe_of())
        return redirect(_url(wait=key), code=303)
    outcome = None
    followed = request.args.get(WAIT_PARAM) or request.args.get(KEY_PARAM)
    if followed:
        outcome = service.follow(owner, followed)
    if outcome is None:
        outcome = service.obtain(owner, recipe_of())
    page = {"title": title, "back_url": back_url, "back_label": back_label}
    if isinstance(outcome, service.Ready):
        if request.args.get(WAIT_PARAM):
            response = Response(
                render_template(
                    "report_jobs/ready.html", download_url=_url(report=outcome.key), **page
                )
            )
            response.headers["Refresh"] = f"0; url={_url(report=outcome.key)}"
            return _not_stored(response)
        return _send(outcome, filename if isinstance(filename, str) else filename())
    if isinstance(outcome, service.Waiting):
        waiting_url = _url(wait=outcome.key)
        response = Response(
            render_template(
                "report_jobs/preparing.html", outcome=outcome, check_url=waiting_url, **page
            ),
            status=202,
        )
        response.headers["Refresh"] = f"{REFRESH_SECONDS}; url={waiting_url}"
        return _not_stored(response)
    response = Response(
        render_template("report_jobs/failed.html", retry_url=_url(), **page), status=503
    )
    return _not_stored(response)


def _url(*, wait: str | None = None, report: str | None = None) -> str:
    """This address with its query (a comparison's selection), naming a render to follow."""
    own = (WAIT_PARAM, KEY_PARAM)
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k not in own]
    if wait:
        pairs.append((WAIT_PARAM, wait))
    if report:
        pairs.append((KEY_PARAM, report))
    return request.path + ("?" + urlencode(pairs) if pairs else "")


def _send(ready: service.Ready, filename: str) -> Response:
    response = send_file(
        ready.path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=filename,
        conditional=True,
        etag=ready.path.stem,
        max_age=0,
    )
    # The report holds private answers: no shared cache may keep it.
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _not_stored(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    return response
