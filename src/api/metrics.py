"""Prometheus metrics, shared by the API and the projection worker.

One process keeps its metrics in its own registry. With several API workers (`trellis serve
--workers N`) prometheus_client's multiprocess mode is on: `trellis serve` points
PROMETHEUS_MULTIPROC_DIR at a fresh directory before the workers start, each worker writes
its counts there, and whichever worker is scraped adds up every worker's. What lives in the
database (the read models' positions and lag) is read when scraped, by the process scraped.

Labels are route templates, read-model names, methods and status classes: never an id.
Who may read metrics: whoever sends `Authorization: Bearer <TRELLIS_METRICS_TOKEN>`; with no
token set, anyone outside production and no one in production (`refusal`).
"""

from __future__ import annotations

import atexit
import hmac
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from api.logging import get_logger
from api.settings import Settings

MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"
TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8"  # what every Prometheus reads
log = get_logger("trellis.metrics")


def multiprocess() -> bool:
    return bool(os.environ.get(MULTIPROC_DIR))


def prepare_multiprocess_dir() -> str:
    """Before the workers start (they inherit the environment): the directory they count in,
    emptied of an earlier run's counts. PROMETHEUS_MULTIPROC_DIR if set, else a new one."""
    path = os.environ.get(MULTIPROC_DIR)
    if not path:
        path = tempfile.mkdtemp(prefix="trellis-metrics-")
        atexit.register(shutil.rmtree, path, ignore_errors=True)  # ours: gone when the server stops
    os.makedirs(path, exist_ok=True)
    for name in os.listdir(path):
        if name.endswith(".db"):
            os.remove(os.path.join(path, name))
    os.environ[MULTIPROC_DIR] = path
    return path


class LagCollector:
    """Each read model's tracked position and its lag behind the head of the event log, read
    from the database when scraped; `trellis_database_up` 0 when it cannot be read."""

    def __init__(self, positions: Callable[[], dict[str, int]], head: Callable[[], int]) -> None:
        self._positions = positions
        self._head = head

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("trellis_database_up", "Whether the database answered when scraped")
        try:
            head, positions = self._head(), self._positions()
        except Exception as error:  # noqa: BLE001 - a scrape reports the database down, it does not fail
            log.warning("metrics_database_unreadable", error=type(error).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        lag = GaugeMetricFamily("trellis_projection_lag_events",
                                "Events each read model is behind the head of the event log", labels=["read_model"])
        position = GaugeMetricFamily("trellis_projection_position", "Each read model's tracked position",
                                     labels=["read_model"])
        for name, at in sorted(positions.items()):
            lag.add_metric([name], max(head - at, 0))
            position.add_metric([name], at)
        yield lag
        yield position
        yield GaugeMetricFamily("trellis_event_log_head", "The position of the last event recorded", value=head)


class _Together:
    def __init__(self, *collectors: Any) -> None:
        self.collectors = collectors

    def collect(self) -> Iterator[Metric]:
        for collector in self.collectors:
            yield from collector.collect()


def exposition(registry: CollectorRegistry, *scraped: Any) -> bytes:
    """The text to scrape: this process's `registry` (with several workers, every worker's
    counts instead) and the collectors measured now."""
    counted = MultiProcessCollector(None) if multiprocess() else registry
    return generate_latest(_Together(counted, *scraped))  # type: ignore[arg-type]


def refusal(settings: Settings, authorization: str | None) -> tuple[int, str] | None:
    """Why metrics are refused to this Authorization header (status, reason), or None."""
    token = settings.metrics_token
    if token is None:
        if settings.environment == "production":
            return 403, "metrics are off: set TRELLIS_METRICS_TOKEN to read them"
        return None
    scheme, _, sent = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(sent.strip().encode(), token.get_secret_value().encode()):
        return 401, "send 'Authorization: Bearer <TRELLIS_METRICS_TOKEN>'"
    return None
