"""The report key: a hash of everything a rendered PDF depends on.

Two requests for the same report, on any server, get the same key; any change that could
change the PDF (an answer, a review mark, an action-plan line, the language, the template,
the stylesheet, a translation, the renderer's version) gives a new key. The key names the
rendered file in the store and the job that renders it, so a report is rendered once per
content, however many people ask for it.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from reports import render
from reports.model import Report

APP_DIR = Path(__file__).resolve().parents[1]
# What draws a report besides its own content: the reports' templates and stylesheet, and the
# translated words of the interface (the app's own templates are applied before hashing).
DESIGN_FOLDERS = (render.TEMPLATE_DIR, render.STATIC_DIR, APP_DIR / "translations")

GAP_REPORT = "gap-report"
GROUP_REPORT = "group-report"
COMPARISON = "comparison"


@lru_cache(maxsize=1)
def design_digest() -> str:
    """A hash of the templates, stylesheets and translations, and the renderer's version.

    Read once per process: they change with a new release, which restarts the servers.
    """
    digest = hashlib.sha256()
    digest.update(f"template {render.TEMPLATE_VERSION}\0".encode())
    digest.update(f"weasyprint {metadata.version('weasyprint')}\0".encode())
    for folder in DESIGN_FOLDERS:
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if path.suffix in {".pyc", ".po"}:  # compiled .mo files are what is used
                continue
            digest.update(str(path.relative_to(folder.parent)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def content_key(kind: str, content: str) -> str:
    """The key of a report of `kind` (gap-report, group-report, comparison) drawn from `content`."""
    digest = hashlib.sha256()
    digest.update(design_digest().encode())
    digest.update(b"\0" + kind.encode() + b"\0")
    digest.update(content.encode())
    return digest.hexdigest()


def gap_report_key(report: Report) -> str:
    """The key of a gap report: its model holds the answers, the questionnaire's version and
    hash, the review marks, the action plan, the dates and the language."""
    # The model is frozen dataclasses, tuples, dates and numbers: its repr is the same in
    # every process (no sets, whose order would follow the process's hash seed).
    return content_key(GAP_REPORT, repr(report))
