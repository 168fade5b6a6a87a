"""Who may call each route, as the issue states it, written out independently of the
policy table so the matrix test checks the table instead of repeating it.

Notation: "role" = any object; "role:own" = only their own (a line manager's report, the
mentee's own case, the mentor proposed or matched, the pair of a partnership, the mentor
themselves; for POST /cases and POST /mentors, a body that names the caller);
"public" = no token needed.
"""

from __future__ import annotations

OVERSIGHT = "administrator auditor"
EVERYONE = "administrator line_manager mentor mentee auditor dpo"
PAIR = "mentee:own mentor:own"
PARTY_OR_ADMIN = "administrator mentee:own mentor:own"

SPEC = {
    "GET /health": "public",
    "GET /": "public",
    "GET /dashboard": "public",
    "GET /dashboard/": "public",
    "GET /dashboard/{name}": "public",
    "GET /dev/demo-sign-in": "public",
    "GET /me": EVERYONE,
    "GET /programmes": EVERYONE,
    "GET /programmes/{programme_id}": EVERYONE,
    "POST /programmes": "administrator",
    "POST /programmes/{programme_id}/reconfigure": "administrator",
    "GET /programmes/{programme_id}/pipeline": OVERSIGHT,
    "GET /mentors": "administrator auditor mentor mentee",
    "GET /mentors/capacity": OVERSIGHT,
    "GET /mentors/{mentor_id}": "administrator auditor mentor:own",
    "POST /mentors": "administrator mentor:own",
    "POST /mentors/{mentor_id}/training": "administrator",
    "POST /mentors/{mentor_id}/join-pool": "administrator mentor:own",
    "POST /mentors/{mentor_id}/capacity": "administrator mentor:own",
    "POST /mentors/{mentor_id}/pause": "administrator mentor:own",
    "POST /mentors/{mentor_id}/resume": "administrator mentor:own",
    "POST /mentors/{mentor_id}/leave": "administrator mentor:own",
    "GET /cases": OVERSIGHT,
    "GET /cases/{case_id}": "administrator auditor line_manager:own mentee:own mentor:own",
    "GET /cases/{case_id}/timeline": OVERSIGHT,
    "POST /cases": "administrator mentee:own",
    "POST /cases/{case_id}/approve": "line_manager:own",
    "POST /cases/{case_id}/decline": "line_manager:own",
    "POST /cases/{case_id}/matching-request": "administrator mentee:own",
    "POST /cases/{case_id}/exploratory-conversations": "administrator mentee:own",
    "POST /cases/{case_id}/match-proposal": "administrator",
    "POST /cases/{case_id}/discovery-call": PARTY_OR_ADMIN,
    "POST /cases/{case_id}/confirm-match": "administrator",
    "POST /cases/{case_id}/rematch": PARTY_OR_ADMIN,
    "POST /cases/{case_id}/withdraw": "administrator mentee:own",
    "GET /partnerships": OVERSIGHT,
    "GET /partnerships/mine": "mentee mentor",
    "GET /partnerships/{partnership_id}": "administrator auditor mentee:own mentor:own",
    "GET /partnerships/{partnership_id}/sessions": PAIR,
    "POST /partnerships/{partnership_id}/signatures": PARTY_OR_ADMIN,
    "POST /partnerships/{partnership_id}/sessions": PAIR,
    "POST /partnerships/{partnership_id}/review": PARTY_OR_ADMIN,
    "POST /partnerships/{partnership_id}/extension-request": PARTY_OR_ADMIN,
    "POST /partnerships/{partnership_id}/extension-grant": "administrator",
    "POST /partnerships/{partnership_id}/extension-decline": "administrator",
    "POST /partnerships/{partnership_id}/end": PARTY_OR_ADMIN,
    "POST /partnerships/{partnership_id}/feedback-request": "administrator",
    "POST /partnerships/{partnership_id}/feedback": PAIR,
    "GET /line-manager/reports": "line_manager",
    "GET /statistics": OVERSIGHT,
    "GET /audit/events": "auditor",
    "GET /audit/cases/{case_id}/as-of": "auditor",
    "GET /retention/erasure-requests": "dpo",
    "GET /retention/legal-holds": "dpo",
    "GET /retention/subject-access-exports": "dpo",
}


def expectation_table() -> dict[str, dict[str, str]]:
    """route → {role: "any" | "own" | "public"}"""
    table = {}
    for key, spec in SPEC.items():
        if spec == "public":
            table[key] = {role: "public" for role in EVERYONE.split()}
            continue
        grants = {}
        for word in spec.split():
            role, _, scope = word.partition(":")
            grants[role] = scope or "any"
        table[key] = grants
    return table
