"""The authorisation matrix: every route of the app × every role × own object and someone else's.

The expectations (api_expectations.py) are the issue's rules written out independently of
the policy table; the route list comes from the app itself, so a new route without a rule
(or without an expectation and a success status here) fails. A call the rules allow must
succeed with its route's own status, so every allowed command gets a fresh object at a
stage where the command is valid (api_cast.py); a refused call must be exactly 403.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import APIRouter

from api.http.app import create_app
from api.http.policy import route_keys, unruled_routes
from api.http.rules import POLICY, Scope
from api.settings import Settings
from api_cast import STAGE_FOR, Scene, Stager, body_for
from api_expectations import expectation_table
from api_support import ROLES
from domain import Role
from lifecycle import TODAY, identity_of, unique

EXPECTED = expectation_table()
ACCESS_LOG = "GET /audit/access-log"
VERIFY_THE_HISTORY = "POST /audit/verification"
ME = "own"
THEIRS = "someone else's"

# Each command's status when it succeeds (the routers' `status_code`).
SUCCESS = {
    "POST /programmes": 201,
    "POST /programmes/{programme_id}/reconfigure": 200,
    "POST /mentors": 201,
    "POST /mentors/{mentor_id}/training": 200,
    "POST /mentors/{mentor_id}/join-pool": 200,
    "POST /mentors/{mentor_id}/capacity": 200,
    "POST /mentors/{mentor_id}/pause": 200,
    "POST /mentors/{mentor_id}/resume": 200,
    "POST /mentors/{mentor_id}/leave": 200,
    "POST /cases": 201,
    "POST /cases/{case_id}/approve": 200,
    "POST /cases/{case_id}/decline": 200,
    "POST /cases/{case_id}/matching-request": 200,
    "POST /cases/{case_id}/exploratory-conversations": 200,
    "POST /cases/{case_id}/match-proposal": 200,
    "POST /cases/{case_id}/discovery-call": 200,
    "POST /cases/{case_id}/confirm-match": 201,
    "POST /cases/{case_id}/rematch": 200,
    "POST /cases/{case_id}/withdraw": 200,
    "POST /partnerships/{partnership_id}/signatures": 200,
    "POST /partnerships/{partnership_id}/sessions": 201,
    "POST /partnerships/{partnership_id}/review": 200,
    "POST /partnerships/{partnership_id}/extension-request": 200,
    "POST /partnerships/{partnership_id}/extension-grant": 200,
    "POST /partnerships/{partnership_id}/extension-decline": 200,
    "POST /partnerships/{partnership_id}/end": 200,
    "POST /partnerships/{partnership_id}/feedback-request": 200,
    "POST /partnerships/{partnership_id}/feedback": 201,
    "POST /cases/{case_id}/special-category-consent/withdraw": 200,
    "POST /mentors/{mentor_id}/special-category-consent/withdraw": 200,
    "POST /retention/erasure-requests": 201,
    "POST /retention/erasure-requests/{request_id}/execute": 200,
    "POST /retention/erasure-requests/{request_id}/refuse": 200,
    "POST /retention/subject-access-requests": 201,
    "POST /retention/subject-access-requests/{request_id}/complete": 200,
    "POST /retention/legal-holds": 201,
    "POST /retention/legal-holds/{hold_id}/lift": 200,
    "POST /retention/schedule/run": 200,
    "POST /retention/statistics-floor": 200,
    "POST /audit/verification": 201,
}
# Every GET answers 200 when allowed, but the root, which redirects to the dashboard.
READ_STATUS_OTHER_THAN_200 = {"GET /": 307}

GETS = sorted(k for k in EXPECTED if k.startswith("GET "))
POSTS = sorted(k for k in EXPECTED if k.startswith("POST "))


@pytest.fixture(scope="module")
def app_routes() -> list[str]:
    return route_keys(create_app(Settings(environment="test")))


class TestEveryRouteHasARule:
    def test_the_app_has_no_route_without_a_rule(self):
        assert unruled_routes(create_app(Settings(environment="test"))) == []

    def test_every_route_has_an_expectation_here(self, app_routes):
        assert set(app_routes) == set(EXPECTED)

    def test_every_command_has_a_success_status_and_a_stage_here(self, app_routes):
        commands = {k for k in app_routes if k.startswith("POST ")}
        assert commands == set(SUCCESS) == set(STAGE_FOR)

    def test_an_app_with_an_unruled_route_refuses_to_start(self, monkeypatch):
        from api.http import app as app_module

        extra = APIRouter()
        extra.add_api_route("/no-rule-for-me", lambda: {}, methods=["GET"])

        class Extra:
            router = extra

        monkeypatch.setattr(app_module, "ROUTERS", (*app_module.ROUTERS, Extra))
        with pytest.raises(RuntimeError, match="GET /no-rule-for-me"):
            create_app(Settings(environment="test"))


def names_an_object(key: str) -> bool:
    return any(f"{{{name}}}" in key for name in ("case_id", "partnership_id", "mentor_id"))


def path_of(key: str) -> str:
    return key.split(" ", 1)[1]


def grants_everyone(key: str) -> bool:
    """A GET every signed-in role may read, on anything."""
    rule = POLICY[key]
    return key.startswith("GET ") and {role: rule.grants.get(role) for role in ROLES} == dict.fromkeys(ROLES, Scope.ANY)


class TestTheRulesHoldTheIssuesInvariants:
    """Read off the app's own policy table: what no rule may ever grant."""

    @pytest.mark.parametrize("key", sorted(POLICY))
    def test_auditors_only_read(self, key):
        """Running a verification of the history reads it and records only that it was run."""
        if Role.AUDITOR in POLICY[key].grants:
            assert key.startswith("GET ") or key == VERIFY_THE_HISTORY

    def test_verifying_the_history_is_the_auditors_alone(self):
        assert dict(POLICY[VERIFY_THE_HISTORY].grants) == {Role.AUDITOR: Scope.ANY}
        assert not POLICY[VERIFY_THE_HISTORY].public

    @pytest.mark.parametrize("key", sorted(POLICY))
    def test_session_content_is_the_pairs_alone(self, key):
        if "/sessions" in key:
            assert not POLICY[key].public
            assert dict(POLICY[key].grants) == {Role.MENTEE: Scope.OWN, Role.MENTOR: Scope.OWN}

    @pytest.mark.parametrize("key", sorted(POLICY))
    def test_line_managers_act_only_on_their_own_reports(self, key):
        scope = POLICY[key].grants.get(Role.LINE_MANAGER)
        if scope is None:
            return
        if key.startswith("POST ") or names_an_object(key):
            assert scope is Scope.OWN
        # nothing about partnerships (sessions, reviews) or mentors beyond what the case shows
        assert "/partnerships" not in key and "/mentors" not in key

    @pytest.mark.parametrize("key", sorted(POLICY))
    def test_the_dpo_has_only_the_retention_routes_the_access_log_and_what_everyone_reads(self, key):
        if Role.DPO in POLICY[key].grants:
            assert path_of(key).startswith("/retention/") or key == ACCESS_LOG or grants_everyone(key)

    @pytest.mark.parametrize("key", sorted(POLICY))
    def test_retention_is_the_dpos_and_audit_the_auditors_alone(self, key):
        if path_of(key).startswith("/retention/"):
            assert not POLICY[key].public
            assert dict(POLICY[key].grants) == {Role.DPO: Scope.ANY}
        if key.startswith("GET /audit/") and key != ACCESS_LOG:
            assert dict(POLICY[key].grants) == {Role.AUDITOR: Scope.ANY}

    def test_who_read_what_is_read_by_the_auditor_and_the_dpo_alone(self):
        """Design rule 7: shown to auditors; the DPO answers for it (the person sees theirs in their export)."""
        assert not POLICY[ACCESS_LOG].public
        assert dict(POLICY[ACCESS_LOG].grants) == {Role.AUDITOR: Scope.ANY, Role.DPO: Scope.ANY}

    def test_the_dpo_has_commands_of_its_own(self):
        """So the two rules above are not kept by the DPO having nothing to do."""
        assert {k for k, rule in POLICY.items() if k.startswith("POST ") and Role.DPO in rule.grants} >= {
            "POST /retention/erasure-requests/{request_id}/execute", "POST /retention/legal-holds",
        }

    def test_special_category_consent_is_withdrawn_by_its_subject_alone(self):
        """Never on someone's behalf: the mentee on their own case, the mentor on their own record.
        (Outside /retention/, where the DPO reads the consent ledger, only these two name consent.)"""
        subject_of = {"POST /cases/{case_id}/special-category-consent/withdraw": Role.MENTEE,
                      "POST /mentors/{mentor_id}/special-category-consent/withdraw": Role.MENTOR}
        assert {k for k in POLICY if "consent" in k and not path_of(k).startswith("/retention/")} == set(subject_of)
        for key, subject in subject_of.items():
            assert not POLICY[key].public
            assert dict(POLICY[key].grants) == {subject: Scope.OWN}, key

    @pytest.mark.parametrize("key", sorted(POLICY))
    def test_only_oversight_reaches_someone_elses_case_partnership_or_mentor(self, key):
        if names_an_object(key):
            for role, scope in POLICY[key].grants.items():
                if role not in (Role.ADMINISTRATOR, Role.AUDITOR):
                    assert scope is Scope.OWN, role

    @pytest.mark.parametrize("key", sorted(POLICY))
    def test_scopes_are_only_used_where_they_can_be_decided(self, key):
        rule = POLICY[key]
        for scope in rule.grants.values():
            if scope is Scope.OWN:
                assert names_an_object(key)
            if scope is Scope.SELF:
                assert key.startswith("POST ") and rule.subject_field

    @pytest.mark.parametrize("key", sorted(POLICY))
    def test_every_rule_is_public_or_grants_someone_and_never_the_system(self, key):
        rule = POLICY[key]
        assert bool(rule.public) != bool(rule.grants)
        assert set(rule.grants) <= set(ROLES)

    def test_only_operations_the_dashboard_and_the_demo_sign_in_are_public(self):
        """Operations: liveness, readiness, and metrics (whose own token the route checks)."""
        assert {k for k, rule in POLICY.items() if rule.public} == {
            "GET /health", "GET /ready", "GET /metrics", "GET /", "GET /dashboard", "GET /dashboard/",
            "GET /dashboard/{name}", "GET /dev/demo-sign-in",
        }

    def test_an_administrator_never_decides_for_a_line_manager(self):
        for key in ("POST /cases/{case_id}/approve", "POST /cases/{case_id}/decline"):
            assert Role.ADMINISTRATOR not in POLICY[key].grants


