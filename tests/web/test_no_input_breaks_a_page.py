"""No form input may make a page fail with a 500.

Every route that accepts POST is sent hostile values in every field its page shows (or, for
buttons without a page, in a few common field names). New routes are covered automatically.
"""

from __future__ import annotations

import re

import pytest

HOSTILE_VALUES = [
    "",
    " ",
    "\x00",
    "a\x00b@example.org",
    "x" * 10_000,
    "'; DROP TABLE user_account; --",
    "<script>alert(1)</script>",
    "ünïcødé ✓ 中文 🙂",
    "-1",
    "1e309",
    "NaN",
    "../../etc/passwd",
]
COMMON_FIELDS = ["name", "email", "password", "confirm", "role", "value", "comment", "reason"]


@pytest.fixture
def app_settings() -> dict:
    # Hundreds of posts from one address would be throttled (429) before reaching most routes;
    # the limiter reads this setting when the app is built, so it is given here.
    return {"RATELIMIT_ENABLED": False}


def _post_routes(app):
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint.startswith(("static", "bootstrap")):
            continue
        values = {}
        for argument in rule.arguments:
            converter = rule._converters[argument].__class__.__name__
            values[argument] = 1 if "Integer" in converter else "x"
        yield rule, values


def _field_names(html: str) -> set[str]:
    return set(re.findall(r"<(?:input|select|textarea)[^>]*\bname=\"([^\"]+)\"", html)) - {
        "csrf_token"
    }


# The fields a route's page shows, by (who, path): the same for every hostile value.
_fields_seen: dict[tuple[str, str], set[str]] = {}


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=range(len(HOSTILE_VALUES)))
@pytest.mark.parametrize("who", ["visitor", "admin", "viewer"])
def test_no_post_route_answers_500_to_hostile_input(
    app, client, admin_client, viewer_client, who, value
):
    chosen = {"visitor": client, "admin": admin_client, "viewer": viewer_client}[who]
    # An empty post does not depend on the value: it is sent once per person, with the first.
    posts = ({}, None) if value == HOSTILE_VALUES[0] else (None,)
    for rule, arguments in _post_routes(app):
        path = rule.build(arguments)[1]
        fields = _fields_seen.get((who, path))
        if fields is None:
            fields = set(COMMON_FIELDS)
            if "GET" in rule.methods:
                page = chosen.get(path)
                fields |= _field_names(page.get_data(as_text=True))
            _fields_seen[(who, path)] = fields
        for data in posts:
            data = dict.fromkeys(fields, value) if data is None else data
            response = chosen.post(path, data=data)
            assert response.status_code < 500, (rule.rule, who, repr(value)[:40])
            response = chosen.post(path, json=data)
            assert response.status_code < 500, (rule.rule, who, "json", repr(value)[:40])
