"""Schemathesis against the served OpenAPI document: generated requests to every operation,
with the organisation's key, checked for no server error and answers that match the document
(status code, content type, response schema). Bounded: `SCHEMATHESIS_EXAMPLES` per operation."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

schemathesis = pytest.importorskip("schemathesis")

from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi import checks  # noqa: E402

from tests.api_helpers import bearer, key_for  # noqa: E402
from tests.factories import OrganisationFactory, employer_user  # noqa: E402

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def api_headers():
    return bearer(key_for(employer_user(OrganisationFactory()), "Schemathesis"))


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_answers_as_its_document_says(case, api_headers):
    from flask import g

    vars(g).clear()  # each request starts with an empty g, as in production
    case.call_and_validate(headers=api_headers, checks=CHECKS)
