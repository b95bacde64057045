"""The download views' side: a report's PDF, the page that waits for it, or the page that
says it failed.

Every report download URL behaves the same way. GET sends the stored PDF at once. While a
worker draws it, GET answers 202 with "Your report is being prepared" and a `Refresh` header
(no JavaScript needed) that asks again with `?wait=1`; when the PDF is ready that address
answers "Your report is ready" with a link, and refreshes once more to the plain address,
which sends the file. A failed render answers 503 with a page that says so and a "Try again"
button, which POSTs to the same address.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Response, redirect, render_template, request, send_file

from . import service
from .recipes import Recipe

WAIT_PARAM = "wait"
# How often the waiting page asks again (seconds): a report takes one to a few seconds.
REFRESH_SECONDS = 2


def download(
    owner: str,
    recipe: Recipe,
    *,
    filename: str,
    title: str,
    back_url: str,
    back_label: str,
) -> Response:
    """The response of a report download URL (GET, or POST to try a failed render again)."""
    plain_url = _url(wait=False)
    waiting_url = _url(wait=True)
    if request.method == "POST":
        service.retry(owner, recipe)
        return redirect(waiting_url, code=303)
    outcome = service.obtain(owner, recipe)
    page = {"title": title, "back_url": back_url, "back_label": back_label}
    if isinstance(outcome, service.Ready):
        if request.args.get(WAIT_PARAM):
            response = Response(
                render_template("report_jobs/ready.html", download_url=plain_url, **page)
            )
            response.headers["Refresh"] = f"0; url={plain_url}"
            return _not_stored(response)
        return _send(outcome, filename)
    if isinstance(outcome, service.Waiting):
        response = Response(
            render_template(
                "report_jobs/preparing.html", outcome=outcome, check_url=waiting_url, **page
            ),
            status=202,
        )
        response.headers["Refresh"] = f"{REFRESH_SECONDS}; url={waiting_url}"
        return _not_stored(response)
    response = Response(
        render_template("report_jobs/failed.html", retry_url=plain_url, **page), status=503
    )
    return _not_stored(response)


def _url(*, wait: bool) -> str:
    """This address with its query (a comparison's selection), with or without `wait=1`."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k != WAIT_PARAM]
    if wait:
        pairs.append((WAIT_PARAM, "1"))
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
