"""A request id on every log line (and on the response); one line per request, and the
request counted in the metrics, timed once for both.

An exception no handler answered is caught here, where the request id is still bound: it is
logged by type (never its message, which might quote data) and answered 500 problem+json,
so nothing beyond reaches uvicorn's own error log.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import structlog

from api.http import problems
from api.http.metrics import UNMATCHED, HttpMetrics
from api.logging import get_logger

HEADER = "X-Request-ID"
SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
log = get_logger("trellis.http")


class RequestIdMiddleware:
    """Pure ASGI: binds `request_id` for everything logged while the request is handled; then
    logs the request and counts it in `metrics` (by the template of the route that answered)."""

    def __init__(self, app: Any, metrics: HttpMetrics | None = None) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming(scope) or uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = {"code": 500}

        async def send_with_id(message: dict) -> None:
            if message["type"] == "http.response.start":
                status["code"], status["started"] = message["status"], True
                message.setdefault("headers", []).append((HEADER.lower().encode(), request_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as error:  # noqa: BLE001 - the last place an exception can be answered
            problems.log_unexpected(error)
            if "started" not in status:
                await problems.internal(scope.get("path", ""))(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            state = getattr(scope.get("app"), "state", None)
            _, route = getattr(state, "route_paths", {}).get(id(scope.get("route")), (None, None))
            log.info("request_handled", method=scope["method"], route=route, status=status["code"],
                     duration_ms=round(seconds * 1000, 2))
            structlog.contextvars.clear_contextvars()
            if self.metrics is not None:
                self.metrics.observe(scope["method"], route or UNMATCHED, status["code"], seconds)
                self.metrics.held_keys(getattr(state, "trellis", None))


def _incoming(scope: dict) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            return text if SAFE_ID.match(text) else None
    return None
