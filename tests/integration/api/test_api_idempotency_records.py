"""What an Idempotency-Key leaves behind: an HMAC under the server key (never a plain hash of
the request), for a limited time, and nothing once its sender is erased."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from api_support import cast
from domain import Role
from lifecycle import TODAY, unique
from retention.keystore import subkey

KEY = "Idempotency-Key"


def rows(api, key: str) -> list[dict]:
    return api.trellis.idempotency.store.query("SELECT * FROM trellis_idempotency WHERE key = ?", (key,))


def request_parts(path: str, body: bytes) -> list[bytes]:
    return [b"POST\0", path.encode() + b"\0", b"\0", body]


class TestTheFingerprint:
    def test_is_an_hmac_under_the_server_key_not_a_plain_hash(self, api):
        c = cast(api.trellis)
        key, path = unique("key"), f"/partnerships/{c.partnership_id}/sessions"
        body = b'{"held_on":"' + TODAY.isoformat().encode() + b'","minutes":30,"notes":"private words"}'
        answer = api.client.post(path, content=body, headers=api.headers(c.people[Role.MENTEE], **{
            KEY: key, "Content-Type": "application/json"}))
        assert answer.status_code == 201, answer.text
        (row,) = rows(api, key)
        plain = hashlib.sha256(b"".join(request_parts(path, body))).hexdigest()
        keyed = hmac.new(subkey(api.trellis.server_key, "fingerprint"), b"".join(request_parts(path, body)),
                         hashlib.sha256).hexdigest()
        assert row["fingerprint"] != plain
        assert row["fingerprint"] == keyed
        assert row["person_id"] == c.people[Role.MENTEE].id and "private words" not in row["fingerprint"]


class TestExpiry:
    def test_a_key_is_forgotten_after_its_period_and_then_runs_again(self, api, clock):
        c = cast(api.trellis)
        key, path = unique("key"), f"/partnerships/{c.partnership_id}/sessions"
        body = {"held_on": TODAY.isoformat(), "minutes": 40}
        first = api.post(path, c.people[Role.MENTEE], body, **{KEY: key})
        assert first.status_code == 201
        clock.set(clock() + timedelta(hours=23))
        replay = api.post(path, c.people[Role.MENTEE], body, **{KEY: key})
        assert replay.headers.get("idempotent-replayed") == "true" and replay.json() == first.json()
        clock.set(clock() + timedelta(hours=2))  # past the default 24 hours
        again = api.post(path, c.people[Role.MENTEE], body, **{KEY: key})
        assert again.status_code == 201 and "idempotent-replayed" not in again.headers
        assert again.json()["position"] > first.json()["position"]


class TestErasure:
    def test_the_senders_records_go_with_them(self, api):
        c = cast(api.trellis, stage="matched")
        mentee = c.people[Role.MENTEE]
        key = unique("key")
        answer = api.post(f"/partnerships/{c.partnership_id}/signatures", mentee, {"party": "mentee"}, **{KEY: key})
        assert answer.status_code == 200 and len(rows(api, key)) == 1
        api.settle()
        request = api.trellis.receive_request("erasure", c.people[Role.DPO], TODAY, person_id=mentee.id)
        api.settle()
        api.trellis.execute_erasure(request.id, c.people[Role.DPO])
        assert rows(api, key) == []
