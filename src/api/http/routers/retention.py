"""The data-protection officer's queues: erasure, legal holds, subject-access exports.

Empty until the retention work lands; they exist now so that access to them is decided,
documented and tested like every other route.
"""

from __future__ import annotations

from fastapi import APIRouter

from api.http.problems import COMMON
from api.http.schemas.oversight import RetentionQueue

router = APIRouter(prefix="/retention", tags=["retention"], responses=COMMON)
NOTHING_YET = "nothing yet: retention jobs arrive with the retention work"


@router.get("/erasure-requests", summary="Erasure requests")
def erasure_requests() -> RetentionQueue:
    return RetentionQueue(items=[], note=NOTHING_YET)


@router.get("/legal-holds", summary="Legal holds")
def legal_holds() -> RetentionQueue:
    return RetentionQueue(items=[], note=NOTHING_YET)


@router.get("/subject-access-exports", summary="Subject-access exports")
def subject_access_exports() -> RetentionQueue:
    return RetentionQueue(items=[], note=NOTHING_YET)
