"""Helpers for the operations tests: databases of their own, a TCP proxy that can take the
database away, and `trellis` commands run as real processes."""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import psycopg
from prometheus_client.parser import text_string_to_metric_families
from psycopg import sql

from databases import PG_DBNAME

METRICS_TOKEN = "ops-test-metrics-token-" + "x" * 16
UUID_PATTERN = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
PERSON_PATTERN = r"p-[0-9a-f]{8,}"


def value(text: str, name: str, **labels: str) -> float | None:
    """In Prometheus text: the sample `name` with exactly these labels, or None."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def until(condition: Callable[[], Any], timeout: float, what: str, every: float = 0.05) -> Any:
    """Polls `condition` until it returns something truthy; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(every)


class OwnDatabase:
    """A PostgreSQL database for one test module, named after the run's, dropped afterwards."""

    def __init__(self, pg_settings: Any, purpose: str) -> None:
        self.name = f"{PG_DBNAME}_{purpose}_{uuid4().hex[:8]}"
        self.params = {"host": pg_settings.postgres_host, "port": pg_settings.postgres_port,
                       "user": pg_settings.postgres_user}

    def create_empty(self) -> OwnDatabase:
        with psycopg.connect(dbname="postgres", autocommit=True, **self.params) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))
        return self

    def tables(self) -> set[str]:
        with psycopg.connect(dbname=self.name, **self.params) as conn:
            return {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}

    def drop(self) -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **self.params) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name)))

    def env(self, ledger_dir: Path) -> dict[str, str]:
        """The environment of a `trellis` process on this database."""
        return trellis_env(
            ledger_dir, TRELLIS_PERSISTENCE="postgres", TRELLIS_POSTGRES_HOST=str(self.params["host"]),
            TRELLIS_POSTGRES_PORT=str(self.params["port"]), TRELLIS_POSTGRES_USER=str(self.params["user"]),
            TRELLIS_POSTGRES_DBNAME=self.name,
        )


def trellis_env(ledger_dir: Path, **settings: str) -> dict[str, str]:
    """The environment of a `trellis` process: this one's without its TRELLIS_ settings, the
    development secrets (a test), the metrics token and `settings`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TRELLIS_", "PROMETHEUS_"))}
    return clean | {
        "TRELLIS_ENVIRONMENT": "test", "TRELLIS_ERASURE_LEDGER": str(ledger_dir / "erasure-ledger.jsonl"),
        "TRELLIS_METRICS_TOKEN": METRICS_TOKEN,
    } | settings


def trellis(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "api.cli", *args], env=env, capture_output=True, text=True,
                          timeout=120)


class Process:
    """A long-running `trellis …` process, its output in a file, stopped (with its children) at the
    end: by the test's `stop()`, or, should the test never get there, when pytest exits."""

    running: set[Process] = set()

    def __init__(self, env: dict[str, str], log: Path, *args: str) -> None:
        self.log = log
        self._out = log.open("w")
        self.popen = subprocess.Popen([sys.executable, "-m", "api.cli", *args], env=env, stdout=self._out,
                                      stderr=subprocess.STDOUT, start_new_session=True)
        Process.running.add(self)

    def output(self) -> str:
        return self.log.read_text()

    def wait_for(self, url: str, status: int = 200, timeout: float = 60.0) -> httpx.Response:
        def answered() -> httpx.Response | None:
            if self.popen.poll() is not None:
                raise AssertionError(f"the process ended ({self.popen.returncode}):\n{self.output()[-3000:]}")
            try:
                response = httpx.get(url, timeout=10)
            except httpx.TransportError:
                return None
            return response if response.status_code == status else None

        try:
            return until(answered, timeout, f"{url} answering {status}", every=0.2)
        except AssertionError as failed:  # what the process said, to see why
            raise AssertionError(f"{failed}\n{self.output()[-3000:]}") from None

    def stop(self) -> None:
        """SIGTERM to the session this process leads (uvicorn's workers too), SIGKILL if it lingers;
        whatever it left in its session goes as well."""
        Process.running.discard(self)
        if self.popen.poll() is None:
            self._signal(15)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
        self._signal(9)  # the leader, had it lingered, and any child outliving it
        self.popen.wait(timeout=10)
        self._out.close()

    def _signal(self, number: int) -> None:
        try:
            os.killpg(self.popen.pid, number)
        except ProcessLookupError:
            pass  # the session is empty: nothing left to stop

    @staticmethod
    def stop_all() -> None:
        for process in list(Process.running):
            process.stop()


atexit.register(Process.stop_all)


class Proxy:
    """A TCP proxy in front of PostgreSQL: `stop()` takes the database away from whoever
    connects through it; `sent` counts the bytes clients sent towards the database."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.sent = 0
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self._running:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if not self._running:
                client.close()
                return
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets += [client, server]
            threading.Thread(target=self._pipe, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, False), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, counted: bool) -> None:
        try:
            while data := source.recv(65536):
                if counted:
                    with self._lock:
                        self.sent += len(data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self) -> None:
        """Refuses new connections and cuts every open one: the database is gone."""
        self._running = False
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept (close alone would not)
        except OSError:
            pass
        self._listener.close()
        with self._lock:
            for end in self._sockets:
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                end.close()
