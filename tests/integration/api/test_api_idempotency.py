"""POST commands with an Idempotency-Key: a retry returns the first result and records nothing."""

from __future__ import annotations


from fastapi.testclient import TestClient

from api.http.app import create_app
from api_support import cast
from lifecycle import TODAY, unique
from domain import Actor, Role

KEY = "Idempotency-Key"


class Keys(dict):
    """A fresh key per name and test: the PostgreSQL database outlives a test run."""

    def __missing__(self, name: str) -> str:
        self[name] = unique(name)
        return self[name]


def session(minutes: int = 50) -> dict:
    return {"held_on": TODAY.isoformat(), "minutes": minutes, "medium": "phone", "notes": "n", "actions": "a"}


class TestRetries:
    def test_a_retry_returns_the_first_result_and_records_nothing_new(self, api):
        keys = Keys()
        c = cast(api.trellis)
        mentee = c.people[Role.MENTEE]
        first = api.post(f"/partnerships/{c.partnership_id}/sessions", mentee, session(), **{KEY: keys["k-1"]})
        assert first.status_code == 201
        head = api.head()
        retry = api.post(f"/partnerships/{c.partnership_id}/sessions", mentee, session(), **{KEY: keys["k-1"]})
        assert (retry.status_code, retry.json()) == (201, first.json())
        assert retry.headers["idempotent-replayed"] == "true"
        assert api.head() == head
        assert len(api.get(f"/partnerships/{c.partnership_id}/sessions", mentee).json()) == 1

    def test_without_a_key_a_second_post_records_again(self, api):
        c = cast(api.trellis)
        mentee = c.people[Role.MENTEE]
        for _ in range(2):
            assert api.post(f"/partnerships/{c.partnership_id}/sessions", mentee, session()).status_code == 201
        assert len(api.get(f"/partnerships/{c.partnership_id}/sessions", mentee).json()) == 2

    def test_the_same_key_with_another_body_is_refused(self, api):
        keys = Keys()
        c = cast(api.trellis)
        mentee = c.people[Role.MENTEE]
        api.post(f"/partnerships/{c.partnership_id}/sessions", mentee, session(), **{KEY: keys["k-2"]})
        head = api.head()
        other = api.post(f"/partnerships/{c.partnership_id}/sessions", mentee, session(minutes=20), **{KEY: keys["k-2"]})
        assert other.status_code == 422
        assert other.headers["content-type"] == "application/problem+json"
        assert other.json()["type"] == "/problems/idempotency-key-reused"
        assert api.head() == head

    def test_keys_belong_to_their_sender(self, api):
        keys = Keys()
        c = cast(api.trellis)
        mentee, mentor = c.people[Role.MENTEE], c.people[Role.MENTOR]
        path = f"/partnerships/{c.partnership_id}/sessions"
        assert api.post(path, mentee, session(), **{KEY: keys["shared"]}).status_code == 201
        assert api.post(path, mentor, session(), **{KEY: keys["shared"]}).status_code == 201
        assert len(api.get(path, mentee).json()) == 2

    def test_a_refused_command_does_not_use_up_its_key(self, api):
        keys = Keys()
        c = cast(api.trellis, stage="proposed")
        admin = c.people[Role.ADMINISTRATOR]
        refused = api.post(f"/cases/{c.case_id}/confirm-match", admin, None, **{KEY: keys["k-4"]})
        assert refused.status_code == 409  # no discovery call yet
        api.post(f"/cases/{c.case_id}/discovery-call", admin, {"held_on": TODAY.isoformat()})
        accepted = api.post(f"/cases/{c.case_id}/confirm-match", admin, None, **{KEY: keys["k-4"]})
        assert accepted.status_code == 201
        assert "idempotent-replayed" not in accepted.headers

    def test_keys_survive_a_restart(self, api, settings):
        keys = Keys()
        c = cast(api.trellis)
        admin = Actor("admin-restart", Role.ADMINISTRATOR)
        path = f"/partnerships/{c.partnership_id}/extension-request"
        first = api.post(path, admin, {"months": 2}, **{KEY: keys["k-5"]})
        assert first.status_code == 200, first.text
        head = api.head()
        with TestClient(create_app(settings, trellis=api.trellis)) as again:
            retry = again.post(path, json={"months": 2}, headers=api.headers(admin, **{KEY: keys["k-5"]}))
        assert (retry.status_code, retry.json()) == (200, first.json())
        assert api.head() == head
