"""structlog: JSON lines outside a terminal, ISO UTC timestamps, a request id on every line."""

from __future__ import annotations

import io
import json
import logging

from api.logging import configure_logging
from domain import Actor, Role


def lines(buffer: io.StringIO, start: int) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue()[start:].splitlines() if line.strip()]


class TestRequestLogging:
    def test_every_line_of_a_request_carries_its_id_which_the_response_returns(self, api, captured_logs):
        start = len(captured_logs.getvalue())
        response = api.get("/line-manager/reports", Actor("lm-logging", Role.LINE_MANAGER))
        request_id = response.headers["x-request-id"]
        records = [r for r in lines(captured_logs, start) if r.get("logger") == "trellis.http"]
        assert records and all(r["request_id"] == request_id for r in records)
        handled = [r for r in records if r["event"] == "request_handled"]
        assert handled[0]["route"] == "/line-manager/reports" and handled[0]["status"] == 200
        assert handled[0]["timestamp"].endswith("Z")

    def test_a_well_formed_incoming_request_id_is_kept_and_a_strange_one_replaced(self, api):
        kept = api.client.get("/health", headers={"X-Request-ID": "abc123-from-the-proxy"})
        assert kept.headers["x-request-id"] == "abc123-from-the-proxy"
        replaced = api.client.get("/health", headers={"X-Request-ID": "<script>"})
        assert replaced.headers["x-request-id"] != "<script>"

    def test_a_refused_request_is_logged_with_ids_and_status_only(self, api, captured_logs):
        start = len(captured_logs.getvalue())
        api.post("/cases", Actor("mentee-logging", Role.MENTEE), {"details": {"name": "Secret Name"}})
        text = captured_logs.getvalue()[start:]
        assert '"status": 403' in text and "Secret Name" not in text


class TestConfiguration:
    def test_stdlib_loggers_share_the_json_renderer(self):
        buffer = io.StringIO()
        root = logging.getLogger()
        saved = list(root.handlers)
        try:
            configure_logging(json=True, stream=buffer)
            logging.getLogger("uvicorn.error").info("server_started")
        finally:
            root.handlers = saved
        record = json.loads(buffer.getvalue().splitlines()[-1])
        assert record["event"] == "server_started" and record["logger"] == "uvicorn.error"
        assert record["timestamp"].endswith("Z") and record["level"] == "info"

    def test_a_terminal_gets_the_console_renderer(self):
        class Terminal(io.StringIO):
            def isatty(self) -> bool:
                return True

        stream, root = Terminal(), logging.getLogger()
        saved = list(root.handlers)
        try:
            configure_logging(stream=stream)
            logging.getLogger("trellis.test").info("console_line")
        finally:
            root.handlers = saved
        assert "console_line" in stream.getvalue()
        assert not stream.getvalue().lstrip().startswith("{")
