"""Rendering a report: one Jinja template and one stylesheet, for the preview page and the PDF.

The Jinja environment belongs to this package and has the i18n extension; whoever makes it
installs the gettext callables (the web app installs Flask-Babel's, which follow the reader's
language; the default is to leave the template's English as it is). Dates and numbers are
formatted with Babel in the report's own language, so nothing here needs Flask.
"""

from __future__ import annotations

import base64
import gc
import gettext as gettext_module
import re
import threading
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date
from functools import lru_cache, partial
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from babel.units import format_unit
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup, escape

from reports.charts import Bar, bar_chart
from reports.model import Report
from reports.verdict import held_at

# Raise it whenever the template or the stylesheet changes what a report looks like: it is part
# of the cache key, so reports rendered by an older template are not served again.
TEMPLATE_VERSION = "6"
TEMPLATE = "report.html"
PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
STYLESHEET = STATIC_DIR / "report.css"
# The tagged, accessible variant: WeasyPrint writes the structure tree, the language and the
# PDF/UA identification for it.
PDF_VARIANT = "pdf/ua-1"

# Stand-ins for the page counters inside a translated "Page X of Y" (private-use characters, so
# no translation contains them by accident).
PAGE_MARK, PAGES_MARK = "\ue000", "\ue001"


def _language(context) -> str:
    report = context.get("report")
    return report.language if report is not None else "en"


@pass_context
def _day(context, value: date | None) -> str:
    if value is None:
        return "\u2013"
    return format_date(value, format="long", locale=_language(context))


@pass_context
def _percent(context, fraction: float | None) -> str:
    if fraction is None:
        return "\u2013"
    return format_percent(fraction, locale=_language(context))


@pass_context
def _number(context, value: float | None) -> str:
    if value is None:
        return "\u2013"
    return format_decimal(value, format="#,##0.##", locale=_language(context))


@pass_context
def _file_size(context, size: int) -> str:
    """A file's size in bytes as a reader says it: "12 kB", "1,2 MB" (decimal units)."""
    for unit, factor in (("digital-megabyte", 10**6), ("digital-kilobyte", 10**3)):
        if size >= factor:
            return format_unit(
                size / factor, unit, length="short", format="#,##0.#", locale=_language(context)
            )
    return format_unit(size, "digital-byte", length="short", locale=_language(context))


def _score(value: float | None) -> str:
    """A score 0-100 as a whole number, or a dash for no score."""
    if value is None:
        return "\u2013"
    return str(round(value))


def _signed(value: float | None) -> str:
    """A change in points with its sign (+5, minus 3 with a real minus sign, ±0)."""
    if value is None:
        return "\u2013"
    points = round(value)
    if points > 0:
        return f"+{points}"
    if points < 0:
        return f"\u2212{-points}"
    return "\u00b10"


def _css_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    # "<" could close the style element the rule sits in.
    return '"' + escaped.replace("<", "\\3c ") + '"'


def page_counter_content(text: str) -> Markup:
    """A translated "Page X of Y" (with PAGE_MARK and PAGES_MARK) as a CSS `content` value."""
    parts = []
    rest = str(text)
    while rest:
        positions = [(rest.find(mark), mark) for mark in (PAGE_MARK, PAGES_MARK)]
        positions = [(i, mark) for i, mark in positions if i >= 0]
        if not positions:
            parts.append(_css_string(rest))
            break
        index, mark = min(positions)
        if index:
            parts.append(_css_string(rest[:index]))
        parts.append("counter(page)" if mark == PAGE_MARK else "counter(pages)")
        rest = rest[index + 1 :]
    return Markup(" ".join(parts) or '""')


def theme_chart(
    report: Report, *, title: str, no_score_text: str, previous_text: str, as_image: bool = False
) -> Markup:
    """The SVG bar chart of the theme scores, with the previous scores as markers.

    `as_image` (the PDF) gives an <img> of the same SVG, with its title as the alternative text:
    WeasyPrint then reads the chart's elements with its own SVG reader instead of putting each
    one through the HTML parser, the CSS cascade and the tagging, which saves time on every
    render and draws the same vectors.
    """
    bars = [
        Bar(f"{theme.number}. {theme.title}", theme.score, theme.previous_score)
        for theme in report.themes
    ]
    thresholds = tuple(band.low for band in report.bands[1:4]) or (25, 50, 75)
    svg = bar_chart(
        bars,
        title=str(title),
        no_score_text=str(no_score_text),
        previous_text=str(previous_text),
        thresholds=thresholds,
        chart_id="theme-chart",
        font_family="DejaVu Sans" if as_image else None,
    )
    if not as_image:
        return Markup(svg)
    width, height = _svg_size(svg)
    source = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return Markup(
        f'<img class="chart" src="{source}" alt="{escape(str(title))}" '
        f'width="{width}" height="{height}">'
    )


