"""What a render job draws: everything the PDF needs, without the database.

A recipe is what the web request built anyway to compute the report's key, handed to the job
as it is (pickled by RQ): the gap report's model, or the HTML of a group report or a
comparison. The worker draws exactly what the request saw, and an in-process render and a
queued one run the same code on the same input, so they give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale

from reports import render
from reports.model import Report

from . import keys, layout


@dataclass(frozen=True)
class GapReport:
    """A gap report, drawn from its model in the model's language."""

    report: Report
    kind: str = keys.GAP_REPORT

    def key(self) -> str:
        return keys.gap_report_key(self.report)

    def draw(self) -> bytes:
        # The template's words follow Flask-Babel's locale: the report's own language, the
        # same in a request and in a worker.
        with force_locale(self.report.language):
            return render.render_pdf(layout.environment(), self.report)


@dataclass(frozen=True)
class Html:
    """A document whose HTML the request rendered (a group report, a comparison)."""

    kind: str
    html: str

    def key(self) -> str:
        return keys.content_key(self.kind, self.html)

    def draw(self) -> bytes:
        return render.write_pdf(self.html)


Recipe = GapReport | Html
