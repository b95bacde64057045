"""Accounts: registration, sign-in and sign-out, passwords, joining by colleague invitation."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.auth import views  # noqa: E402,F401  (registers the routes on bp)
