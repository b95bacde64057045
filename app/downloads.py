"""Files handed to the browser as downloads: CSV, XLSX and PDF exports of every area."""

from __future__ import annotations

import re

from flask import Response

MIMETYPES = {
    # Werkzeug adds "; charset=utf-8" to text types itself: naming it here would say it twice.
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "json": "application/json",
    "zip": "application/zip",
}


def safe_name(text: str, fallback: str, length: int = 60) -> str:
    """Part of a file name from free text: letters and digits joined by single dashes."""
    cleaned = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-_")[:length].strip("-_")
    return cleaned or fallback


def attachment(body: bytes | str, filename: str) -> Response:
    """A download of `body` named `filename`; the type follows the file's extension."""
    response = Response(body, mimetype=MIMETYPES[filename.rsplit(".", 1)[-1]])
    # Werkzeug quotes the name, and encodes it per RFC 2231 when it is not ASCII.
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    return response
