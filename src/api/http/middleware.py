"""The app's edge: one pure-ASGI layer around everything, for every request.

- A request id on every log line (and on the response): the caller's `X-Request-ID` if it is
  a safe token, else one made here (a per-process prefix and a counter: unique, and cheap).
- Limits before work (`api.http.limits`): the address and a declared body length checked
  before anything reads them, a body read only if the app asks for it, counted and checked.
- Security headers (`api.http.headers`) on every answer, refusals and errors included.
- One log line per request, and the request counted in the metrics, timed once for both.
- An exception no handler answered is caught here, where the request id is still bound: it is
  logged by type (never its message, which might quote data) and answered 500 problem+json,
  so nothing beyond reaches uvicorn's own error log.

One layer, not three: each layer wraps every message the app sends in a closure of its own.
"""

from __future__ import annotations

import itertools
import os
import re
import time
from typing import Any

import structlog

from api.http import problems
from api.http.headers import with_defaults
from api.http.limits import Body, refuse, refuse_address, refuse_declared_length
from api.http.metrics import UNMATCHED, HttpMetrics
from api.http.problems import InputRefused
from api.logging import get_logger

HEADER = "X-Request-ID"
SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
log = get_logger("trellis.http")


class Edge:
    def __init__(self, app: Any, max_body_bytes: int, max_json_depth: int, metrics: HttpMetrics | None = None) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_json_depth = max_json_depth
        self.metrics = metrics
        self._ids = map(f"{os.urandom(8).hex()}-{{:x}}".format, itertools.count(1))

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming(scope) or next(self._ids)
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = {"code": 500}
        own_header = (HEADER.lower().encode(), request_id.encode())

        async def send_from_edge(message: dict) -> None:
            if message["type"] == "http.response.start":
                status["code"], status["started"] = message["status"], True
                message = {**message, "headers": with_defaults([*message.get("headers", ()), own_header])}
            await send(message)

        try:
            await self._limited(scope, receive, send_from_edge, status)
        except Exception as error:  # noqa: BLE001 - the last place an exception can be answered
            problems.log_unexpected(error)
            if "started" not in status:
                await problems.internal(scope.get("path", ""))(scope, receive, send_from_edge)
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

    async def _limited(self, scope: dict, receive: Any, send: Any, status: dict) -> None:
        """The app, once the address and any declared length are within the limits; the body
        (if the app reads one) handed over only whole and checked."""
        try:
            refuse_address(scope)
            may_have_body = refuse_declared_length(scope, self.max_body_bytes)
        except InputRefused as refusal:
            await refuse(scope, receive, send, refusal)
            return
        if not may_have_body:  # most requests: nothing to count or check, at no cost
            await self.app(scope, receive, send)
            return
        body = Body(receive, self.max_body_bytes, self.max_json_depth)
        try:
            await self.app(scope, body.receive, send)
        except InputRefused as refusal:  # raised where no handler of the app was there to answer
            if "started" in status:
                raise
            await refuse(scope, receive, send, refusal)


def _incoming(scope: dict) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            return text if SAFE_ID.match(text) else None
    return None
