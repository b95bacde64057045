"""The base form every form of the app inherits: tidy text input before validation."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField


def _clean_text(value):
    """Drop NUL characters (PostgreSQL refuses them) and surrounding white space."""
    if isinstance(value, str):
        return value.replace("\x00", "").strip()
    return value


def _drop_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """A Flask-WTF form (CSRF included) whose text fields arrive clean."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, PasswordField):
                filters = [_drop_nul]
            elif issubclass(field_class, (StringField, TextAreaField)):
                filters = [_clean_text]
            else:
                filters = []
            options["filters"] = (*filters, *options.get("filters", ()))
            return unbound_field.bind(form=form, **options)
