"""The organisation's team: members, and colleague invitations sent by admins."""

from flask import Blueprint

bp = Blueprint("colleagues", __name__, url_prefix="/colleagues")

from app.colleagues import views  # noqa: E402,F401  (registers the routes on bp)
