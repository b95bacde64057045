"""The store of rendered PDFs: one folder, a file per report, named by its owner and key.

The folder is REPORT_CACHE_DIR (by default `report-cache` in the instance folder). With
several app servers it is one volume that all of them and the workers share. Files are written
under a temporary name and moved in place, so a reader never sees half a file; when a new PDF
of an owner (an assessment, a workshop, a comparison) lands, the older ones of that owner go,
so the store grows with the number of owners, not with the number of changes. Everything in
it can be deleted at any time: a missing PDF is rendered again.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from flask import current_app

FOLDER_NAME = "report-cache"
_OWNER = re.compile(r"^[a-z0-9-]+$")
_KEY = re.compile(r"^[0-9a-f]{64}$")


def folder() -> Path:
    """The store's folder (made when missing)."""
    configured = current_app.config.get("REPORT_CACHE_DIR")
    path = Path(configured) if configured else Path(current_app.instance_path) / FOLDER_NAME
    path.mkdir(parents=True, exist_ok=True)
    return path


def valid_key(text: str) -> bool:
    """Whether `text` has the form of a report key (a sha256 in hex)."""
    return bool(_KEY.fullmatch(text))


def path_of(owner: str, key: str) -> Path:
    """Where the PDF of `owner` with `key` is (or would be) kept."""
    if not _OWNER.match(owner) or not _KEY.match(key):
        raise ValueError(f"not a report owner and key: {owner!r} {key!r}")
    return folder() / f"{owner}--{key}.pdf"


def find(owner: str, key: str) -> Path | None:
    """The stored PDF, or None when it has not been rendered (or was removed)."""
    path = path_of(owner, key)
    return path if path.is_file() else None


def put(owner: str, key: str, pdf: bytes) -> Path:
    """Keep `pdf` as the report of `owner` with `key`, and remove the owner's older ones."""
    path = path_of(owner, key)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(pdf)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    for older in path.parent.glob(f"{owner}--*.pdf"):
        if older.name != path.name:
            older.unlink(missing_ok=True)
    return path
