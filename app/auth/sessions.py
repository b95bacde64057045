"""Sessions that can be ended: a per-user session version, and an idle timeout.

Every session and "keep me signed in" cookie carries the user's session version (see
`User.get_id`); raising the version (sign-out, password change, a role change, disabling or
removing the user) ends them all at their next request. A session unused for
`SESSION_IDLE_MINUTES` ends too, unless the person asked to stay signed in on that device.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, request, session
from flask_babel import gettext as _
from flask_login import login_user, logout_user, user_loaded_from_cookie

from app.extensions import db

SEEN_KEY = "_seen"
KEEP_KEY = "_keep"
# The last-seen time is rewritten at most this often (seconds), not on every request.
SEEN_RESOLUTION = 30


def sign_in(user, *, remember: bool = False) -> None:
    """Start a session for `user` (and a remember cookie if asked)."""
    login_user(user, remember=remember)
    session[SEEN_KEY] = int(time.time())
    session[KEEP_KEY] = bool(remember)


def sign_out_everywhere(user) -> None:
    """End every session of `user`, this one included."""
    user.end_sessions()
    db.session.commit()
    logout_user()
    session.pop(SEEN_KEY, None)
    session.pop(KEEP_KEY, None)


def continue_session(user) -> None:
    """Carry this session over to the user's current session version (after the caller raised
    it and committed: every other session has ended, this one continues)."""
    sign_in(user, remember=bool(session.get(KEEP_KEY)))


def _check_idle() -> None:
    if "_user_id" not in session:
        return
    now = int(time.time())
    seen = session.get(SEEN_KEY)
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    if isinstance(seen, int) and idle > 0 and not session.get(KEEP_KEY) and now - seen > idle:
        logout_user()
        session.pop(SEEN_KEY, None)
        flash(_("You were signed out after a while without activity. Sign in again."), "info")
        return
    if not isinstance(seen, int) or now - seen >= SEEN_RESOLUTION:
        session[SEEN_KEY] = now


def init_app(app: Flask) -> None:
    from app import scoping
    from app.extensions import login_manager
    from app.models import User

    @login_manager.user_loader
    def load_user(session_id: str):
        # Nearly every request about one assessment looks it up: it comes with the user.
        assessment_id = (request.view_args or {}).get("assessment_id")
        if not isinstance(assessment_id, int):
            return User.from_session_id(session_id)
        user, assessment = User.from_session_id_with_assessment(session_id, assessment_id)
        scoping.keep_loaded(assessment)
        return user

    @user_loaded_from_cookie.connect_via(app)
    def _remembered(_sender, user):
        # Back through "keep me signed in": this device stays signed in while idle.
        session[KEEP_KEY] = True
        session[SEEN_KEY] = int(time.time())

    app.before_request(_check_idle)
