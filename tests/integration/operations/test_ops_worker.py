"""The projection worker's own listener (`trellis projections run --metrics-port P`): /health says
whether the worker's loop still goes round; a port it cannot use is refused in one line."""

from __future__ import annotations

import socket
import time
from types import SimpleNamespace

import pytest
from pydantic import SecretStr

from api.cli.worker_metrics import WorkerCollector, wsgi_app
from api.settings import Settings
from ops_support import METRICS_TOKEN, trellis, trellis_env, value

SETTINGS = Settings(environment="test", metrics_token=SecretStr(METRICS_TOKEN))


def runner_last_round(seconds_ago: float) -> SimpleNamespace:
    """What the listener reads of a runner whose loop last went round `seconds_ago`."""
    return SimpleNamespace(
        heartbeat=time.monotonic() - seconds_ago, projections=[SimpleNamespace(name="dashboard")], errors={},
        positions=lambda: {"dashboard": 7}, head=lambda: 9,
    )


def get(app, path: str, **headers: str) -> tuple[str, str]:
    answered: dict[str, str] = {}
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET"} | {f"HTTP_{k.upper()}": v for k, v in headers.items()}
    body = b"".join(app(environ, lambda status, _headers: answered.setdefault("status", status)))
    return answered["status"], body.decode()


class TestTheWorkersHealth:
    def test_alive_while_its_loop_goes_round(self):
        app = wsgi_app(SETTINGS, WorkerCollector(runner_last_round(1.0), SimpleNamespace(cached_refs=lambda: 0)))
        assert get(app, "/health") == ("200 OK", "ok\n")

    def test_stalled_once_its_loop_has_not_gone_round_for_half_a_minute(self):
        app = wsgi_app(SETTINGS, WorkerCollector(runner_last_round(31.0), SimpleNamespace(cached_refs=lambda: 0)))
        assert get(app, "/health") == ("503 Service Unavailable", "stalled\n")

    def test_its_metrics_give_the_lag_and_the_keys_held_to_the_tokens_bearer(self):
        app = wsgi_app(SETTINGS, WorkerCollector(runner_last_round(1.0), SimpleNamespace(cached_refs=lambda: 3)))
        status, text = get(app, "/metrics", authorization=f"Bearer {METRICS_TOKEN}")
        assert status == "200 OK"
        assert value(text, "trellis_projection_lag_events", read_model="dashboard") == 2
        assert value(text, "trellis_projection_position", read_model="dashboard") == 7
        assert value(text, "trellis_key_cache_keys") == 3
        assert get(app, "/metrics")[0] == "401 Unauthorized"


class TestItsPort:
    def test_a_port_in_use_is_refused_in_one_line(self, tmp_path):
        env = trellis_env(tmp_path, TRELLIS_PERSISTENCE="sqlite", TRELLIS_DATA_DIR=str(tmp_path))
        assert trellis(env, "db", "init").returncode == 0
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            result = trellis(env, "projections", "run", "--metrics-port", str(taken.getsockname()[1]))
        assert result.returncode == 2
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith("trellis: cannot serve /health and /metrics on 127.0.0.1:") and "in use" in line

    @pytest.mark.parametrize("port", ["65536", "-1", "http"])
    def test_a_port_that_is_no_port_is_refused(self, tmp_path, port):
        env = trellis_env(tmp_path, TRELLIS_PERSISTENCE="sqlite", TRELLIS_DATA_DIR=str(tmp_path))
        result = trellis(env, "projections", "run", "--metrics-port", port)
        assert result.returncode == 2 and "a port number, 0 to 65535" in result.stderr
        assert "Traceback" not in result.stderr
