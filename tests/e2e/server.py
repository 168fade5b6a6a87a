"""The real app served by uvicorn in a thread on 127.0.0.1, on a free port."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import httpx
import psycopg
import uvicorn
from psycopg import sql

from api.bootstrap import init_database
from api.http.app import create_app
from api.settings import Settings


def fresh_settings(request: Any, tmp_path_factory: Any, name: str) -> Settings:
    """Settings for a database of the test module's own, made fresh and initialised, on the
    backend the fixture is parametrised with: SQLite in a new folder, or the PostgreSQL test
    database's name with `_<name>` (dropped first; `pg_settings` skips, or fails under CI,
    without a server)."""
    if request.param == "sqlite":
        settings = Settings(environment="test", persistence="sqlite", data_dir=tmp_path_factory.mktemp(name))
    else:
        base = request.getfixturevalue("pg_settings")
        settings = base.model_copy(update={"postgres_dbname": f"{base.postgres_dbname}_{name}"})
        with psycopg.connect(
            host=settings.postgres_host, port=settings.postgres_port, user=settings.postgres_user,
            password=settings.postgres_password.get_secret_value(), dbname="postgres", autocommit=True,
        ) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(settings.postgres_dbname)))
    init_database(settings)
    return settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    def __init__(self, settings: Settings, **composition: Any) -> None:
        """`composition`: what `create_app` takes besides settings (as `trellis demo` passes)."""
        self.settings = settings
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(settings, **composition), host="127.0.0.1", port=self.port, log_config=None, access_log=False,
            lifespan="on", timeout_graceful_shutdown=5,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="e2e-uvicorn", daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:  # uvicorn sets this once the socket listens
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the app did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=10)
