"""Schemathesis against the app's own OpenAPI, in-process over ASGI, with a token per role:
no 5xx, and every response (status, content type, headers, body) conforms to the schema.

Bounded in time: a few examples per operation and role, on SQLite (the HTTP layer is the
same on both backends; the matrix, canaries and idempotency tests cover PostgreSQL).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from api.http.app import create_app
from api.bootstrap import init_database
from api.http.auth import issue_token
from api.settings import Settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_headers_conformance, response_schema_conformance,
    status_code_conformance,
)

ROLES = ["administrator", "line_manager", "mentor", "mentee", "auditor", "dpo"]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


# The schema is read from the app when the module is collected (no request, no lifespan);
# the requests go through `client`, whose lifespan runs the app for the whole module.
DATA = Path(tempfile.mkdtemp(prefix="trellis-schemathesis-"))
SETTINGS = Settings(environment="test", persistence="sqlite", data_dir=DATA)
APP = create_app(SETTINGS)
schema = schemathesis.openapi.from_dict(APP.openapi())
TOKENS = {role: issue_token(SETTINGS, f"fuzz-{role}", [role]) for role in ROLES}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    init_database(SETTINGS)
    with TestClient(APP, raise_server_exceptions=False) as client:
        yield client
    shutil.rmtree(DATA, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_operation_conforms_for_every_role(case, client):
    for role in ROLES:
        request = case.as_transport_kwargs(base_url="http://testserver",
                                           headers={"Authorization": f"Bearer {TOKENS[role]}"})
        if not request.get("cookies"):
            request.pop("cookies", None)
        response = client.request(**request)
        case.validate_response(response, checks=CHECKS)
