"""The organisation's team: members, and colleague invitations sent by admins."""

from flask import Blueprint

bp = Blueprint("team", __name__, url_prefix="/team")

from app.team import views  # noqa: E402,F401  (registers the routes on bp)
