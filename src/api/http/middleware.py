"""A request id on every log line (and on the response), and one line per request."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import structlog

from api.logging import get_logger

HEADER = "X-Request-ID"
SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
log = get_logger("trellis.http")


class RequestIdMiddleware:
    """Pure ASGI: binds `request_id` for everything logged while the request is handled."""

    def __init__(self, app: Any) -> None:
        self.app = app

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
                status["code"] = message["status"]
                message.setdefault("headers", []).append((HEADER.lower().encode(), request_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            state = getattr(scope.get("app"), "state", None)
            _, route = getattr(state, "route_paths", {}).get(id(scope.get("route")), (None, None))
            log.info(
                "request_handled", method=scope["method"], route=route,
                status=status["code"], duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
            structlog.contextvars.clear_contextvars()


def _incoming(scope: dict) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            return text if SAFE_ID.match(text) else None
    return None
