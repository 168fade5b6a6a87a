"""The OpenAPI document is complete: every operation summarised, tagged, secured and with
its problems documented; commands declare the Idempotency-Key header."""

from __future__ import annotations

import inspect

import pytest

from api.http.app import create_app
from api.http.policy import api_routes
from api.services import Trellis
from api.services.catalogue import CatalogueQueries
from api.services.as_of import AsOfQueries
from api.services.history import HistoryQueries
from api.services.past_board import PastBoards
from api.services.timelines import TimelineQueries
from api.services.sessions import SessionQueries
from api.settings import Settings
from api_support import ROLES, cast
from domain import Role
from lifecycle import TODAY
from projections.queries import ReadModels

SCHEMA = create_app(Settings(environment="test")).openapi()
OPERATIONS = [(path, method, op) for path, ops in SCHEMA["paths"].items() for method, op in ops.items()]
PUBLIC = {"/health", "/dev/demo-sign-in"}
HISTORY = (TimelineQueries, AsOfQueries, PastBoards)  # what HistoryQueries is made of


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
    """Every command of the application and every read-model query is reached by a route:
    each route is called, and the application and read models record what was called."""

    def test_every_command_is_called_by_a_post_route(self, api, monkeypatch):
        commands = [name for name, method in inspect.getmembers(Trellis, inspect.isfunction)
                    if inspect.signature(method).return_annotation == "Recorded" and not name.startswith("_")]
        assert len(commands) >= 28
        called = spy(monkeypatch, api.trellis, commands)
        counted = spy(monkeypatch, api.client.app.state.read_models, ["cases_waiting"])
        c = cast(api.trellis)
        for route, path in api_routes(api.client.app).values():
            if "POST" in route.methods:
                for role in ROLES:  # whoever the route lets in; refusals and domain errors are fine here
                    # (a request or hold named by a made-up id: the command is reached, and refuses)
                    api.client.post(fill(path, c, UNKNOWN), params={"programme_id": str(c.programme_id)},
                                    json=BODIES.get(path, {}), headers=api.headers(c.people[role]))
        assert sorted(set(commands) - called) == []
        assert counted == {"cases_waiting"}  # the extension grant weighs the read model's count

    def test_every_query_is_called_by_a_get_route(self, api, monkeypatch):
        read_models = api.client.app.state.read_models
        queries = [name for name, _ in inspect.getmembers(ReadModels, inspect.isfunction) if not name.startswith("_")]
        from_the_store = [name for cls in (SessionQueries, CatalogueQueries, HistoryQueries, *HISTORY)
                          for name, _ in inspect.getmembers(cls, inspect.isfunction)
                          if not name.startswith("_") and name in vars(cls)]
        read, read_from_the_store = spy(monkeypatch, read_models, queries), spy(monkeypatch, api.trellis, from_the_store)
        c = cast(api.trellis)
        dpo, subject = c.people[Role.DPO], c.people[Role.MENTEE].id
        requests = {kind: str(api.trellis.receive_request(kind, dpo, TODAY, person_id=subject).id)
                    for kind in ("erasure", "access")}  # the preview and the export read a person's records
        api.settle()
        for route, path in api_routes(api.client.app).values():
            if "GET" in route.methods:
                for role in ROLES:
                    api.client.get(fill(path, c, requests), params={"programme_id": str(c.programme_id), "on": TODAY.isoformat(),
                                           "period": f"{TODAY.year}-Q{(TODAY.month - 1) // 3 + 1}"},
                                   headers=api.headers(c.people[role]))
        # `cases_waiting` is read by the extension grant, a command (see the test above)
        assert sorted(set(queries) - read - {"cases_waiting"}) == []
        assert sorted(set(from_the_store) - read_from_the_store) == []


def spy(monkeypatch, target, names: list[str]) -> set[str]:
    """Wraps `names` on the instance `target`; the returned set fills with the names called."""
    called: set[str] = set()
    for name in names:
        original = getattr(target, name)

        def wrapper(*args, _name=name, _original=original, **kwargs):
            called.add(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(target, name, wrapper)
    return called


def fill(path: str, c, ids: dict[str, str]) -> str:
    """`ids`: the erasure and the access request a path names, and the hold."""
    request_id = ids["erasure" if path.startswith("/retention/erasure-requests/") else "access"]
    return path.format(case_id=c.case_id, partnership_id=c.partnership_id, mentor_id=c.mentor_id,
                       programme_id=c.programme_id, name="index.html", request_id=request_id,
                       hold_id=ids.get("hold"))


MENTOR = "00000000-0000-4000-8000-000000000001"
UNKNOWN = {"erasure": "00000000-0000-4000-8000-0000000000e1", "access": "00000000-0000-4000-8000-0000000000a1",
           "hold": "00000000-0000-4000-8000-0000000000b1"}
DETAILS = {"name": "Pat Example", "email": "pat@example.org"}
BODIES = {
    "/programmes": {"name": "Reachable"},
    "/programmes/{programme_id}/reconfigure": {"name": "Reachable"},
    "/mentors": {"programme_id": MENTOR, "person_id": "someone", "details": DETAILS},
    "/mentors/{mentor_id}/training": {"completed_on": "2026-01-01"},
    "/mentors/{mentor_id}/join-pool": {"capacity": 2, "profile": {}},
    "/mentors/{mentor_id}/capacity": {"capacity": 2},
    "/cases": {"programme_id": MENTOR, "mentee_id": "someone", "details": DETAILS},
    "/cases/{case_id}/matching-request": {"preferences": [MENTOR]},
    "/cases/{case_id}/exploratory-conversations": {"mentor_id": MENTOR, "held_on": "2026-01-01"},
    "/cases/{case_id}/match-proposal": {"mentor_id": MENTOR},
    "/cases/{case_id}/discovery-call": {"held_on": "2026-01-01"},
    "/partnerships/{partnership_id}/signatures": {"party": "mentee"},
    "/partnerships/{partnership_id}/sessions": {"held_on": "2026-01-01", "minutes": 30},
    "/partnerships/{partnership_id}/review": {"outcome": "continue"},
    "/partnerships/{partnership_id}/extension-request": {"months": 1},
    "/partnerships/{partnership_id}/feedback": {"rating": 3},
    "/retention/erasure-requests": {"identity": "someone", "received_on": "2026-01-01"},
    "/retention/subject-access-requests": {"person_id": "p-someone", "received_on": "2026-01-01"},
    "/retention/erasure-requests/{request_id}/refuse": {"lawful_basis": "legal_claims"},
    "/retention/legal-holds": {"target": "case", "target_id": MENTOR, "reason": "Claim 2026/17"},
    "/retention/statistics-floor": {"floor": 5},
}
