"""The OpenAPI document is generated from the code: it validates as OpenAPI 3.1, lists every
API route with its methods, and the documentation page reads it with no outside assets."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

from app.policy import API_KEY
from tests.helpers import get_page


def _api_operations(app) -> set[tuple[str, str]]:
    operations = set()
    for rule in app.url_map.iter_rules():
        if API_KEY in getattr(app.view_functions[rule.endpoint], "allowed_roles", ()):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            operations |= {(method.lower(), path) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return operations


def test_the_document_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"] == "3.1.0"
    validate(spec)


def test_the_document_lists_every_api_route_and_method(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    documented = {(method, path) for path, item in spec["paths"].items() for method in item}
    assert documented == _api_operations(app)
    assert len(documented) == 11


def test_every_operation_needs_the_key_and_answers_problems_as_problem_details(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for item in spec["paths"].values():
        for operation in item.values():
            assert operation["security"] == [{"apiKey": []}]
            assert operation["responses"]["401"]["$ref"] == "#/components/responses/Problem"
    assert spec["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"


def test_the_documentation_page_lists_every_operation_from_the_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()

    html = get_page(client, "/api/v1/docs", title="API documentation")

    for path, item in spec["paths"].items():
        for method in item:
            assert f"{method.upper()} {path}" in html
    assert "closing_date" in html
    # Scripts, styles and images come from the portal itself, nothing from a CDN.
    assert not re.search(r'src="(https?:)?//', html)
    assert not re.search(r'<link[^>]+href="(https?:)?//', html)
