"""The forms of the evidence pages: attach a file, link a document of the library."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, StringField
from wtforms.validators import Length, Optional, ValidationError

from app.forms import BaseForm


class AttachForm(BaseForm):
    """One file for one answer, with a title and an optional date."""

    file = FileField(_l("File"))
    title = StringField(_l("Title"), validators=[Length(max=200)])
    document_date = DateField(
        _l("Date of the document"),
        validators=[Optional()],
        format="%Y-%m-%d",
        render_kw={"type": "date"},
    )

    def validate_document_date(self, field) -> None:
        """A date the database can hold and a person could mean (not year 0001 or 9999)."""
        if field.data is not None and not 1900 <= field.data.year <= 2200:
            raise ValidationError(_l("Enter the date of the document."))
