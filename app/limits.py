"""Input bounds shared by every route: ids within the database's range, JSON that parses safely.

Anything outside these bounds is an answer for the client (404, 400), never an error of ours.
"""

from __future__ import annotations

import json
import math
from typing import Any

from flask import Flask, abort, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import IntegerConverter, ValidationError

from app.models.types import DB_INT_MAX

# Nesting deeper than this in a request's JSON is refused (no form of ours nests more than 3).
JSON_MAX_DEPTH = 32


class DatabaseIntegerConverter(IntegerConverter):
    """`<int:...>` in every route: a number the database can hold, otherwise 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> int:
        if len(value) > len(str(DB_INT_MAX)):
            raise ValidationError()
        return super().to_python(value)


def database_id(value: Any) -> int | None:
    """`value` as an id the database can hold, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit() or len(value) > len(str(DB_INT_MAX)):
            return None
        value = int(value)
    if not isinstance(value, int) or not 0 < value <= DB_INT_MAX:
        return None
    return value


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError("number out of range")
    return number


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _depth(value: Any, limit: int) -> int:
    """How deep `value` nests, stopping once past `limit`."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if deepest > limit:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


class BoundedJSONProvider(DefaultJSONProvider):
    """Parses request JSON with bounds: finite numbers, limited nesting, no NaN/Infinity."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        kwargs.setdefault("parse_float", _finite)
        kwargs.setdefault("parse_constant", _reject_constant)
        try:
            value = json.loads(s, **kwargs)
        except RecursionError:
            raise ValueError("the JSON nests too deeply") from None
        # Each level opens a bracket: with no more brackets than the limit, no walk is needed.
        brackets = (b"[", b"{") if isinstance(s, bytes | bytearray) else ("[", "{")
        if (
            sum(s.count(b) for b in brackets) > JSON_MAX_DEPTH
            and _depth(value, JSON_MAX_DEPTH) > JSON_MAX_DEPTH
        ):
            raise ValueError("the JSON nests too deeply")
        return value


def _refuse_nul() -> None:
    # PostgreSQL refuses NUL in text: an address naming one names nothing, and a query string
    # loses them before anything reads it.
    if "\x00" in request.path:
        abort(404)
    query = request.environ.get("QUERY_STRING", "")
    if "%00" in query or "\x00" in query:
        request.environ["QUERY_STRING"] = query.replace("%00", "").replace("\x00", "")
        request.__dict__.pop("args", None)


def init_app(app: Flask) -> None:
    """Install the bounded id converter (before routes are added) and the JSON parser."""
    app.url_map.converters["int"] = DatabaseIntegerConverter
    app.json_provider_class = BoundedJSONProvider
    app.json = BoundedJSONProvider(app)
    app.before_request(_refuse_nul)
