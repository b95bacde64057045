"""The reports' templates as the app uses them: one Jinja environment per app, speaking the
reader's language through Flask-Babel, for the page, the PDF in a request and in a worker."""

from __future__ import annotations

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as babel_gettext
from flask_babel import ngettext as babel_ngettext
from jinja2 import Environment

from reports import render

ENVIRONMENT_KEY = "ddcheck.report_environment"


def environment() -> Environment:
    """The reports' Jinja environment, speaking the reader's language through Flask-Babel."""
    env = current_app.extensions.get(ENVIRONMENT_KEY)
    if env is None:
        env = render.make_environment(gettext=babel_gettext, ngettext=babel_ngettext)
        current_app.extensions[ENVIRONMENT_KEY] = env
    return env


def report_language() -> str:
    """The reader's language, which the report is written in."""
    locale = get_locale()
    return locale.language if locale is not None else "en"
