"""The projection worker's own small HTTP listener (`trellis projections run --metrics-port P`).

`/health`: 200 while the worker's loop has gone round in the last 30 seconds (it goes round at
least every poll, even while the database is down), else 503. `/metrics`: each read model's
position and lag, whether its last batch failed, how long since the loop went round and the
keys held — for the bearer of TRELLIS_METRICS_TOKEN, as on the API (`api.metrics.refusal`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

from prometheus_client import generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import ThreadingWSGIServer

from api.metrics import TEXT_FORMAT, LagCollector, refusal
from api.settings import Settings
from projections.runner import Runner

STALLED_SECONDS = 30.0


class WorkerCollector:
    def __init__(self, runner: Runner, keys: Any) -> None:
        self.runner = runner
        self.keys = keys
        self.lag = LagCollector(runner.positions, runner.head)

    def collect(self) -> Iterator[Metric]:
        yield from self.lag.collect()
        failing = GaugeMetricFamily("trellis_projection_failing", "1 while the read model's last batch failed",
                                    labels=["read_model"])
        for projection in self.runner.projections:
            failing.add_metric([projection.name], int(projection.name in self.runner.errors))
        yield failing
        yield GaugeMetricFamily("trellis_projection_heartbeat_age_seconds",
                                "Seconds since the worker's loop last went round", value=self.runner_age())
        yield GaugeMetricFamily("trellis_key_cache_keys", "Unwrapped data keys held in memory",
                                value=self.keys.cached_refs())

    def runner_age(self) -> float:
        return time.monotonic() - self.runner.heartbeat


def wsgi_app(settings: Settings, collector: WorkerCollector) -> Any:
    def app(environ: dict, start_response: Any) -> list[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/health":
            alive = collector.runner_age() < STALLED_SECONDS
            return _answer(start_response, 200 if alive else 503, b"ok\n" if alive else b"stalled\n")
        if path != "/metrics":
            return _answer(start_response, 404, b"not found\n")
        refused = refusal(settings, environ.get("HTTP_AUTHORIZATION"))
        if refused is not None:
            status, reason = refused
            return _answer(start_response, status, reason.encode() + b"\n", bearer=status == 401)
        return _answer(start_response, 200, generate_latest(collector), TEXT_FORMAT)  # type: ignore[arg-type]

    return app


def _answer(start_response: Any, status: int, body: bytes, media_type: str = "text/plain; charset=utf-8",
            bearer: bool = False) -> list[bytes]:
    reasons = {200: "OK", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 503: "Service Unavailable"}
    headers = [("Content-Type", media_type), ("Content-Length", str(len(body)))]
    start_response(f"{status} {reasons[status]}", headers + ([("WWW-Authenticate", "Bearer")] if bearer else []))
    return [body]


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        """A scrape every few seconds is not worth a log line."""


def serve_metrics(settings: Settings, runner: Runner, keys: Any, host: str, port: int) -> ThreadingWSGIServer:
    server = make_server(host, port, wsgi_app(settings, WorkerCollector(runner, keys)), ThreadingWSGIServer,
                         handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, name="trellis-metrics", daemon=True).start()
    return server
