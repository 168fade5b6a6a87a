"""Helpers for the data-protection officer's tests: a client with tokens for anyone, problem
checks, and a guard that a refused command wrote nothing to the event log.

The client is the API tests' own (tests/api_client.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any
from uuid import UUID

from api_client import Api
from domain import Actor, Role
from lifecycle import TODAY, identity_of, person

PROBLEM = "application/problem+json"


class DpoApi(Api):
    """The API client, its GET taking query parameters as keywords."""

    def get(self, path: str, actor: Actor | None, **params: Any) -> Any:
        return super().get(path, actor, params=params or None)

    # -- reads, once the read models have caught up -------------------------------------------
    def read(self, path: str, actor: Actor, **params: Any) -> Any:
        self.settle()
        return ok(self.get(path, actor, **params))


def ok(response: Any) -> Any:
    assert response.status_code in (200, 201), f"{response.status_code} {response.text}"
    return response.json()


def refused(response: Any, status: int) -> dict[str, Any]:
    """The response is a problem (RFC 9457) with this status and a detail that says why."""
    assert response.status_code == status, f"{response.status_code} {response.text}"
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["detail"]
    return body


@contextmanager
def nothing_written(api: Api) -> Iterator[None]:
    before = api.head()
    yield
    assert api.head() == before, "a refused command wrote to the event log"


def dpo(app: Any) -> Actor:
    return person(app, Role.DPO)


# -- the DPO's requests over HTTP ------------------------------------------------------------------
def erasure_request(api: Api, officer: Actor, subject: Actor, by: str = "person_id", received_on: date = TODAY) -> str:
    named = {"person_id": subject.id} if by == "person_id" else {"identity": identity_of(subject)}
    return ok(api.post("/retention/erasure-requests", officer,
                       named | {"received_on": received_on.isoformat()}))["id"]


def access_request(api: Api, officer: Actor, subject: Actor) -> str:
    return ok(api.post("/retention/subject-access-requests", officer,
                       {"person_id": subject.id, "received_on": TODAY.isoformat()}))["id"]


def listed(api: Api, officer: Actor, request_id: str, kind: str = "erasure") -> dict[str, Any]:
    path = {"erasure": "/retention/erasure-requests", "access": "/retention/subject-access-requests"}[kind]
    (entry,) = [r for r in api.read(path, officer) if r["request_id"] == request_id]
    return entry


def place_hold(api: Api, officer: Actor, target: str, target_id: Any, reason: str = "Claim ref 2026/117") -> str:
    return ok(api.post("/retention/legal-holds", officer,
                       {"target": target, "target_id": str(target_id), "reason": reason}))["id"]


def events_of(app: Any, aggregate_id: Any, name: str | None = None) -> list[Any]:
    return [e for e in app.events.get(UUID(str(aggregate_id))) if name is None or type(e).__name__ == name]
