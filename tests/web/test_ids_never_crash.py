"""No id or page number in a URL can crash a page, whatever the database can hold.

Walks the app's URL map: every route, with every id in its path set to
2^31 and to 2^63 (beyond PostgreSQL's integer and bigint, and SQLite's
integer), is asked as every role; every GET route is also asked with
`?page=` and the query arguments that carry ids at those values. The answer
is 404 or 400 for the path ids and anything but a 500 for the query string,
on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest
from werkzeug.routing import Rule

from coprod_match.models import Role
from tests.factories import client_for

TOO_LARGE = (2**31, 2**63)
ID_QUERY_ARGUMENTS = ("near", "initiative_id", "neighbourhood_id", "assignee", "district")
ANONYMOUS = None


def _sample_value(rule: Rule, name: str) -> str:
    """A harmless value for a path argument that is not an id."""
    converter = rule._converters[name]
    choices = getattr(converter, "items", None)  # <any(a, b):name>
    return sorted(choices)[0] if choices else "x"


def _path(rule: Rule, number: int) -> str:
    values = {}
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__
        values[name] = str(number) if converter in ("IdConverter", "IntegerConverter") else _sample_value(rule, name)
    path = rule.rule
    for name, value in values.items():
        path = path.replace(f"<{_declaration(rule, name)}>", value)
    return path


def _declaration(rule: Rule, name: str) -> str:
    """The `<converter(args):name>` text of one argument in the rule."""
    start = rule.rule.index(f":{name}>") if f":{name}>" in rule.rule else rule.rule.index(f"<{name}>") + 1
    opening = rule.rule.rindex("<", 0, start)
    return rule.rule[opening + 1: rule.rule.index(">", start)]


def _id_routes(app) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules()
            if rule.endpoint != "static"
            and any(type(rule._converters[name]).__name__ in ("IdConverter", "IntegerConverter")
                    for name in rule.arguments)]


def _get_routes(app) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules()
            if rule.endpoint != "static" and "GET" in rule.methods and not rule.arguments]


@pytest.fixture
def people(make_user):
    return {role: make_user(role) for role in Role}


def test_every_id_route_uses_the_id_converter(app):
    int_routes = [rule.rule for rule in _id_routes(app)
                  if any(type(rule._converters[name]).__name__ == "IntegerConverter" for name in rule.arguments)]
    assert int_routes == []


@pytest.mark.parametrize("role", [ANONYMOUS, *Role])
def test_ids_too_large_for_the_database_answer_not_found(app, people, role):
    rules = _id_routes(app)
    assert len(rules) > 20  # the walk must reach the site's pages, not just a few
    failures = []
    for number in TOO_LARGE:
        client = client_for(app, people.get(role))
        for rule in rules:
            path = _path(rule, number)
            method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
            response = client.open(path, method=method)
            if response.status_code not in (400, 404):
                failures.append((method, path, response.status_code))
    assert failures == []


@pytest.mark.parametrize("role", [ANONYMOUS, *Role])
def test_pages_and_id_filters_too_large_never_crash(app, people, role):
    rules = _get_routes(app)
    failures = []
    for number in TOO_LARGE:
        client = client_for(app, people.get(role))
        query = "&".join(f"{name}={number}" for name in ("page", *ID_QUERY_ARGUMENTS))
        for rule in rules:
            for path in (f"{rule.rule}?page={number}", f"{rule.rule}?{query}"):
                response = client.get(path)
                if response.status_code >= 500:
                    failures.append((path, response.status_code))
    assert failures == []


def test_a_page_past_the_last_possible_is_not_found_and_a_bad_page_is_the_first(app, people):
    client = client_for(app, people[Role.ADMIN])
    assert client.get(f"/initiatives/?page={2**31}").status_code == 404
    assert client.get("/initiatives/?page=two").status_code == 200
    assert client.get("/initiatives/?page=0").status_code == 200
