"""The base form every form of the app inherits: tidy text input before validation, and
markup that stays valid HTML on pages with several forms."""

from __future__ import annotations

import unicodedata

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import SUBMIT_METHODS, _Auto
from werkzeug.datastructures import ImmutableMultiDict
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.csrf.core import CSRFTokenField
from wtforms.widgets import HiddenInput, Select

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


def _json_formdata():
    """A JSON body read as form fields: an object of strings (or lists of strings) only."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return ImmutableMultiDict()
    fields = []
    for key, value in payload.items():
        values = value if isinstance(value, list) else [value]
        fields.extend((key, item) for item in values if isinstance(item, str))
    return ImmutableMultiDict(fields)


class _HiddenInputWithoutId(HiddenInput):
    """A hidden input without an id: nothing refers to it, and a page with several forms
    would otherwise repeat the same id once per form, which HTML does not allow."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", False)
        return super().__call__(field, **kwargs)


class _SingleSelect(Select):
    """A drop-down marked `required` only when its first option is an empty placeholder
    ("Choose ..."). Without one an option is always chosen, and HTML does not allow
    `required` there; a required choice with no silent default starts with a placeholder."""

    def __call__(self, field, **kwargs):
        choices = field.iter_choices()
        if not choices or choices[0].value not in ("", None):
            kwargs.setdefault("required", False)
        return super().__call__(field, **kwargs)


def _is_single_select(field_class) -> bool:
    widget = getattr(field_class, "widget", None)
    return type(widget) is Select and not widget.multiple


class BaseForm(FlaskForm):
    """A Flask-WTF form (CSRF included) whose text fields arrive clean, whose CSRF field has
    no id and whose drop-downs are `required` only with a placeholder first."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            # Flask-WTF would pass any JSON value on as it is ("0", [1, 2], nested objects).
            if formdata is _Auto and request.is_json and not request.form and not request.files:
                return _json_formdata() if request.method in SUBMIT_METHODS else None
            return super().wrap_formdata(form, formdata)

        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, CSRFTokenField):
                options["widget"] = _HiddenInputWithoutId()
            elif _is_single_select(field_class) and "widget" not in unbound_field.kwargs:
                options["widget"] = _SingleSelect()
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


class EmptyForm(BaseForm):
    """A form with only the CSRF token, for buttons that change something."""
