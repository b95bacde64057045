"""The base form every form of the app inherits: tidy text input before validation."""

from __future__ import annotations

import unicodedata

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField

# Invisible characters that can make a name read differently from what it is: direction
# overrides and isolates, zero-width characters, the byte-order mark.
_INVISIBLE = dict.fromkeys(
    [
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2065),
        *range(0x2066, 0x206A),
        0xFEFF,
        0x061C,
    ]
)


def clean_line(value: str) -> str:
    """One line of text as stored: no control or invisible characters, white space tidied."""
    value = value.translate(_INVISIBLE)
    value = "".join(" " if unicodedata.category(c) == "Cc" else c for c in value)
    return " ".join(value.split())


def _clean_text(value):
    """Drop NUL characters (PostgreSQL refuses them) and surrounding white space."""
    if isinstance(value, str):
        return value.replace("\x00", "").strip()
    return value


def _clean_line(value):
    return clean_line(value) if isinstance(value, str) else value


def _drop_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """A Flask-WTF form (CSRF included) whose text fields arrive clean."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, PasswordField):
                filters = [_drop_nul]
            elif issubclass(field_class, TextAreaField):
                filters = [_clean_text]
            elif issubclass(field_class, StringField):
                filters = [_clean_line]
            else:
                filters = []
            options["filters"] = (*filters, *options.get("filters", ()))
            return unbound_field.bind(form=form, **options)
