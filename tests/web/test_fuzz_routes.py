"""No input produces a 500: every route of the URL map, with hostile ids, query strings and
JSON bodies, as an anonymous visitor, a workshop team and a signed-in admin."""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter

from app.extensions import db
from app.models import User
from tests import factories

HOSTILE_IDS = [1, 2**31, 2**64 + 1]
# Actions that would end the fuzzing principal's own session, or render a PDF for seconds.
SKIPPED = {"auth.sign_out", "auth.sign_out_everywhere", "static", "bootstrap.static"}
SLOW = ("pdf",)
PRINCIPALS = ["anonymous", "team", "admin"]


def _rules(app):
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint not in SKIPPED),
        key=lambda r: r.rule,
    )


def _url(rule, values: dict) -> str:
    path = rule.rule
    for name in rule.arguments:
        converter = rule._converters[name]
        marker = next(
            part
            for part in ("<int:" + name + ">", "<" + name + ">", "<path:" + name + ">")
            if part in path
        )
        value = values.get(name, 1 if isinstance(converter, IntegerConverter) else "x")
        path = path.replace(marker, quote(str(value), safe=""))
    return path


@pytest.fixture
def principals(app, organisation, admin):
    """A client per kind of principal, with an assessment, a contractor and a workshop to aim at."""
    factories.make_assessment(organisation, admin)
    factories.make_contractor(organisation, admin)
    team = app.test_client()
    workshop = factories_workshop(admin)
    response = team.post("/join", data={"code": workshop, "team": "Fuzzers"})
    assert response.status_code == 302
    return {"anonymous": app.test_client(), "team": team, "admin": app.test_client()}


def factories_workshop(user) -> str:
    from app.content import content
    from app.workshops import services

    workshop = services.create_workshop(
        user=user,
        title="Fuzz",
        questionnaire=content().get(services.DEFAULT_QUESTIONNAIRE),
        case_text=None,
        reveal_at_end=True,
    )
    return workshop.join_code


def _request(client, method, url, *, query=None, body=None, form=None):
    if query:
        url += "?" + urlencode(query, doseq=True)
    if body is not None:
        return client.open(
            url, method=method, data=body, headers={"Content-Type": "application/json"}
        )
    return client.open(url, method=method, data=form)


def _refresh(principals, admin_id):
    """Sign the admin in again (a fuzzed action may have changed their session version)."""
    user = db.session.get(User, admin_id)
    factories.signed_in(principals["admin"], user)


def test_hostile_ids_on_every_route_never_give_500(app, principals, admin):
    admin_id = admin.id
    for rule in _rules(app):
        int_args = [n for n in rule.arguments if isinstance(rule._converters[n], IntegerConverter)]
        ids = HOSTILE_IDS if int_args else [None]
        for who in PRINCIPALS:
            _refresh(principals, admin_id)
            for number in ids:
                url = _url(rule, dict.fromkeys(int_args, number))
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    if any(s in rule.endpoint for s in SLOW) and number in (1, None):
                        continue
                    response = _request(principals[who], method, url)
                    assert response.status_code < 500, (who, method, url)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["value", "revision", "na", "na_reason", "comment", "x"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)
raw_bodies = st.one_of(
    json_values.map(json.dumps),
    st.sampled_from(
        [
            "[" * 100_000 + "]" * 100_000,
            '{"revision": 1e309}',
            '{"revision": ' + "9" * 5000 + "}",
            '{"value": NaN}',
            '{"revision": -1, "value": Infinity}',
            "{",
            "",
        ]
    ),
)
query_values = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=20),
    st.just("9" * 30),
)
queries = st.dictionaries(
    st.sampled_from(["ids", "sort", "q", "next", "page", "questionnaire", "tag", "lang"]),
    st.lists(query_values, max_size=3),
    max_size=3,
)
path_values = st.one_of(
    st.integers(min_value=0, max_value=6),
    st.sampled_from([2**31 - 1, 2**31, 2**63, 10**30]),
)
text_args = st.one_of(st.text(min_size=1, max_size=20), st.sampled_from(["x", "../..", "%00"]))


@pytest.mark.parametrize("who", PRINCIPALS)
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
@given(data=st.data())
def test_random_requests_on_every_route_never_give_500(app, principals, admin, who, data):
    _refresh(principals, admin.id)
    rule = data.draw(st.sampled_from(_rules(app)))
    values = {}
    for name in rule.arguments:
        if isinstance(rule._converters[name], IntegerConverter):
            values[name] = data.draw(path_values)
        else:
            values[name] = data.draw(text_args)
    if any(s in rule.endpoint for s in SLOW):
        values = dict.fromkeys(values, 2**40)
    url = _url(rule, values)
    method = data.draw(st.sampled_from(sorted(rule.methods - {"HEAD", "OPTIONS"})))
    query = data.draw(queries)
    body = data.draw(st.none() | raw_bodies) if method == "POST" else None
    form = None
    if body is None and method == "POST":
        form = data.draw(st.dictionaries(st.text(max_size=10), st.text(max_size=20), max_size=4))
    response = _request(principals[who], method, url, query=query, body=body, form=form)
    assert response.status_code < 500, (who, method, url, query, body and body[:200])


def test_an_id_above_the_database_range_is_not_found(admin_client):
    for number in ("2147483648", str(2**63), "9" * 30, "9" * 5000):
        assert admin_client.get(f"/assessments/{number}").status_code == 404


def test_comparing_with_an_impossible_id_ignores_it(admin_client):
    response = admin_client.get("/contractors/compare?ids=" + "9" * 30 + "&ids=x&ids=-1")
    assert response.status_code == 200


@pytest.fixture
def draft(organisation, admin):
    assessment = factories.make_assessment(organisation, admin)
    question = factories.content_questionnaire("supplier").questions[0]
    return f"/assessments/{assessment.id}/answers/{question.key}"


@pytest.mark.parametrize(
    "body",
    ["[" * 100_000 + "]" * 100_000, '{"value": ' + "[" * 100 + "]" * 100 + "}"],
    ids=["100000-deep", "100-deep"],
)
def test_autosave_refuses_deeply_nested_json(admin_client, draft, body):
    response = admin_client.post(draft, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json["message"] == "The answer could not be read."


@pytest.mark.parametrize(
    "body",
    [
        '{"revision": 1e309}',
        '{"revision": "x"}',
        '{"revision": 99999999999999999999}',
        '{"revision": -1}',
        '{"revision": true}',
        '{"value": Infinity}',
    ],
)
def test_autosave_answers_impossible_numbers_in_words_for_people(admin_client, draft, body):
    response = admin_client.post(draft, data=body, content_type="application/json")
    assert response.status_code in (400, 422)
    message = response.json["message"]
    assert message == "The answer could not be read."


@pytest.mark.parametrize("body", ['"0"', "false", "[1, 2]", '{"code": [1, {"a": 2}], "team": 7}'])
def test_a_form_sent_as_odd_json_is_re_shown(client, body):
    response = client.post("/join", data=body, content_type="application/json")
    assert response.status_code == 200
    assert b"This field is required" in response.data


def test_a_nul_in_the_address_or_query_names_nothing(client):
    assert client.get("/join/%00").status_code == 404
    assert client.get("/library/?q=%00").status_code == 200
