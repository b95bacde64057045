"""Evidence: documents attached to answers, the document library of an assessment, and their
downloads. The files go through `app.evidence.storage`; views call `app.evidence.services`."""

from flask import Blueprint

bp = Blueprint("evidence", __name__, url_prefix="/assessments")

from app.evidence import cli, views  # noqa: E402,F401  (registers the routes and commands)


@bp.app_template_global("type_label")
def type_label(media_type: str) -> str:
    """The kind of a document as a person says it (PDF, Word, ...)."""
    from app.evidence.checks import TYPE_LABELS

    return str(TYPE_LABELS.get(media_type, media_type))


@bp.app_template_global("file_size")
def file_size(size: int) -> str:
    """A document's size as a person reads it (1.4 MB)."""
    from app.evidence.checks import human_size

    return human_size(size)
