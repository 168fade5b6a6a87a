"""Errors are RFC 9457 problems with the right status; a refused command writes nothing."""

from __future__ import annotations

import time
from datetime import timedelta
from uuid import uuid4

import jwt

from api.http.deps import get_read_models
from api_support import cast
from domain import Actor, Role
from lifecycle import TODAY

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}
MARKER = "PROBLEM-CANARY-7f3a"


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert set(body) == PROBLEM_KEYS
    assert body["status"] == status
    assert body["type"].startswith("/problems/")
    assert "Traceback" not in response.text
    return body


class TestStatuses:
    def test_malformed_json_is_400(self, api):
        c = cast(api.trellis)
        response = api.client.post(f"/cases/{c.case_id}/withdraw", content=b"{not json",
                                   headers=api.headers(c.people[Role.MENTEE], **{"content-type": "application/json"}))
        assert assert_problem(response, 400)["instance"] == f"/cases/{c.case_id}/withdraw"

    def test_no_token_is_401_with_a_bearer_challenge(self, api):
        response = api.client.get("/me")
        assert_problem(response, 401)
        assert response.headers["www-authenticate"] == "Bearer"

    def test_a_token_signed_with_another_secret_is_401(self, api):
        forged = jwt.encode({"sub": "admin", "roles": ["administrator"], "exp": time.time() + 60},
                            "not-the-secret-at-all-not-the-secret", algorithm="HS256")
        assert_problem(api.client.get("/me", headers={"Authorization": f"Bearer {forged}"}), 401)

    def test_an_expired_token_is_401(self, api):
        secret = api.settings.jwt_secret.get_secret_value()
        expired = jwt.encode({"sub": "admin", "roles": ["administrator"], "exp": time.time() - 5}, secret)
        assert_problem(api.client.get("/me", headers={"Authorization": f"Bearer {expired}"}), 401)

    def test_a_token_without_an_expiry_or_with_an_unknown_role_is_401(self, api):
        secret = api.settings.jwt_secret.get_secret_value()
        for claims in ({"sub": "a", "roles": ["administrator"]},
                       {"sub": "a", "roles": ["system"], "exp": time.time() + 60},
                       {"sub": "a", "roles": [], "exp": time.time() + 60}):
            token = jwt.encode(claims, secret)
            assert_problem(api.client.get("/me", headers={"Authorization": f"Bearer {token}"}), 401)

    def test_a_forbidden_route_is_403(self, api):
        c = cast(api.trellis)
        assert_problem(api.post(f"/cases/{c.case_id}/confirm-match", c.people[Role.AUDITOR]), 403)

    def test_an_unknown_case_is_404(self, api):
        admin = Actor("admin-problems", Role.ADMINISTRATOR)
        assert_problem(api.post(f"/cases/{uuid4()}/confirm-match", admin), 404)
        assert_problem(api.get("/no/such/route", admin), 404)

    def test_a_command_the_state_forbids_is_409(self, api):
        c = cast(api.trellis, stage="eoi")
        body = assert_problem(api.post(f"/cases/{c.case_id}/confirm-match", c.people[Role.ADMINISTRATOR]), 409)
        assert body["type"] == "/problems/not-allowed"

    def test_invalid_input_is_422_from_the_domain_and_from_validation(self, api):
        c = cast(api.trellis, stage="proposed")
        future = (TODAY + timedelta(days=3)).isoformat()
        admin = c.people[Role.ADMINISTRATOR]
        assert_problem(api.post(f"/cases/{c.case_id}/discovery-call", admin, {"held_on": future}), 422)
        assert_problem(api.post(f"/cases/{c.case_id}/discovery-call", admin, {"held_on": "soon"}), 422)

    def test_validation_problems_never_quote_the_input(self, api):
        c = cast(api.trellis)
        too_long = MARKER + "x" * 20001
        body = {"held_on": TODAY.isoformat(), "minutes": 30, "notes": too_long, "actions": ""}
        response = api.post(f"/partnerships/{c.partnership_id}/sessions", c.people[Role.MENTEE], body)
        assert_problem(response, 422)
        assert MARKER not in response.text

    def test_an_unexpected_error_is_a_500_problem_without_its_message(self, api):
        def broken():
            raise RuntimeError(MARKER)

        api.client.app.dependency_overrides[get_read_models] = broken
        try:
            response = api.get("/line-manager/reports", Actor("lm-x", Role.LINE_MANAGER))
        finally:
            api.client.app.dependency_overrides.clear()
        assert_problem(response, 500)
        assert MARKER not in response.text


class TestARefusedCommandWritesNothing:
    def test_forbidden_conflicting_and_invalid_commands_leave_the_log_as_it_was(self, api):
        c = cast(api.trellis, stage="proposed")
        future = (TODAY + timedelta(days=3)).isoformat()
        before = api.head()
        attempts = [
            (f"/cases/{c.case_id}/match-proposal", c.people[Role.MENTEE], {"mentor_id": str(c.mentor_id)}, 403),
            (f"/cases/{c.case_id}/approve", c.people[Role.LINE_MANAGER], {}, 409),
            (f"/cases/{c.case_id}/discovery-call", c.people[Role.ADMINISTRATOR], {"held_on": future}, 422),
            (f"/cases/{c.case_id}/discovery-call", c.people[Role.ADMINISTRATOR], {"held_on": 7}, 422),
        ]
        for path, actor, body, status in attempts:
            assert_problem(api.post(path, actor, body), status)
        assert api.head() == before
