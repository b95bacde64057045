"""Template filters that format numbers and dates in the user's language."""

from __future__ import annotations

import re
from datetime import date, datetime

from babel import Locale
from flask import Flask
from flask_babel import format_date, format_datetime, format_percent, get_locale
from flask_babel import gettext as _


def percent(fraction: float | None) -> str:
    """A share 0-1 as a percentage, or a dash when there is nothing to show."""
    if fraction is None:
        return "\u2013"  # an en dash
    # The locale's own pattern: "50%" in English, "50 %" in German, Russian and French.
    return format_percent(fraction)


def datetime_short(value: datetime | None) -> str:
    if value is None:
        return _("never")
    return format_datetime(value, "medium")


def date_medium(value: date | None) -> str:
    if value is None:
        return "\u2013"
    return format_date(value, "medium")


def held_at(band_label: str, red_flags: int, unanswered_critical: int = 0) -> str:
    """Why a verdict is held at the red-flag cap, in the reader's language."""
    from flask_babel import gettext, ngettext

    from reports.verdict import held_at as words

    return words(band_label, red_flags, unanswered_critical, gettext=gettext, ngettext=ngettext)


def verdict_note(scorecard) -> str | None:
    """ "Held at Developing: 2 red flags" when the cap lowered a scorecard's verdict; else None."""
    if scorecard is None or not scorecard.capped:
        return None
    return held_at(
        scorecard.cap_band.label, len(scorecard.red_flags), len(scorecard.unanswered_critical)
    )


def paragraphs(text: str | None) -> list[str]:
    """Text as paragraphs: blank lines part them, single line breaks (from YAML) reflow."""
    if not text:
        return []
    return [" ".join(part.split()) for part in re.split(r"\n\s*\n", text) if part.strip()]


def language_named(code: str | None) -> str:
    """A language's name in the reader's language ("English" is "английский" in Russian)."""
    if not code:
        return ""
    try:
        return Locale.parse(code).get_display_name(get_locale() or "en") or code
    except (ValueError, TypeError):
        return code


def init_app(app: Flask) -> None:
    app.jinja_env.filters["language_named"] = language_named
    app.jinja_env.globals["held_at"] = held_at
    app.jinja_env.globals["verdict_note"] = verdict_note
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["paragraphs"] = paragraphs
    app.jinja_env.filters["date"] = date_medium
    app.jinja_env.filters["datetime"] = datetime_short
