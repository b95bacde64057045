"""The printable questionnaire: a PDF with boxes to tick and lines to write on, for people who
answer on paper (workshops hand it out). Rendered with the reports' Jinja environment and
WeasyPrint set-up, and its own small stylesheet."""

from __future__ import annotations

from jinja2 import Environment

import questionnaires as engine
from questionnaires.model import SINGLE_CHOICE_TYPES
from reports.render import STATIC_DIR, _pdf_tools

TEMPLATE = "printable_form.html"
STYLESHEET = STATIC_DIR / "printable.css"


def render_form_html(
    environment: Environment, questionnaire: engine.Questionnaire, *, case: str | None = None
) -> str:
    """The form as HTML for WeasyPrint; `case` is a workshop's case text printed first."""
    return environment.get_template(TEMPLATE).render(
        questionnaire=questionnaire,
        case=case or questionnaire.case,
        single_choice=SINGLE_CHOICE_TYPES,
    )


def render_form_pdf(
    environment: Environment, questionnaire: engine.Questionnaire, *, case: str | None = None
) -> bytes:
    """The printable form as A4 PDF bytes."""
    from weasyprint import CSS, HTML

    _stylesheet, fonts, fetcher = _pdf_tools()
    stylesheet = CSS(filename=str(STYLESHEET), font_config=fonts, url_fetcher=fetcher)
    html = render_form_html(environment, questionnaire, case=case)
    document = HTML(string=html, base_url=str(STATIC_DIR) + "/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)
