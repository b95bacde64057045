"""Data in and out: backups of the whole database, portable assessment files, offline
questionnaires, and the export and deletion of an organisation."""

from flask import Blueprint, Flask

bp = Blueprint("portability", __name__)

from app.portability import views  # noqa: E402,F401  (registers the routes on bp)


def init_app(app: Flask) -> None:
    """Register the command-line commands of backups and organisations."""
    from app.portability import cli

    cli.init_app(app)
