"""The API's metrics: requests and their latency by route template, command outcomes by
status class, the unwrapped keys this process holds, and (read when scraped) the read
models' lag. A route is labelled by its template (`/cases/{case_id}`), never by the path
asked for; a request no route matched is labelled `unmatched`. Each request is counted by
`api.http.middleware.Edge`, which times it once for its log line and here.
See `api.metrics`.
"""

from __future__ import annotations

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
        self._counted: dict[tuple[str, str, int], tuple[Any, Any, Any]] = {}  # (method, route, status) → series

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        method = method if method in METHODS else "OTHER"  # so the kinds stay few, whatever is sent
        counted = self._counted.get((method, route, status))
        if counted is None:
            counted = self._counted[(method, route, status)] = self._children(method, route, status)
        count, latency, command = counted
        count.inc()
        latency.observe(seconds)
        if command is not None:
            command.inc()

    def _children(self, method: str, route: str, status: int) -> tuple[Any, Any, Any]:
        """The series one kind of request counts in (looked up once: there are few kinds)."""
        command = (self.commands.labels(route, f"{status // 100}xx")
                   if method == "POST" and route != UNMATCHED else None)
        return self.requests.labels(method, route, str(status)), self.latency.labels(method, route), command

    def held_keys(self, trellis: Any) -> None:
        if trellis is not None:
            self.key_cache.set(trellis.keys.cached_refs())

    def scrape(self, side: Any) -> bytes:
        """The text for /metrics; `side` (the app's `ReadSide`) gives the keys and the lag."""
        self.held_keys(getattr(side, "trellis", None))
        tracker = getattr(side, "tracker", None)
        live = [LagCollector(tracker.positions, tracker.head)] if tracker is not None else []
        return exposition(self.registry, *live)
