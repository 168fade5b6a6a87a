"""What the data-protection officer works from: requests with their statutory clocks, legal
holds, the consent ledger and the statistics floor.

Ids, dates, states and counts only; a hold's reason and a consent record stay sealed under
their owner's key, as the events stored them.
"""

from __future__ import annotations

import json
from typing import Any

from domain import Case, DataProtectionPolicy, LegalHold, Mentor, SubjectRequest
from projections.events import when
from projections.projection import Handlers, Projection, Writer
from projections.rows import row, sealed
from projections.sql import Table

REQUESTS = Table("rm_data_protection_requests", {
    "request_id": "TEXT NOT NULL", "kind": "TEXT", "subject_id": "TEXT", "received_on": "TEXT", "due_on": "TEXT",
    "state": "TEXT", "outcome": "TEXT", "received_by": "TEXT", "received_at": "TEXT", "closed_by": "TEXT",
    "closed_at": "TEXT",
}, ("request_id",), indexes=(("kind", "state"), ("subject_id",)))
HOLDS = Table("rm_data_protection_holds", {
    "hold_id": "TEXT NOT NULL", "target": "TEXT", "target_id": "TEXT", "reason": "TEXT", "placed_by": "TEXT",
    "placed_at": "TEXT", "lifted_by": "TEXT", "lifted_at": "TEXT",
}, ("hold_id",), indexes=(("target_id",),))
CONSENTS = Table("rm_data_protection_consents", {
    "record_id": "TEXT NOT NULL", "version": "BIGINT NOT NULL", "person_id": "TEXT", "recorded_at": "TEXT",
    "recorded_by": "TEXT", "consent": "TEXT",
}, ("record_id", "version"), indexes=(("person_id",),))
POLICY = Table("rm_data_protection_policy", {"id": "INTEGER NOT NULL", "floor": "INTEGER"}, ("id",))

on = Handlers()


@on.on(SubjectRequest.Received)
def _received(e: Any, w: Writer) -> None:
    w.upsert(REQUESTS, row(
        request_id=e.originator_id, kind=e.kind, subject_id=e.subject_id, received_on=e.received_on, due_on=e.due_on,
        state="received", received_by=e.actor_id, received_at=when(e),
    ))


@on.on(SubjectRequest.Completed)
def _completed(e: Any, w: Writer) -> None:
    w.upsert(REQUESTS, row(request_id=e.originator_id, state="completed", outcome=json.dumps(e.counts),
                           closed_by=e.actor_id, closed_at=when(e)))


@on.on(SubjectRequest.Refused)
def _refused(e: Any, w: Writer) -> None:
    w.upsert(REQUESTS, row(request_id=e.originator_id, state="refused", outcome=json.dumps({"lawful_basis": e.basis}),
                           closed_by=e.actor_id, closed_at=when(e)))


@on.on(LegalHold.Placed)
def _placed(e: Any, w: Writer) -> None:
    w.upsert(HOLDS, row(hold_id=e.originator_id, target=e.target, target_id=e.target_id, reason=sealed(e.reason),
                        placed_by=e.actor_id, placed_at=when(e)))


@on.on(LegalHold.Lifted)
def _lifted(e: Any, w: Writer) -> None:
    w.upsert(HOLDS, row(hold_id=e.originator_id, lifted_by=e.actor_id, lifted_at=when(e)))


@on.on(Case.MatchingRequestSubmitted, Case.ConsentChanged, Mentor.JoinedPool, Mentor.ConsentChanged)
def _consent(e: Any, w: Writer) -> None:
    if getattr(e, "consent", None) is not None:
        w.upsert(CONSENTS, row(record_id=e.originator_id, version=e.originator_version, person_id=e.consent.owner,
                               recorded_at=when(e), recorded_by=e.actor_id, consent=sealed(e.consent)))


@on.on(DataProtectionPolicy.PolicySetUp, DataProtectionPolicy.StatisticsFloorSet)
def _floor(e: Any, w: Writer) -> None:
    w.upsert(POLICY, row(id=1, floor=e.floor))


class DataProtection(Projection):
    name = "data_protection"
    tables = (REQUESTS, HOLDS, CONSENTS, POLICY)
    handlers = on
