"""The auditor's check over HTTP, on SQLite and PostgreSQL: a verification recorded with who ran it,
the last one readable; a broken history is a verdict, not an error; a checkpoint that is
malformed, signed by another key or altered: 422 problem+json and nothing recorded."""

from __future__ import annotations

import base64
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.http.auth import issue_token
from api.persistence.checkpoints import SigningKey
from chain_support import EVENTS, POSITION, connect
from domain import Role
from lifecycle import World, identity_of, person


@pytest.fixture
def client(trellis, store):
    world = World.create(trellis)
    world.case("active", world.mentor()[0])
    with TestClient(create_app(store, trellis=trellis), raise_server_exceptions=False) as client:
        yield client


def as_role(trellis, store, role: Role) -> dict[str, str]:
    actor = person(trellis, role)
    return {"Authorization": f"Bearer {issue_token(store, identity_of(actor), [role.value])}",
            "Idempotency-Key": uuid4().hex}


def verifications(store) -> int:
    with connect(store) as connection:
        return connection.execute("SELECT count(*) FROM trellis_chain_verifications").fetchone()[0]


class TestTheAuditorVerifies:
    def test_the_verdict_is_recorded_and_is_the_last_one(self, client, trellis, store):
        auditor = as_role(trellis, store, Role.AUDITOR)
        assert client.get("/audit/verification", headers=auditor).json() is None
        signed = trellis.take_checkpoint()
        ran = client.post("/audit/verification", headers=auditor, json={"checkpoints": [signed.document()]})
        assert ran.status_code == 201, ran.text
        verdict = ran.json()
        assert (verdict["ok"], verdict["head"], verdict["checkpoints"], verdict["position"]) == (
            True, signed.position, 1, None)
        assert verdict["role"] == "auditor" and verdict["verified_by"] != ""
        assert client.get("/audit/verification", headers=auditor).json() == verdict
        assert client.get("/audit/checkpoints", headers=auditor).json()[0]["signature"] == signed.signature

    def test_a_checkpoint_without_its_signed_text_is_held_all_the_same(self, client, trellis, store):
        document = trellis.take_checkpoint().document()
        del document["signed"]  # optional: the text follows from the fields
        ran = client.post("/audit/verification", headers=as_role(trellis, store, Role.AUDITOR),
                          json={"checkpoints": [document]})
        assert ran.status_code == 201, ran.text
        assert (ran.json()["ok"], ran.json()["checkpoints"]) == (True, 1)

    def test_a_broken_history_is_a_verdict_naming_the_position(self, client, trellis, store):
        kind = store.persistence
        with connect(store) as connection:
            connection.execute(f"DELETE FROM {EVENTS[kind]} WHERE {POSITION[kind]} = 3")
        ran = client.post("/audit/verification", headers=as_role(trellis, store, Role.AUDITOR))
        assert ran.status_code == 201, ran.text
        assert (ran.json()["ok"], ran.json()["problem"], ran.json()["position"]) == (False, "missing", 3)

    @pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.DPO, Role.MENTEE])
    def test_no_one_else_may(self, client, trellis, store, role):
        assert client.post("/audit/verification", headers=as_role(trellis, store, role)).status_code == 403
        assert verifications(store) == 0


class TestABadCheckpoint:
    @pytest.mark.parametrize("spoil", ["another key", "altered", "malformed"])
    def test_is_refused_with_a_problem_and_nothing_recorded(self, client, trellis, store, spoil):
        document = trellis.take_checkpoint().document()
        if spoil == "another key":
            other = SigningKey(base64.b64decode(base64.b64encode(b"another trellis's audit key!!!!!")))
            document = other.sign(document["position"], bytes.fromhex(document["link"]), document["taken_at"]).document()
        elif spoil == "altered":
            document = {**document, "position": document["position"] - 1}
            del document["signed"]
        else:
            document = {**document, "link": "not hex"}
        answer = client.post("/audit/verification", headers=as_role(trellis, store, Role.AUDITOR),
                             json={"checkpoints": [document]})
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert verifications(store) == 0
