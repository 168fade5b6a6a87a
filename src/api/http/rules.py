"""The policy table: every route of the app → who may call it, and on what.

ANY: any object. OWN: the case, partnership or mentor named in the path is the actor's
(a line manager's report, the mentee's own case, the mentor proposed or matched to it,
the pair of a partnership, the mentor themselves). SELF: the body's `subject` field
names the actor. Roles left out are refused. Keep this table the only place that says so.

Below it, for the access log, what every GET route reads: `READS` (logged) or
`NOTHING_PERSONAL` (not logged); a GET route in neither stops the app from starting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from api.services.access_log import Kind
from domain import Role


class Scope(Enum):
    ANY = "any"
    OWN = "own"
    SELF = "self"


@dataclass(frozen=True)
class Rule:
    grants: Mapping[Role, Scope] = field(default_factory=dict)
    public: bool = False
    subject_field: str | None = None


ANY, OWN, SELF = Scope.ANY, Scope.OWN, Scope.SELF
ADMIN, LM, MENTOR, MENTEE, AUDITOR, DPO = (
    Role.ADMINISTRATOR, Role.LINE_MANAGER, Role.MENTOR, Role.MENTEE, Role.AUDITOR, Role.DPO,
)
PUBLIC = Rule(public=True)
EVERYONE = Rule({role: ANY for role in (ADMIN, LM, MENTOR, MENTEE, AUDITOR, DPO)})


def allow(grants: Mapping[Role, Scope], subject: str | None = None) -> Rule:
    return Rule(dict(grants), subject_field=subject)


ADMIN_ONLY = allow({ADMIN: ANY})
DPO_ONLY = allow({DPO: ANY})
OVERSIGHT = allow({ADMIN: ANY, AUDITOR: ANY})
MENTOR_SELF_SERVICE = allow({ADMIN: ANY, MENTOR: OWN})
MENTEE_SELF_SERVICE = allow({ADMIN: ANY, MENTEE: OWN})
PARTY_OR_ADMIN = allow({ADMIN: ANY, MENTEE: OWN, MENTOR: OWN})
PAIR_ONLY = allow({MENTEE: OWN, MENTOR: OWN})

POLICY: dict[str, Rule] = {
    # public: health, the dashboard's static files, the demo's sign-in list
    "GET /health": PUBLIC,
    "GET /": PUBLIC,
    "GET /dashboard": PUBLIC,
    "GET /dashboard/": PUBLIC,
    "GET /dashboard/{name}": PUBLIC,
    "GET /dev/demo-sign-in": PUBLIC,
    # operations, for no person: readiness, and metrics for the bearer of TRELLIS_METRICS_TOKEN
    # (checked by the route; unset, open outside production and closed in it)
    "GET /ready": PUBLIC,
    "GET /metrics": PUBLIC,
    # anyone signed in
    "GET /me": EVERYONE,
    "GET /me/export": EVERYONE,  # the caller's own subject-access copy
    "GET /me/export.html": EVERYONE,
    # programmes
    "GET /programmes": EVERYONE,
    "GET /programmes/{programme_id}": EVERYONE,
    "POST /programmes": ADMIN_ONLY,
    "POST /programmes/{programme_id}/reconfigure": ADMIN_ONLY,
    "GET /programmes/{programme_id}/pipeline": OVERSIGHT,
    "GET /programmes/{programme_id}/timeline": OVERSIGHT,
    # mentors
    "GET /mentors": allow({ADMIN: ANY, AUDITOR: ANY, MENTOR: ANY, MENTEE: ANY}),
    "GET /mentors/capacity": OVERSIGHT,
    "GET /mentors/{mentor_id}": allow({ADMIN: ANY, AUDITOR: ANY, MENTOR: OWN}),
    "GET /mentors/{mentor_id}/timeline": OVERSIGHT,
    "POST /mentors": allow({ADMIN: ANY, MENTOR: SELF}, subject="person_id"),
    "POST /mentors/{mentor_id}/training": ADMIN_ONLY,
    "POST /mentors/{mentor_id}/join-pool": MENTOR_SELF_SERVICE,
    "POST /mentors/{mentor_id}/capacity": MENTOR_SELF_SERVICE,
    "POST /mentors/{mentor_id}/pause": MENTOR_SELF_SERVICE,
    "POST /mentors/{mentor_id}/resume": MENTOR_SELF_SERVICE,
    "POST /mentors/{mentor_id}/leave": MENTOR_SELF_SERVICE,
    "POST /mentors/{mentor_id}/special-category-consent/withdraw": allow({MENTOR: OWN}),
    # cases
    "GET /cases": OVERSIGHT,
    "GET /cases/{case_id}": allow({ADMIN: ANY, AUDITOR: ANY, LM: OWN, MENTEE: OWN, MENTOR: OWN}),
    "GET /cases/{case_id}/timeline": OVERSIGHT,
    "POST /cases": allow({ADMIN: ANY, MENTEE: SELF}, subject="mentee_id"),
    "POST /cases/{case_id}/approve": allow({LM: OWN}),
    "POST /cases/{case_id}/decline": allow({LM: OWN}),
    "POST /cases/{case_id}/matching-request": MENTEE_SELF_SERVICE,
    "POST /cases/{case_id}/exploratory-conversations": MENTEE_SELF_SERVICE,
    "POST /cases/{case_id}/match-proposal": ADMIN_ONLY,
    "POST /cases/{case_id}/discovery-call": PARTY_OR_ADMIN,
    "POST /cases/{case_id}/confirm-match": ADMIN_ONLY,
    "POST /cases/{case_id}/rematch": PARTY_OR_ADMIN,
    "POST /cases/{case_id}/withdraw": MENTEE_SELF_SERVICE,
    "POST /cases/{case_id}/special-category-consent/withdraw": allow({MENTEE: OWN}),
    # partnerships: session content is the pair's alone
    "GET /partnerships": OVERSIGHT,
    "GET /partnerships/mine": allow({MENTEE: ANY, MENTOR: ANY}),
    "GET /partnerships/{partnership_id}": allow({ADMIN: ANY, AUDITOR: ANY, MENTEE: OWN, MENTOR: OWN}),
    "GET /partnerships/{partnership_id}/timeline": OVERSIGHT,
    "GET /partnerships/{partnership_id}/sessions": PAIR_ONLY,
    "POST /partnerships/{partnership_id}/signatures": PARTY_OR_ADMIN,
    "POST /partnerships/{partnership_id}/sessions": PAIR_ONLY,
    "POST /partnerships/{partnership_id}/review": PARTY_OR_ADMIN,
    "POST /partnerships/{partnership_id}/extension-request": PARTY_OR_ADMIN,
    "POST /partnerships/{partnership_id}/extension-grant": ADMIN_ONLY,
    "POST /partnerships/{partnership_id}/extension-decline": ADMIN_ONLY,
    "POST /partnerships/{partnership_id}/end": PARTY_OR_ADMIN,
    "POST /partnerships/{partnership_id}/feedback-request": ADMIN_ONLY,
    "POST /partnerships/{partnership_id}/feedback": PAIR_ONLY,
    # line managers: their own reports only (the query is filtered by the actor)
    "GET /line-manager/reports": allow({LM: ANY}),
    # QA statistics: anonymous aggregates
    "GET /statistics": OVERSIGHT,
    # audit: history without content
    "GET /audit/events": allow({AUDITOR: ANY}),
    "GET /audit/cases/{case_id}/as-of": allow({AUDITOR: ANY}),
    "GET /audit/partnerships/{partnership_id}/as-of": allow({AUDITOR: ANY}),
    "GET /audit/mentors/{mentor_id}/as-of": allow({AUDITOR: ANY}),
    "GET /audit/programmes/{programme_id}/as-of": allow({AUDITOR: ANY}),
    "GET /audit/programmes/{programme_id}/board/as-of": allow({AUDITOR: ANY}),
    # the access log: who read personal data, for the auditor and the DPO
    "GET /audit/access-log": allow({AUDITOR: ANY, DPO: ANY}),
    # the tamper-evident history: the auditor verifies it (recording that they did) and reads its checkpoints
    "POST /audit/verification": allow({AUDITOR: ANY}),
    "GET /audit/verification": allow({AUDITOR: ANY}),
    "GET /audit/checkpoints": allow({AUDITOR: ANY}),
    # the auditor's workspace: the history filtered and paged, and exported through a checkpoint
    "GET /audit/history": allow({AUDITOR: ANY}),
    "GET /audit/history/export": allow({AUDITOR: ANY}),
    # data protection: the DPO's alone
    **{key: DPO_ONLY for key in (
        "GET /retention/erasure-requests", "POST /retention/erasure-requests",
        "GET /retention/erasure-requests/{request_id}/preview", "POST /retention/erasure-requests/{request_id}/execute",
        "POST /retention/erasure-requests/{request_id}/refuse",
        "GET /retention/subject-access-requests", "POST /retention/subject-access-requests",
        "GET /retention/subject-access-requests/{request_id}/export",
        "GET /retention/subject-access-requests/{request_id}/export.html",
        "POST /retention/subject-access-requests/{request_id}/complete",
        "GET /retention/legal-holds", "POST /retention/legal-holds", "POST /retention/legal-holds/{hold_id}/lift",
        "GET /retention/schedule", "POST /retention/schedule/run",
        "GET /retention/consents", "POST /retention/statistics-floor",
    )},
}


@dataclass(frozen=True)
class Reads:
    """What a successful call reads, for the access log: the kind of object and the path or
    query parameter that names it (`READER`: the caller themselves; None: the whole service)."""

    kind: Kind
    of: str | None = None


READER = "<the reader>"
PROGRAMME = "programme_id"

# Every read of personal data or of session records: each successful call adds one entry to
# the access log (api/http/reads.py). A list is one entry per call, on its programme. Every GET
# route is in this table or in NOTHING_PERSONAL below, or the app refuses to start.
READS: dict[str, Reads] = {
    "GET /me/export": Reads(Kind.PERSON, READER),
    "GET /me/export.html": Reads(Kind.PERSON, READER),
    "GET /programmes/{programme_id}/pipeline": Reads(Kind.PROGRAMME_CASES, PROGRAMME),
    "GET /mentors": Reads(Kind.PROGRAMME_MENTORS, PROGRAMME),
    "GET /mentors/capacity": Reads(Kind.PROGRAMME_MENTORS, PROGRAMME),
    "GET /mentors/{mentor_id}": Reads(Kind.MENTOR, "mentor_id"),
    "GET /cases": Reads(Kind.PROGRAMME_CASES, PROGRAMME),
    "GET /cases/{case_id}": Reads(Kind.CASE, "case_id"),
    "GET /cases/{case_id}/timeline": Reads(Kind.HISTORY, "case_id"),
    "GET /partnerships/{partnership_id}/timeline": Reads(Kind.HISTORY, "partnership_id"),
    "GET /mentors/{mentor_id}/timeline": Reads(Kind.HISTORY, "mentor_id"),
    "GET /programmes/{programme_id}/timeline": Reads(Kind.PROGRAMME_HISTORY, PROGRAMME),
    "GET /partnerships": Reads(Kind.PROGRAMME_PARTNERSHIPS, PROGRAMME),
    "GET /partnerships/mine": Reads(Kind.PROGRAMME_PARTNERSHIPS, PROGRAMME),
    "GET /partnerships/{partnership_id}": Reads(Kind.PARTNERSHIP, "partnership_id"),
    "GET /partnerships/{partnership_id}/sessions": Reads(Kind.PARTNERSHIP, "partnership_id"),
    "GET /line-manager/reports": Reads(Kind.REPORTS, READER),
    "GET /audit/events": Reads(Kind.HISTORY, "aggregate_id"),  # without one: the whole history
    "GET /audit/history": Reads(Kind.HISTORY, "aggregate_id"),
    "GET /audit/history/export": Reads(Kind.HISTORY, "aggregate_id"),
    "GET /audit/cases/{case_id}/as-of": Reads(Kind.CASE, "case_id"),
    "GET /audit/partnerships/{partnership_id}/as-of": Reads(Kind.PARTNERSHIP, "partnership_id"),
    "GET /audit/mentors/{mentor_id}/as-of": Reads(Kind.MENTOR, "mentor_id"),
    "GET /audit/programmes/{programme_id}/board/as-of": Reads(Kind.PROGRAMME_CASES, PROGRAMME),
    "GET /audit/access-log": Reads(Kind.ACCESS_LOG),  # its filters may name anyone: not kept
    "GET /retention/erasure-requests/{request_id}/preview": Reads(Kind.REQUEST, "request_id"),
    "GET /retention/subject-access-requests/{request_id}/export": Reads(Kind.REQUEST, "request_id"),
    "GET /retention/subject-access-requests/{request_id}/export.html": Reads(Kind.REQUEST, "request_id"),
    **{key: Reads(Kind.DATA_PROTECTION) for key in (
        "GET /retention/erasure-requests", "GET /retention/subject-access-requests", "GET /retention/legal-holds",
        "GET /retention/schedule",
    )},
    "GET /retention/consents": Reads(Kind.DATA_PROTECTION, "person_id"),  # one person's, when filtered to them
}

# GET routes that serve nothing personal, so nothing is logged: operations, the dashboard's
# files, the demo's sign-in list, the caller's own sign-in (/me), programmes' configuration (now
# and as of a moment), the anonymous statistics, and the hash chain's verdicts and checkpoints.
NOTHING_PERSONAL: frozenset[str] = frozenset({
    "GET /health", "GET /ready", "GET /metrics", "GET /", "GET /dashboard", "GET /dashboard/", "GET /dashboard/{name}",
    "GET /dev/demo-sign-in", "GET /me", "GET /programmes", "GET /programmes/{programme_id}",
    "GET /audit/programmes/{programme_id}/as-of", "GET /statistics",
    "GET /audit/verification", "GET /audit/checkpoints",
})
