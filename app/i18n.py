"""Choosing the interface language, and the switch in the menu.

In order: the signed-in user's own setting; the language a visitor chose with the switch (a
cookie, for anonymous visitors and contractors on their link pages); a workshop team's workshop;
a contractor's invitation; then the browser's preference.
"""

from __future__ import annotations

from babel import Locale
from flask import Blueprint, current_app, g, redirect, request, url_for
from flask_login import current_user

from app.extension_points import ExtensionPoint
from app.extensions import db

COOKIE = "ddcheck_language"
COOKIE_DAYS = 365

bp = Blueprint("i18n", __name__)


def languages() -> list[str]:
    """The interface languages this installation offers."""
    return list(current_app.config["LANGUAGES"])


def language_name(code: str) -> str:
    """A language's name in that language ("Deutsch", "русский"), for the switch."""
    name = Locale.parse(code).display_name or code
    return name[:1].upper() + name[1:]


def language_choices() -> list[tuple[str, str]]:
    """(code, own name) for each interface language, for forms that choose one."""
    return [(code, language_name(code)) for code in languages()]


def interface_language() -> str:
    """The language the current page is shown in ("en" outside a request)."""
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale is not None and is_language(locale.language) else "en"


def is_language(code: str | None) -> bool:
    return bool(code) and code in languages()


context_language = ExtensionPoint("context_language")
"""The language of what a visitor without an account works on (a workshop team's workshop, a
contractor's invitation): each provider takes nothing and answers a language code or None."""


def _context_language() -> str | None:
    """The language of the workshop a team joined, or of a contractor's invitation."""
    if "context_language" not in g:
        g.context_language = context_language.first()
    return g.context_language


def select_locale() -> str | None:
    """Flask-Babel's locale selector."""
    if not request:
        return None
    if current_user and current_user.is_authenticated and is_language(current_user.locale):
        return current_user.locale
    chosen = request.cookies.get(COOKIE)
    if is_language(chosen):
        return chosen
    context = _context_language()
    if is_language(context):
        return context
    return request.accept_languages.best_match(languages())


def _safe_back(target: str | None) -> str:
    """Only a path on this site (no scheme, no other host) is followed back."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("main.index")


@bp.route("/language", methods=["POST"])
def switch():
    """The menu's language switch: kept in the account, or in a cookie for visitors."""
    code = request.form.get("language", "")
    response = redirect(_safe_back(request.form.get("next")), code=303)
    if not is_language(code):
        return response
    if current_user.is_authenticated:
        current_user.locale = code
        db.session.commit()
    response.set_cookie(
        COOKIE,
        code,
        max_age=COOKIE_DAYS * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )
    return response


def init_app(app) -> None:
    from app.extensions import csrf

    # No CSRF token: a forged switch can only change the language shown, which the person
    # changes back with one click; a token would put a session cookie on every anonymous page.
    csrf.exempt(switch)
    app.register_blueprint(bp)
    app.jinja_env.globals["language_choices"] = language_choices
    app.jinja_env.globals["language_name"] = language_name