def fill(path: str, s: Scene) -> str:
    request_id = s.requests.get("erasure" if path.startswith("/retention/erasure-requests/") else "access")
    return path.format(
        case_id=s.case_id, partnership_id=s.partnership_id, mentor_id=s.mentor_id,
        programme_id=s.programme_id, name="index.html", request_id=request_id, hold_id=s.hold_id,
    )


def expected_allowed(key: str, role: Role, whose: str) -> bool:
    grant = EXPECTED[key].get(role.value)
    if grant is None:
        return False
    return grant in ("any", "public") or (grant in ("own", "self") and whose == ME)


def success_status(key: str) -> int:
    if key.startswith("GET "):
        return READ_STATUS_OTHER_THAN_200.get(key, 200)
    return SUCCESS[key]


def call(api, key: str, s: Scene, actor, body: dict[str, Any] | None = None):
    method, path = key.split(" ", 1)
    quarter = f"{TODAY.year}-Q{(TODAY.month - 1) // 3 + 1}"
    params = {"programme_id": str(s.programme_id), "on": TODAY.isoformat(), "period": quarter}
    if method == "GET":
        return api.client.get(fill(path, s), params=params, headers=api.headers(actor), follow_redirects=False)
    return api.client.post(fill(path, s), params=params, json=body, headers=api.headers(actor))


