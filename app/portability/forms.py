"""Forms of data in and out: uploads of assessment files and workbooks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired

from app.forms import BaseForm


class AssessmentFileForm(BaseForm):
    file = FileField(
        _l("Assessment file (.json)"),
        validators=[FileRequired(_l("Choose the assessment file to upload."))],
        description=_l("A file downloaded with “Download as a file” from ddcheck."),
    )
    submitted = BooleanField(
        _l("Keep it submitted"),
        description=_l(
            "A submitted assessment comes in as a submitted copy marked “imported”, with its "
            "history and action plan. Without this, its answers start a new draft."
        ),
    )


class UploadForm(BaseForm):
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose the file to upload."))])


def read_upload(field) -> bytes:
    """The uploaded file's bytes (the size is bounded by MAX_CONTENT_LENGTH)."""
    return field.data.read() if field.data is not None else b""


class DeleteOrganisationForm(BaseForm):
    name = StringField(
        _l("Type the organisation's name to confirm"),
        validators=[DataRequired(_l("Type the organisation's name to confirm."))],
    )
