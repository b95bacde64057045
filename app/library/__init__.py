"""The resource library: the guidance catalogue, open to visitors who are not signed in."""

from flask import Blueprint

bp = Blueprint("library", __name__, url_prefix="/library")

from app.library import views  # noqa: E402,F401  (registers the routes on bp)
