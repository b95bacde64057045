"""Choosing the interface language: the user's own setting first, then the browser's."""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user


def select_locale() -> str | None:
    """Flask-Babel's locale selector."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) if request else None
