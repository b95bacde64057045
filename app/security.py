"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, Response, request, session

from app.static_files import is_static

# No inline script or style: every script and stylesheet is a file the app serves itself.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _private(response: Response) -> bool:
    """A page or file for one signed-in user, team or contractor (not a static asset)."""
    if is_static(request.endpoint):
        return False
    if "attachment" in response.headers.get("Content-Disposition", ""):
        return True
    # Anyone with a session: a user, a workshop team, a contractor's invitation. A signed-in
    # user's session holds `_user_id` (Flask-Login puts it there, a remember cookie too); the
    # session is read rather than the user, whose row a commit in the view has expired and
    # would be read again from the database just for this.
    return any(not key.startswith("_") or key == "_user_id" for key in session)


def init_app(app: Flask) -> None:
    @app.after_request
    def set_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        # Links with tokens (invitations) must never leak to other sites through Referer.
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if _private(response):
            # Nobody's answers or downloads stay in a shared browser's or proxy's cache.
            headers["Cache-Control"] = "private, no-store"
            headers.pop("Expires", None)
        return response
