"""Operations: liveness (no database), readiness (database and read models) and metrics.

`/health` touches nothing but the process, so a probe never waits on the database. `/ready`
reads the database: 503 while it cannot be read or a read model lags more than
TRELLIS_READY_MAX_LAG events. `/metrics` is Prometheus text for the bearer of
TRELLIS_METRICS_TOKEN (see `api.metrics.refusal`), not for a person's token.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from api.http.auth import Unauthenticated
from api.http.problems import COMMON, Forbidden, responses
from api.http.schemas.operations import Readiness
from api.http.schemas.oversight import Health
from api.metrics import TEXT_FORMAT, refusal

router = APIRouter(tags=["operations"], responses=COMMON)
# Declared, not run: the bearer scheme in the docs, with no dependency on every probe.
BEARER = {"security": [{"bearer": []}]}
TEXT = {200: {"content": {"text/plain": {"schema": {"type": "string"}}},
              "description": "Prometheus text exposition"}}


def metrics_reader(request: Request) -> None:
    refused = refusal(request.app.state.settings, request.headers.get("authorization"))
    if refused is not None:
        status, reason = refused
        raise Unauthenticated(reason) if status == 401 else Forbidden(reason)


@router.get("/health", summary="Is the process up?", description="Liveness: answers without the database.",
            openapi_extra=BEARER)
async def health() -> Health:  # on the event loop: no thread, no database
    return Health(status="ok")


@router.get("/ready", summary="Can this process serve?", responses=responses(503), openapi_extra=BEARER, description=(
    "Readiness: the database answers and every read model is within TRELLIS_READY_MAX_LAG events of the head."))
def ready(request: Request) -> Readiness:
    max_lag = request.app.state.settings.ready_max_lag
    return Readiness(max_lag=max_lag, lag=request.app.state.read_side.readiness(max_lag))


@router.get("/metrics", summary="Prometheus metrics", response_class=Response, responses=TEXT, openapi_extra=BEARER,
            description="For `Authorization: Bearer <TRELLIS_METRICS_TOKEN>` (unset: open outside production).")
def metrics(request: Request, _: Annotated[None, Depends(metrics_reader)]) -> Response:
    return Response(request.app.state.metrics.scrape(request.app.state.read_side), media_type=TEXT_FORMAT)
