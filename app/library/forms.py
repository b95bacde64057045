"""The library's search form (a GET form: it changes nothing, so it carries no CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Form, SearchField, SelectField
from wtforms.validators import Length, Optional


class LibrarySearchForm(Form):
    q = SearchField(_l("Search title, organisation and summary"), validators=[Length(max=200)])
    topic = SelectField(_l("Theme or topic"), validators=[Optional()], validate_choice=False)
    type = SelectField(_l("Type"), validators=[Optional()], validate_choice=False)
    organisation = SelectField(_l("Organisation"), validators=[Optional()], validate_choice=False)
    language = SelectField(_l("Language"), validators=[Optional()], validate_choice=False)
    audience = SelectField(_l("Written for"), validators=[Optional()], validate_choice=False)
