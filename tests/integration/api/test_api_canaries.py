"""Canaries: confidential and special-category markers written through the API never come
back to anyone but the pair (confidential) or anyone but the person they are about (special
category, in their own subject-access copy), on any GET route, and never reach a log line.
"""

from __future__ import annotations


from uuid import uuid4

from api_expectations import SPEC
from api_support import ROLES
from domain import Actor, Role
from lifecycle import TODAY, unique

CONFIDENTIAL = f"CONFIDENTIAL-CANARY-{uuid4().hex[:8]}"
SPECIAL = f"SPECIAL-CANARY-{uuid4().hex[:8]}"
FEEDBACK = f"FEEDBACK-CANARY-{uuid4().hex[:8]}"
# In their own subject-access copy: the pair their partnership's content and their own
# special-category answers; the mentor the feedback they gave; no one else any of it.
OWN_COPY = {Role.MENTOR: {CONFIDENTIAL, SPECIAL, FEEDBACK}, Role.MENTEE: {CONFIDENTIAL, SPECIAL}}
GETS = sorted(k.split(" ", 1)[1] for k in SPEC if k.startswith("GET "))


def ok(response, what: str) -> dict:
    assert response.status_code in (200, 201), f"{what}: {response.status_code} {response.text}"
    return response.json()


def story(api) -> dict:
    """A whole partnership through the API, with markers in everything confidential or special."""
    people = {
        Role.ADMINISTRATOR: Actor(unique("admin"), Role.ADMINISTRATOR),
        Role.LINE_MANAGER: Actor(unique("lm"), Role.LINE_MANAGER),
        Role.MENTOR: Actor(unique("mentor"), Role.MENTOR),
        Role.MENTEE: Actor(unique("mentee"), Role.MENTEE),
        Role.AUDITOR: Actor(unique("auditor"), Role.AUDITOR),
        Role.DPO: Actor(unique("dpo"), Role.DPO),
    }
    admin, lm, mentor, mentee = (people[r] for r in (Role.ADMINISTRATOR, Role.LINE_MANAGER, Role.MENTOR, Role.MENTEE))
    today = TODAY.isoformat()
    programme = ok(api.post("/programmes", admin, {"name": unique("Canary programme")}), "programme")["id"]
    mentor_id = ok(api.post("/mentors", mentor, {"programme_id": programme, "person_id": mentor.id,
                                                  "details": {"name": "Mo Mentor", "email": "mo@example.org"}}), "mentor")["id"]
    ok(api.post(f"/mentors/{mentor_id}/training", admin, {"completed_on": today}), "training")
    ok(api.post(f"/mentors/{mentor_id}/join-pool", mentor, {
        "capacity": 2, "profile": {"headline": "Head of maths"},
        "special": {"ethnicity": SPECIAL, "lived_experience": SPECIAL}, "consent": True}), "pool")
    case_id = ok(api.post("/cases", mentee, {
        "programme_id": programme, "mentee_id": mentee.id, "line_manager_id": lm.id, "statement": "Keen",
        "details": {"name": "Mae Mentee", "email": "mae@example.org"}}), "eoi")["id"]
    ok(api.post(f"/cases/{case_id}/approve", lm, {"priority": True}), "approve")
    ok(api.post(f"/cases/{case_id}/matching-request", mentee, {
        "preferences": [mentor_id], "goals": "Grow", "special": {"disability": SPECIAL}, "consent": True}), "request")
    ok(api.post(f"/cases/{case_id}/match-proposal", admin, {"mentor_id": mentor_id, "reasons": "Fit"}), "propose")
    ok(api.post(f"/cases/{case_id}/discovery-call", mentor, {"held_on": today}), "call")
    partnership_id = ok(api.post(f"/cases/{case_id}/confirm-match", admin), "confirm")["id"]
    ok(api.post(f"/partnerships/{partnership_id}/signatures", mentee, {"party": "mentee"}), "sign")
    ok(api.post(f"/partnerships/{partnership_id}/signatures", mentor, {"party": "mentor"}), "sign")
    ok(api.post(f"/partnerships/{partnership_id}/sessions", mentee, {
        "held_on": today, "minutes": 60, "notes": CONFIDENTIAL, "actions": CONFIDENTIAL}), "session")
    ok(api.post(f"/partnerships/{partnership_id}/review", mentor, {"outcome": "continue", "notes": CONFIDENTIAL}),
       "review")
    ok(api.post(f"/partnerships/{partnership_id}/end", mentee, {"reason": "completed"}), "end")
    ok(api.post(f"/partnerships/{partnership_id}/feedback-request", admin), "feedback request")
    ok(api.post(f"/partnerships/{partnership_id}/feedback", mentor, {"rating": 5, "comments": FEEDBACK}), "feedback")
    api.settle()
    return {"people": people, "ids": {"programme_id": programme, "mentor_id": mentor_id, "case_id": case_id,
                                      "partnership_id": partnership_id, "name": "index.html"}}


class TestCanaries:
    def test_markers_reach_no_response_but_the_pairs_own_session_records(self, api):
        world = story(api)
        ids, people = world["ids"], world["people"]
        params = {"programme_id": ids["programme_id"], "on": TODAY.isoformat()}
        served = 0
        for path in GETS:
            for role in ROLES:
                response = api.client.get(path.format(**ids), params=params, headers=api.headers(people[role]))
                if path.startswith("/me/export"):  # a person's own copy holds their own answers
                    expected = OWN_COPY.get(role, set())
                elif path.endswith("/sessions") and role in (Role.MENTEE, Role.MENTOR):
                    expected = {CONFIDENTIAL}  # the pair reads their own records
                else:
                    expected = set()
                for marker in (CONFIDENTIAL, SPECIAL, FEEDBACK):
                    assert (marker in response.text) == (marker in expected), (path, role, marker)
                served += response.status_code == 200
        assert served > 40  # the walk really read things, not just refusals

    def test_markers_reach_no_log_line(self, api, captured_logs):
        story(api)
        logs = captured_logs.getvalue()
        assert "request_handled" in logs  # the capture works
        for marker in (CONFIDENTIAL, SPECIAL, FEEDBACK):
            assert marker not in logs
