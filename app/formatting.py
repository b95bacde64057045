"""Template filters that format numbers and dates in the user's language."""

from __future__ import annotations

import re
from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime, format_percent
from flask_babel import gettext as _


def percent(fraction: float | None) -> str:
    """A share 0-1 as a percentage, or a dash when there is nothing to show."""
    if fraction is None:
        return "\u2013"  # an en dash
    return format_percent(fraction, format="#,##0%")


def datetime_short(value: datetime | None) -> str:
    if value is None:
        return _("never")
    return format_datetime(value, "medium")


def date_medium(value: date | None) -> str:
    if value is None:
        return "\u2013"
    return format_date(value, "medium")


def paragraphs(text: str | None) -> list[str]:
    """Text as paragraphs: blank lines part them, single line breaks (from YAML) reflow."""
    if not text:
        return []
    return [" ".join(part.split()) for part in re.split(r"\n\s*\n", text) if part.strip()]


def init_app(app: Flask) -> None:
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["paragraphs"] = paragraphs
    app.jinja_env.filters["date"] = date_medium
    app.jinja_env.filters["datetime"] = datetime_short
