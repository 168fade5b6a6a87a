"""The authorisation matrix: every route of the app × every role × own object and someone else's.

The expectations below are the issue's rules written out independently of the policy
table; the route list comes from the app itself, so a new route without a rule (or
without an expectation here) fails.
"""

from __future__ import annotations


from typing import Any

import pytest
from fastapi import APIRouter

from api.http.app import create_app
from api.http.policy import route_keys, unruled_routes
from api.settings import Settings
from api_expectations import expectation_table
from domain import Role

from api_support import ROLES, cast
from lifecycle import TODAY

EXPECTED = expectation_table()
ME = "own"
THEIRS = "someone else's"


class TestEveryRouteHasARule:
    def test_the_app_has_no_route_without_a_rule(self, api):
        assert unruled_routes(api.client.app) == []

    def test_every_route_has_an_expectation_here(self, api):
        assert set(route_keys(api.client.app)) == set(EXPECTED)

    def test_an_app_with_an_unruled_route_refuses_to_start(self, monkeypatch):
        from api.http import app as app_module

        extra = APIRouter()
        extra.add_api_route("/no-rule-for-me", lambda: {}, methods=["GET"])

        class Extra:
            router = extra

        monkeypatch.setattr(app_module, "ROUTERS", (*app_module.ROUTERS, Extra))
        with pytest.raises(RuntimeError, match="GET /no-rule-for-me"):
            create_app(Settings(environment="test"))


class TestTheRulesHoldTheIssuesInvariants:
    """Read off the table: what no rule may ever grant."""

    @pytest.mark.parametrize("key", sorted(EXPECTED))
    def test_auditors_only_read(self, key):
        if "auditor" in EXPECTED[key]:
            assert key.startswith("GET ")

    @pytest.mark.parametrize("key", sorted(EXPECTED))
    def test_session_content_is_the_pairs_alone(self, key):
        if key.endswith("/sessions"):
            assert set(EXPECTED[key]) <= {"mentee", "mentor"}
            assert set(EXPECTED[key].values()) == {"own"}

    @pytest.mark.parametrize("key", sorted(EXPECTED))
    def test_line_managers_act_only_on_their_own_reports(self, key):
        if "line_manager" in EXPECTED[key] and "{case_id}" in key:
            assert EXPECTED[key]["line_manager"] == "own"


def fill(path: str, c) -> str:
    return path.format(
        case_id=c.case_id, partnership_id=c.partnership_id, mentor_id=c.mentor_id,
        programme_id=c.programme_id, name="index.html",
    )


def body_for(key: str, c, actor) -> dict[str, Any] | None:
    today = TODAY.isoformat()
    details = {"name": "Pat Example", "email": "pat@example.org"}
    bodies = {
        "POST /programmes": {"name": f"Programme {c.case_id}"},
        "POST /programmes/{programme_id}/reconfigure": {"name": f"Renamed {c.case_id}"},
        "POST /mentors": {"programme_id": str(c.programme_id), "person_id": actor.id, "details": details},
        "POST /mentors/{mentor_id}/training": {"completed_on": today},
        "POST /mentors/{mentor_id}/join-pool": {"capacity": 2, "profile": {"headline": "Head"}},
        "POST /mentors/{mentor_id}/capacity": {"capacity": 4},
        "POST /cases": {"programme_id": str(c.programme_id), "mentee_id": actor.id, "details": details,
                        "statement": "Keen", "line_manager_id": "lm-someone"},
        "POST /cases/{case_id}/approve": {"priority": True},
        "POST /cases/{case_id}/decline": {"reason": "Not now"},
        "POST /cases/{case_id}/matching-request": {"preferences": [str(c.mentor_id)], "goals": "Grow"},
        "POST /cases/{case_id}/exploratory-conversations": {"mentor_id": str(c.mentor_id), "held_on": today},
        "POST /cases/{case_id}/match-proposal": {"mentor_id": str(c.mentor_id), "reasons": "Fit"},
        "POST /cases/{case_id}/discovery-call": {"held_on": today},
        "POST /cases/{case_id}/rematch": {"reason": ""},
        "POST /cases/{case_id}/withdraw": {"reason": ""},
        "POST /partnerships/{partnership_id}/signatures": {"party": "mentee"},
        "POST /partnerships/{partnership_id}/sessions": {"held_on": today, "minutes": 45, "medium": "video",
                                                         "notes": "n", "actions": "a"},
        "POST /partnerships/{partnership_id}/review": {"outcome": "continue", "notes": "n"},
        "POST /partnerships/{partnership_id}/extension-request": {"months": 1},
        "POST /partnerships/{partnership_id}/end": {"reason": "completed"},
        "POST /partnerships/{partnership_id}/feedback": {"rating": 4, "comments": ""},
    }
    return bodies.get(key, {} if key.startswith("POST") else None)


def expected_allowed(key: str, role: Role, whose: str) -> bool:
    grant = EXPECTED[key].get(role.value)
    if grant is None:
        return False
    return grant in ("any", "public") or whose == ME


def call(api, key: str, c, actor, body_actor=None):
    method, path = key.split(" ", 1)
    params = {"programme_id": str(c.programme_id), "on": TODAY.isoformat()}
    if method == "GET":
        return api.client.get(fill(path, c), params=params, headers=api.headers(actor), follow_redirects=False)
    body = body_for(key, c, body_actor or actor)
    return api.client.post(fill(path, c), params=params, json=body, headers=api.headers(actor))


def check(response, allowed: bool, key: str, role: Role, whose: str) -> None:
    where = f"{key} as {role.value} on {whose} object: {response.status_code} {response.text[:200]}"
    assert response.status_code < 500, where
    if not allowed:
        assert response.status_code == 403, where
    elif key.startswith("GET "):
        assert response.status_code in (200, 307), where
    else:
        assert response.status_code not in (401, 403), where


GETS = sorted(k for k in EXPECTED if k.startswith("GET "))
POSTS = sorted(k for k in EXPECTED if k.startswith("POST "))


class TestTheMatrix:
    def test_reads(self, api):
        mine, theirs = cast(api.trellis), cast(api.trellis)
        api.settle()
        for key in GETS:
            for role in ROLES:
                actor = mine.people[role]
                check(call(api, key, mine, actor), expected_allowed(key, role, ME), key, role, ME)
                check(call(api, key, theirs, actor), expected_allowed(key, role, THEIRS), key, role, THEIRS)

    @pytest.mark.parametrize("key", POSTS)
    def test_commands(self, api, key):
        theirs = cast(api.trellis)
        for role in ROLES:
            mine = cast(api.trellis)  # fresh: an earlier command may have changed who owns what
            actor = mine.people[role]
            other_person = theirs.people[role]
            check(call(api, key, mine, actor), expected_allowed(key, role, ME), key, role, ME)
            check(call(api, key, theirs, actor, body_actor=other_person),
                  expected_allowed(key, role, THEIRS), key, role, THEIRS)

    def test_no_token_is_refused_everywhere_but_public_routes(self, api):
        c = cast(api.trellis)
        for key in GETS + POSTS:
            response = call(api, key, c, None, body_actor=c.people[Role.MENTEE])
            if "public" in EXPECTED[key].values():
                assert response.status_code in (200, 307), key
            else:
                assert response.status_code == 401, key
                assert response.headers["www-authenticate"] == "Bearer"
