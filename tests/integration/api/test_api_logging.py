"""structlog: JSON lines outside a terminal, ISO UTC timestamps, a request id on every line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import structlog

from api.logging import configure_logging
from domain import Actor, Role


@contextmanager
def logging_configured(*args, **kwargs) -> Iterator[None]:
    """`configure_logging(*args, **kwargs)` for the block, the root logger's handlers and level put back after."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        configure_logging(*args, **kwargs)
        yield
    finally:
        root.handlers = saved[0]
        root.setLevel(saved[1])


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

    def test_each_request_writes_one_line_with_its_route_template_status_and_duration(self, api, captured_logs):
        reader = Actor("admin-logging", Role.ADMINISTRATOR)
        missing = "0b0c5e3a-0000-4000-8000-000000000001"
        start = len(captured_logs.getvalue())
        answers = [api.client.get("/health"), api.get(f"/cases/{missing}", reader), api.client.get("/health")]
        handled = [r for r in lines(captured_logs, start) if r["event"] == "request_handled"]
        assert [r["request_id"] for r in handled] == [a.headers["x-request-id"] for a in answers]
        assert [(r["method"], r["route"], r["status"]) for r in handled] == [
            ("GET", "/health", 200), ("GET", "/cases/{case_id}", 404), ("GET", "/health", 200)]
        assert all(isinstance(r["duration_ms"], float | int) and r["duration_ms"] >= 0 for r in handled)
        assert not any(missing in json.dumps(r) for r in handled)  # the template, never the path asked for

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
        with logging_configured(json=True, stream=buffer):
            logging.getLogger("uvicorn.error").info("server_started")
        record = json.loads(buffer.getvalue().splitlines()[-1])
        assert record["event"] == "server_started" and record["logger"] == "uvicorn.error"
        assert record["timestamp"].endswith("Z") and record["level"] == "info"

    def test_uvicorns_access_log_stays_off_so_no_client_address_is_logged(self):
        buffer = io.StringIO()
        with logging_configured(json=True, stream=buffer):
            access = logging.getLogger("uvicorn.access")
            access.info('%s - "GET /health HTTP/1.1" 200', "203.0.113.7:50000")
            has_handlers = access.hasHandlers()  # what uvicorn asks before it writes an access line
        assert not has_handlers and "203.0.113.7" not in buffer.getvalue()

    def test_a_line_below_the_level_is_not_written(self):
        buffer = io.StringIO()
        with logging_configured("WARNING", json=True, stream=buffer):
            log = structlog.get_logger("trellis.level-test")
            log.info("quiet_line")
            log.warning("loud_line", count=2)
        written = [json.loads(line) for line in buffer.getvalue().splitlines()]
        assert [(r["event"], r["level"], r["count"]) for r in written] == [("loud_line", "warning", 2)]

    def test_our_lines_are_rendered_by_the_handler_they_reach(self):
        class Terminal(io.StringIO):
            def isatty(self) -> bool:
                return True

        first, root = io.StringIO(), logging.getLogger()
        saved = list(root.handlers)
        try:
            configure_logging(json=True, stream=first)
            kept = list(root.handlers)
            configure_logging(stream=Terminal())  # configured again, then the first handlers put back
            root.handlers = kept
            structlog.get_logger("trellis.render-test").info("json_again", n=1)
        finally:
            root.handlers = saved
        record = json.loads(first.getvalue().splitlines()[-1])
        assert (record["event"], record["n"], record["logger"]) == ("json_again", 1, "trellis.render-test")

    def test_a_terminal_gets_the_console_renderer(self):
        class Terminal(io.StringIO):
            def isatty(self) -> bool:
                return True

        stream = Terminal()
        with logging_configured(stream=stream):
            logging.getLogger("trellis.test").info("console_line")
        assert "console_line" in stream.getvalue()
        assert not stream.getvalue().lstrip().startswith("{")