def reads_records(key: str) -> bool:
    """The DPO's commands find a person's records in the read models, which must have caught up
    with the staging (the services would wait for them too, up to 10 s)."""
    return path_of(key).startswith("/retention/")


def check(response, expected: int, key: str, role: Role, whose: str) -> None:
    where = f"{key} as {role.value} on {whose}: expected {expected}, got {response.status_code} {response.text[:300]}"
    assert response.status_code == expected, where


class TestTheMatrix:
    def test_reads(self, api):
        stager = Stager(api.trellis)
        mine, theirs = (stager.with_dpo_records(stager.scene("active")) for _ in range(2))
        api.settle()
        for key in GETS:
            for role in ROLES:
                actor = mine.people[role]
                for whose, scene in ((ME, mine), (THEIRS, theirs)):
                    expected = success_status(key) if expected_allowed(key, role, whose) else 403
                    check(call(api, key, scene, actor), expected, key, role, whose)

    @pytest.mark.parametrize("key", POSTS)
    def test_commands(self, api, key):
        """Each allowed call gets a fresh object at the command's stage and must succeed; the
        refused calls share one (a refusal changes nothing) and must be exactly 403. On
        someone else's, the caller is a stranger with a partnership of their own, or (for a
        body naming a person) the body names someone new."""
        stage = STAGE_FOR[key]
        stager = Stager(api.trellis)
        stranger = stager.scene("active")
        refused = stager.scene(stage)
        for role in ROLES:
            for whose in (ME, THEIRS):
                allowed = expected_allowed(key, role, whose)
                scene = stager.scene(stage) if allowed else refused
                if reads_records(key):
                    api.settle()
                actor = scene.people[role] if whose == ME else stranger.people[role]
                subject = identity_of(actor) if whose == ME else unique(role.value)
                response = call(api, key, scene, actor, body_for(key, scene, role, subject))
                check(response, success_status(key) if allowed else 403, key, role, whose)

    def test_no_token_is_refused_everywhere_but_public_routes(self, api):
        stager = Stager(api.trellis)
        s = stager.with_dpo_records(stager.scene("active"))
        api.settle()
        for key in GETS + POSTS:
            response = call(api, key, s, None, body_for(key, s, Role.MENTEE, identity_of(s.people[Role.MENTEE])))
            if "public" in EXPECTED[key].values():
                assert response.status_code == success_status(key), key
            else:
                assert response.status_code == 401, key
                assert response.headers["www-authenticate"] == "Bearer", key
