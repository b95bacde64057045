"""The base form every form of the app inherits: tidy text input before validation, and
markup that stays valid HTML on pages with several forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.csrf.core import CSRFTokenField
from wtforms.widgets import HiddenInput, Select


def _clean_text(value):
    """Drop NUL characters (PostgreSQL refuses them) and surrounding white space."""
    if isinstance(value, str):
        return value.replace("\x00", "").strip()
    return value


def _drop_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


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

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, CSRFTokenField):
                options["widget"] = _HiddenInputWithoutId()
            elif _is_single_select(field_class) and "widget" not in unbound_field.kwargs:
                options["widget"] = _SingleSelect()
            if issubclass(field_class, PasswordField):
                filters = [_drop_nul]
            elif issubclass(field_class, (StringField, TextAreaField)):
                filters = [_clean_text]
            else:
                filters = []
            options["filters"] = (*filters, *options.get("filters", ()))
            return unbound_field.bind(form=form, **options)
