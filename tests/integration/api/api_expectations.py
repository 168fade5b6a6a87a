"""Who may call each route, as the issue states it: written out in full for every route,
independently of the policy table (no names or groupings shared with it), so that the
matrix test checks the table instead of repeating it.

Notation: "role" = on any object; "role:own" = only on their own (a line manager's report,
the mentee's own case, the mentor proposed or matched to it, the pair of a partnership, the
mentor themselves); "role:self" = only with a body that names the caller as its person;
"public" = no token needed. A role not named is refused.
"""

from __future__ import annotations

SPEC = {  # test_api_canaries.py reads its GET routes from here
    "GET /health": "public",
    "GET /": "public",
    "GET /dashboard": "public",
    "GET /dashboard/": "public",
    "GET /dashboard/{name}": "public",
    "GET /dev/demo-sign-in": "public",
    "GET /ready": "public",
    "GET /metrics": "public",  # no person's token needed; the metrics token, when one is set
    "GET /me": "administrator line_manager mentor mentee auditor dpo",
    "GET /me/export": "administrator line_manager mentor mentee auditor dpo",
    "GET /me/export.html": "administrator line_manager mentor mentee auditor dpo",
    "GET /programmes": "administrator line_manager mentor mentee auditor dpo",
    "GET /programmes/{programme_id}": "administrator line_manager mentor mentee auditor dpo",
    "POST /programmes": "administrator",
    "POST /programmes/{programme_id}/reconfigure": "administrator",
    "GET /programmes/{programme_id}/pipeline": "administrator auditor",
    "GET /programmes/{programme_id}/timeline": "administrator auditor",
    "GET /mentors": "administrator auditor mentor mentee",
    "GET /mentors/capacity": "administrator auditor",
    "GET /mentors/{mentor_id}": "administrator auditor mentor:own",
    "GET /mentors/{mentor_id}/timeline": "administrator auditor",
    "POST /mentors": "administrator mentor:self",
    "POST /mentors/{mentor_id}/training": "administrator",
    "POST /mentors/{mentor_id}/join-pool": "administrator mentor:own",
    "POST /mentors/{mentor_id}/capacity": "administrator mentor:own",
    "POST /mentors/{mentor_id}/pause": "administrator mentor:own",
    "POST /mentors/{mentor_id}/resume": "administrator mentor:own",
    "POST /mentors/{mentor_id}/leave": "administrator mentor:own",
    "POST /mentors/{mentor_id}/special-category-consent/withdraw": "mentor:own",
    "GET /cases": "administrator auditor",
    "GET /cases/{case_id}": "administrator auditor line_manager:own mentee:own mentor:own",
    "GET /cases/{case_id}/timeline": "administrator auditor",
    "POST /cases": "administrator mentee:self",
    "POST /cases/{case_id}/approve": "line_manager:own",
    "POST /cases/{case_id}/decline": "line_manager:own",
    "POST /cases/{case_id}/matching-request": "administrator mentee:own",
    "POST /cases/{case_id}/exploratory-conversations": "administrator mentee:own",
    "POST /cases/{case_id}/match-proposal": "administrator",
    "POST /cases/{case_id}/discovery-call": "administrator mentee:own mentor:own",
    "POST /cases/{case_id}/confirm-match": "administrator",
    "POST /cases/{case_id}/rematch": "administrator mentee:own mentor:own",
    "POST /cases/{case_id}/withdraw": "administrator mentee:own",
    "POST /cases/{case_id}/special-category-consent/withdraw": "mentee:own",
    "GET /partnerships": "administrator auditor",
    "GET /partnerships/mine": "mentee mentor",
    "GET /partnerships/{partnership_id}": "administrator auditor mentee:own mentor:own",
    "GET /partnerships/{partnership_id}/timeline": "administrator auditor",
    "GET /partnerships/{partnership_id}/sessions": "mentee:own mentor:own",
    "POST /partnerships/{partnership_id}/signatures": "administrator mentee:own mentor:own",
    "POST /partnerships/{partnership_id}/sessions": "mentee:own mentor:own",
    "POST /partnerships/{partnership_id}/review": "administrator mentee:own mentor:own",
    "POST /partnerships/{partnership_id}/extension-request": "administrator mentee:own mentor:own",
    "POST /partnerships/{partnership_id}/extension-grant": "administrator",
    "POST /partnerships/{partnership_id}/extension-decline": "administrator",
    "POST /partnerships/{partnership_id}/end": "administrator mentee:own mentor:own",
    "POST /partnerships/{partnership_id}/feedback-request": "administrator",
    "POST /partnerships/{partnership_id}/feedback": "mentee:own mentor:own",
    "GET /line-manager/reports": "line_manager",
    "GET /statistics": "administrator auditor",
    "GET /audit/events": "auditor",
    "GET /audit/cases/{case_id}/as-of": "auditor",
    "GET /audit/partnerships/{partnership_id}/as-of": "auditor",
    "GET /audit/mentors/{mentor_id}/as-of": "auditor",
    "GET /audit/programmes/{programme_id}/as-of": "auditor",
    "GET /audit/programmes/{programme_id}/board/as-of": "auditor",
    "GET /audit/access-log": "auditor dpo",
    "POST /audit/verification": "auditor",
    "GET /audit/verification": "auditor",
    "GET /audit/checkpoints": "auditor",
    "GET /audit/history": "auditor",
    "GET /audit/history/export": "auditor",
    "GET /retention/erasure-requests": "dpo",
    "POST /retention/erasure-requests": "dpo",
    "GET /retention/subject-access-requests": "dpo",
    "POST /retention/subject-access-requests": "dpo",
    "GET /retention/legal-holds": "dpo",
    "POST /retention/legal-holds": "dpo",
    "POST /retention/legal-holds/{hold_id}/lift": "dpo",
    "GET /retention/schedule": "dpo",
    "POST /retention/schedule/run": "dpo",
    "GET /retention/consents": "dpo",
    "POST /retention/statistics-floor": "dpo",
}
# The routes on one of the DPO's requests. Kept apart only because test_api_canaries.py walks
# SPEC's GET routes with ids of a programme, mentor, case and partnership, and has no request
# to name; the matrix checks them like every other route (`expectation_table`).
SPEC_ON_REQUESTS = {
    "GET /retention/erasure-requests/{request_id}/preview": "dpo",
    "POST /retention/erasure-requests/{request_id}/execute": "dpo",
    "POST /retention/erasure-requests/{request_id}/refuse": "dpo",
    "GET /retention/subject-access-requests/{request_id}/export": "dpo",
    "GET /retention/subject-access-requests/{request_id}/export.html": "dpo",
    "POST /retention/subject-access-requests/{request_id}/complete": "dpo",
}

ALL_ROLES = ("administrator", "line_manager", "mentor", "mentee", "auditor", "dpo")


def expectation_table() -> dict[str, dict[str, str]]:
    """route → {role: "any" | "own" | "self" | "public"}; a role left out is refused."""
    table = {}
    for key, spec in (SPEC | SPEC_ON_REQUESTS).items():
        if spec == "public":
            table[key] = dict.fromkeys(ALL_ROLES, "public")
            continue
        grants = {}
        for word in spec.split():
            role, _, scope = word.partition(":")
            assert role in ALL_ROLES and scope in ("", "own", "self"), f"{key}: {word!r}"
            grants[role] = scope or "any"
        table[key] = grants
    return table
