"""The OpenAPI 3.1 document, generated from the code, and a page that reads it.

apispec builds the document: each API view's docstring holds its operation (the first line
is its summary, the rest of the text before `---` its description, YAML after it), the
marshmallow schemas in `schemas.py` give the bodies, and the URL map gives the paths and their
UUID parameters. Nothing is written by hand, so a route cannot be left out.
"""

from __future__ import annotations

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.yaml_utils import load_operations_from_docstring
from flask import current_app, jsonify, render_template

from app.api import PREFIX, bp, schemas
from app.policy import API_KEY, allow

SCHEMAS = {
    "Problem": schemas.ProblemSchema,
    "SiteList": schemas.SiteListSchema,
    "VacancyIn": schemas.VacancyInSchema,
    "Vacancy": schemas.VacancySchema,
    "VacancyPage": schemas.VacancyPageSchema,
    "Close": schemas.CloseSchema,
    "CandidateList": schemas.CandidateListSchema,
    "Candidate": schemas.CandidateSchema,
    "Decision": schemas.DecisionSchema,
    "Start": schemas.StartSchema,
    "StartOut": schemas.StartOutSchema,
}
CONVERTED = re.compile(r"<(?:(\w+):)?(\w+)>")
IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "description": "A retry with the same key gets the first answer and changes nothing",
}
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": "The ETag the vacancy had when read: refused with 412 if it has changed",
}
PROBLEM_RESPONSE = {
    "description": "A problem: RFC 9457 problem details",
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


def _summary_and_description(docstring: str) -> tuple[str, str]:
    """The text before `---`: its first sentence is the summary, the whole of it the
    description."""
    text = " ".join((docstring or "").split("---")[0].split())
    summary = re.split(r"(?<=\.)\s", text, maxsplit=1)[0]
    return summary, text


def build_spec(app) -> dict:
    spec = APISpec(
        title="LEP Employer Portal API",
        version="1.0.0",
        openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
        info={
            "description": (
                "For employers' recruitment systems: post vacancies, read the candidates "
                "Jobcentre Plus refers, record decisions and job starts. Send an API key "
                "made on the portal's API keys page as `Authorization: Bearer <key>`."
            )
        },
        servers=[{"url": "/"}],
    )
    spec.components.security_scheme("apiKey", {"type": "http", "scheme": "bearer"})
    spec.components.response("Problem", PROBLEM_RESPONSE)
    for name, schema in SCHEMAS.items():
        spec.components.schema(name, schema=schema)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions[rule.endpoint]
        if API_KEY not in getattr(view, "allowed_roles", ()):
            continue
        path = CONVERTED.sub(r"{\2}", rule.rule)
        parameters = [
            {
                "in": "path",
                "name": name,
                "required": True,
                "schema": {"type": "string", "format": "uuid"},
            }
            for name in rule.arguments
        ]
        summary, description = _summary_and_description(view.__doc__)
        operations = load_operations_from_docstring(view.__doc__ or "")
        for method, operation in operations.items():
            operation.setdefault("operationId", rule.endpoint.removeprefix("api."))
            operation["summary"] = summary
            operation["description"] = description
            operation["security"] = [{"apiKey": []}]
            operation.setdefault("responses", {})
            operation["responses"].setdefault(400, {"$ref": "#/components/responses/Problem"})
            operation["responses"].setdefault(401, {"$ref": "#/components/responses/Problem"})
            operation["responses"].setdefault(429, {"$ref": "#/components/responses/Problem"})
            for response in operation["responses"].values():
                if "$ref" not in response:
                    response.setdefault("description", "See the content")
            headers = []
            if method == "post":
                headers.append(IDEMPOTENCY_KEY)
            if "412" in map(str, operation["responses"]):
                headers.append(IF_MATCH)
            operation["parameters"] = [*parameters, *headers, *operation.get("parameters", [])]
            operations[method] = operation
        spec.path(path=path, operations=operations)
    return spec.to_dict()


@bp.get("/openapi.json")
@allow("everyone")
def openapi():
    if "api_spec" not in current_app.extensions:
        current_app.extensions["api_spec"] = build_spec(current_app)
    return jsonify(current_app.extensions["api_spec"])


@bp.get("/docs")
@allow("everyone")
def docs():
    """The document as a page: every operation with its parameters, body and responses."""
    if "api_spec" not in current_app.extensions:
        current_app.extensions["api_spec"] = build_spec(current_app)
    spec = current_app.extensions["api_spec"]
    operations = [
        {"method": method.upper(), "path": path, **operation}
        for path, item in spec["paths"].items()
        for method, operation in item.items()
    ]
    return render_template("api/docs.html", spec=spec, operations=operations, prefix=PREFIX)
