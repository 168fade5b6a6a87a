"""The auditor's check that the history was not altered: run a verification of the hash chain
(recorded with who ran it and when), read the last one, and read the latest checkpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from api.http.deps import CurrentActor, TrellisDep
from api.http.routing import TrellisRouter
from api.http.problems import COMMON
from api.http.results import command
from api.http.schemas.audit_chain import CheckpointDocument, VerificationPublic, VerificationRequest
from api.persistence.checkpoints import Checkpoint
from api.services.audit_chain import Verification

router = TrellisRouter(prefix="/audit", tags=["audit"], responses=COMMON)


@router.post("/verification", status_code=201, **command(
    "Verify the history", "Recomputes the hash chain over every stored event, holds it against the checkpoints "
    "given (signed by this Trellis) and the latest one kept here, and records who ran it, when and the verdict. "
    "A broken history is a verdict (`ok` false, the first broken `position` and its `problem`), not an error."))
def verify(trellis: TrellisDep, actor: CurrentActor, body: VerificationRequest | None = None) -> VerificationPublic:
    checkpoints = [Checkpoint.from_document(c.model_dump()) for c in body.checkpoints] if body else []
    return _public(trellis.verify_history(actor, checkpoints))


@router.get("/verification", summary="The last verification", description="null until one has run.")
def last_verification(trellis: TrellisDep) -> VerificationPublic | None:
    found = trellis.last_verification()
    return None if found is None else _public(found)


@router.get("/checkpoints", summary="The latest checkpoints", description="Newest first.")
def checkpoints(trellis: TrellisDep, limit: Annotated[int, Query(ge=1, le=100)] = 20) -> list[CheckpointDocument]:
    return [CheckpointDocument(**c.document()) for c in trellis.latest_checkpoints(limit)]


def _public(found: Verification) -> VerificationPublic:
    return VerificationPublic(
        verified_at=found.verified_at, verified_by=found.actor_id, role=found.actor_role, ok=found.ok,
        verified=found.verified, head=found.head, head_link=found.head_link, position=found.position,
        problem=found.problem, detail=found.detail, checkpoints=found.checkpoints,
    )