def _svg_size(svg: str) -> tuple[str, str]:
    width = re.search(r' width="([0-9.]+)"', svg)
    height = re.search(r' height="([0-9.]+)"', svg)
    return (width.group(1) if width else "640"), (height.group(1) if height else "400")


def _language_named(code: str, language: str) -> str:
    """A language's name in the report's language ("English" is "английский" in Russian)."""
    try:
        return Locale.parse(code).get_display_name(language) or code
    except (ValueError, TypeError):
        return code


def make_environment(
    gettext: Callable[[str], str] | None = None,
    ngettext: Callable[[str, str, int], str] | None = None,
) -> Environment:
    """The reports' Jinja environment with these gettext callables installed.

    Without them the template's own (English) words are used. The callables are "new style":
    they take the message and return the translation; the template fills in the variables.
    """
    environment = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    if gettext is None or ngettext is None:
        identity = gettext_module.NullTranslations()
        gettext = gettext or identity.gettext
        ngettext = ngettext or identity.ngettext
    environment.install_gettext_callables(gettext, ngettext, newstyle=True)
    environment.filters.update(
        day=_day,
        percent=_percent,
        number=_number,
        file_size=_file_size,
        score=_score,
        signed=_signed,
        language_named=_language_named,
    )
    environment.globals.update(
        held_at=partial(held_at, gettext=gettext, ngettext=ngettext),
        theme_chart=theme_chart,
        page_counter_content=page_counter_content,
        PAGE_MARK=PAGE_MARK,
        PAGES_MARK=PAGES_MARK,
    )
    return environment


def render_html(
    environment: Environment,
    report: Report,
    *,
    for_pdf: bool,
    stylesheet_url: str | None = None,
    back_url: str | None = None,
    pdf_url: str | None = None,
) -> str:
    """The report as an HTML document: for WeasyPrint (`for_pdf`) or for the preview page.

    The preview links to the stylesheet at `stylesheet_url` and shows links back to the
    assessment and to the PDF; the PDF gets the same stylesheet from `write_pdf`.
    """
    template = environment.get_template(TEMPLATE)
    return template.render(
        report=report,
        for_pdf=for_pdf,
        stylesheet_url=stylesheet_url,
        back_url=back_url,
        pdf_url=pdf_url,
    )


@lru_cache(maxsize=1)
def _pdf_tools():
    # Parsed once per process: the stylesheet and the font configuration are read-only, and
    # reusing them saves parsing and font look-ups on every render.
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    fonts = FontConfiguration()
    # Only local files: a report never fetches anything from the network.
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    stylesheet = CSS(filename=str(STYLESHEET), font_config=fonts, url_fetcher=fetcher)
    return stylesheet, fonts, fetcher


def write_pdf(html: str) -> bytes:
    """WeasyPrint's PDF of a report's HTML (`render_html(..., for_pdf=True)`): A4, tagged."""
    from weasyprint import HTML

    stylesheet, fonts, fetcher = _pdf_tools()
    document = HTML(string=html, base_url=str(STATIC_DIR) + "/", url_fetcher=fetcher)
    with collection_paused():
        return document.write_pdf(
            stylesheets=[stylesheet],
            font_config=fonts,
            pdf_variant=PDF_VARIANT,
        )


_pauses = {"count": 0, "was_enabled": True}
_pauses_lock = threading.Lock()


@contextmanager
def collection_paused():
    """Pause Python's cycle collector while a PDF is drawn.

    A render builds a few hundred thousand objects (boxes, styles, text pieces) that all live
    until its end: the collector walks them again and again and frees nothing, about a sixth
    of a report's CPU. When the render ends they go by reference counting, and the collector's
    next pass takes the cycles among them (peak memory is some 20 MB higher). Renders in
    several threads of one process share one pause; collection resumes when the last ends.
    """
    with _pauses_lock:
        if _pauses["count"] == 0:
            _pauses["was_enabled"] = gc.isenabled()
            gc.disable()
        _pauses["count"] += 1
    try:
        yield
    finally:
        with _pauses_lock:
            _pauses["count"] -= 1
            if _pauses["count"] == 0 and _pauses["was_enabled"]:
                gc.enable()


def render_pdf(environment: Environment, report: Report) -> bytes:
    """The report as PDF bytes."""
    return write_pdf(render_html(environment, report, for_pdf=True))
