"""The OpenAPI document is complete: every operation summarised, tagged, secured and with
its problems documented; commands declare the Idempotency-Key header."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import api.http as api_http
from api.services import Trellis
from api.http.app import create_app
from api.settings import Settings
from projections.queries import ReadModels

SCHEMA = create_app(Settings(environment="test")).openapi()
OPERATIONS = [(path, method, op) for path, ops in SCHEMA["paths"].items() for method, op in ops.items()]
PUBLIC = {"/health", "/dev/demo-sign-in"}


def ids(item) -> str:
    return f"{item[1].upper()} {item[0]}"


@pytest.mark.parametrize("item", OPERATIONS, ids=ids)
class TestEveryOperation:
    def test_is_summarised_and_tagged(self, item):
        _, _, op = item
        assert op.get("summary") and op.get("tags")

    def test_documents_its_problems(self, item):
        path, method, op = item
        expected = {"400", "422"} | ({"401", "403"} if path not in PUBLIC else set())
        if method == "post":
            expected |= {"404", "409"}
        assert expected <= set(op["responses"])
        for status in expected:
            content = op["responses"][status]["content"]
            assert content["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}

    def test_commands_take_an_idempotency_key(self, item):
        _, method, op = item
        headers = {p["name"] for p in op.get("parameters", []) if p["in"] == "header"}
        assert ("Idempotency-Key" in headers) == (method == "post")

    def test_is_secured_by_a_bearer_token(self, item):
        _, _, op = item
        assert {"bearer": []} in op.get("security", [])


class TestTheDocument:
    def test_describes_problems_and_the_bearer_scheme(self):
        assert set(SCHEMA["components"]["schemas"]["Problem"]["required"]) == {
            "type", "title", "status", "detail", "instance"}
        assert SCHEMA["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"

    def test_command_bodies_carry_examples(self):
        schemas = SCHEMA["components"]["schemas"]
        for name in ("CaseCreate", "SessionCreate", "MatchProposal", "PoolJoin", "ProgrammeCreate"):
            fields = schemas[name]["properties"].values()
            assert any("examples" in f or "$ref" in f for f in fields), name


class TestEverythingIsReachable:
    """Every lifecycle command of `Trellis` has a POST route; every read-model query a GET."""

    SOURCES = "\n".join(
        p.read_text() for p in Path(api_http.__file__).parent.glob("**/*.py") if "dashboard" not in p.parts
    )

    def test_every_command_of_the_application_has_a_route(self):
        commands = [
            name for name, method in inspect.getmembers(Trellis, inspect.isfunction)
            if not name.startswith("_") and "actor" in inspect.signature(method).parameters
        ]
        assert len(commands) >= 28
        for name in commands:
            assert f"trellis.{name}(" in self.SOURCES, name

    def test_every_read_model_query_has_a_route(self):
        queries = [name for name, _ in inspect.getmembers(ReadModels, inspect.isfunction) if not name.startswith("_")]
        for name in queries:
            assert f"read_models.{name}(" in self.SOURCES, name
