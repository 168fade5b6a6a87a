"""The FastAPI app: composed once, with its state built in the lifespan.

`create_app(settings)` builds the `Trellis` application, the read models and (for the
embedded default) a projection runner in a background thread, and closes them on
shutdown. Tests pass their own `trellis` / `read_models`, or override dependencies.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api import collector
from api.http import docs, problems
from api.http.access_writer import AccessWriter
from api.http.auth import Authenticator
from api.http.dashboard import router as dashboard_router
from api.http.metrics import HttpMetrics
from api.http.middleware import Edge
from api.http.policy import api_routes, unruled_routes
from api.http.reads import misdeclared_reads
from api.http.routing import openapi_extras
from api.http.readside import ReadSide
from api.http.routers import (
    access_log, audit, audit_chain, audit_history, cases, line_manager, meta, mentors, operations, partnerships,
    programmes, retention, statistics, timelines,
)
from api.settings import Settings

ROUTERS = (operations, meta, programmes, mentors, cases, partnerships, line_manager, statistics, audit, retention,
           access_log, timelines, audit_chain, audit_history)
# Every router's routes are `TrellisRoute`s (who may call it, the read position on a GET, the
# access log) but the operations': liveness, readiness and metrics are public, read no position
# and log no read; their bearer scheme is declared in their docs alone (metrics reads its token).
DESCRIPTION = """Trellis runs formal mentoring and coaching programmes. Every action is an immutable
event; every read is a projection of those events.

**Sign in** with a bearer JWT (`sub` = your person id, `roles` = your roles). **Errors** are
`application/problem+json` (RFC 9457). **Commands** are POSTs and accept an `Idempotency-Key`.
Read models follow the commands within moments: a command's answer carries the event log
`position` it reached, and every GET answers with `X-Trellis-Read-Position`, the position
the read models had reached before the read (a read at or past a command's position
reflects that command)."""


def create_app(settings: Settings, *, trellis: Any = None, read_models: Any = None,
               demo_sign_in: list[dict[str, str]] | None = None) -> FastAPI:
    if demo_sign_in and settings.environment != "development":
        raise RuntimeError("the demo's sign-in list is served in development only")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with ReadSide.open(settings, trellis=trellis, read_models=read_models) as side:
            app.state.trellis = side.trellis
            app.state.read_models = side.read_models
            app.state.runner = side.runner
            app.state.read_side = side
            app.state.access_writer = AccessWriter(side.trellis.record_reads)
            app.state.authenticator = Authenticator.from_settings(settings)
            app.state.settings = settings
            app.state.demo_sign_in = demo_sign_in
            with collector.serving():  # the garbage collector's passes, fewer and shorter
                yield

    app = FastAPI(
        title="Trellis", version="0.1.0", description=DESCRIPTION, lifespan=lifespan,
        docs_url=None, redoc_url=None, openapi_url=None,  # our own docs routes, when enabled
    )
    problems.install(app)
    for module in ROUTERS:
        app.include_router(module.router)
    app.include_router(dashboard_router)
    if settings.docs_enabled:
        docs.install(app)
    app.state.metrics = HttpMetrics()
    app.add_middleware(Edge, max_body_bytes=settings.max_body_bytes, max_json_depth=settings.max_json_depth,
                       metrics=app.state.metrics)  # limits, request id, security headers, log line, metrics
    app.state.known_programmes = set()  # programmes found to exist (never removed)
    app.state.route_paths = api_routes(app)
    missing = unruled_routes(app)
    if missing:
        raise RuntimeError(f"routes without an authorisation rule: {', '.join(missing)}")
    undeclared = misdeclared_reads(app)  # the access log's: every GET says whether it reads personal data
    if undeclared:
        raise RuntimeError(f"routes the access log cannot honour: {'; '.join(undeclared)}")
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = (
            problems.Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        openapi_extras(schema, api_routes(app))
        app.openapi_schema = schema
    return app.openapi_schema
