"""The API's metrics: requests and their latency by route template, command outcomes by
status class, the unwrapped keys this process holds, and (read when scraped) the read
models' lag. A route is labelled by its template (`/cases/{case_id}`), never by the path
asked for; a request no route matched is labelled `unmatched`. See `api.metrics`.
"""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from api.metrics import LagCollector, exposition

UNMATCHED = "unmatched"
METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class HttpMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("trellis_http_requests", "Requests answered, by route template and status",
                                ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram("trellis_http_request_duration_seconds", "Time to answer, by route template",
                                 ["method", "route"], registry=self.registry, buckets=BUCKETS)
        self.commands = Counter("trellis_commands", "Commands (POST routes) by route template and status class",
                                ["route", "outcome"], registry=self.registry)
        self.key_cache = Gauge("trellis_key_cache_keys", "Unwrapped data keys held in memory (summed over workers)",
                               registry=self.registry, multiprocess_mode="livesum")

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        method = method if method in METHODS else "OTHER"
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)
        if method == "POST" and route != UNMATCHED:
            self.commands.labels(route, f"{status // 100}xx").inc()

    def held_keys(self, trellis: Any) -> None:
        if trellis is not None:
            self.key_cache.set(trellis.keys.cached_refs())

    def scrape(self, side: Any) -> bytes:
        """The text for /metrics; `side` (the app's `ReadSide`) gives the keys and the lag."""
        self.held_keys(getattr(side, "trellis", None))
        tracker = getattr(side, "tracker", None)
        live = [LagCollector(tracker.positions, tracker.head)] if tracker is not None else []
        return exposition(self.registry, *live)


def route_of(scope: dict) -> str:
    """The template of the route that answered (`/cases/{case_id}`), or `unmatched`."""
    state = getattr(scope.get("app"), "state", None)
    _, path = getattr(state, "route_paths", {}).get(id(scope.get("route")), (None, None))
    return path or UNMATCHED


class MetricsMiddleware:
    """Pure ASGI: counts and times every HTTP request by the template of the route that answered."""

    def __init__(self, app: Any, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def send_status(message: dict) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            self.metrics.observe(scope["method"], route_of(scope), status["code"], time.perf_counter() - started)
            self.metrics.held_keys(getattr(getattr(scope.get("app"), "state", None), "trellis", None))
