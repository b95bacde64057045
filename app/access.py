"""Who may do what: role checks shared by every blueprint."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def admin_required(view):
    """Only an admin of the signed-in user's organisation may use this view."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def answerer_required(view):
    """Admins and assessors may use this view; viewers only read."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.can_answer:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
