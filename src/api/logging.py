"""structlog, configured once: the same processors for our own lines and the stdlib's.

`merge_contextvars` comes first so a request id bound in middleware is on every line;
timestamps are ISO 8601 in UTC; a terminal gets the console renderer, anything else
JSON. uvicorn's and psycopg's loggers go through the same chain. Event names are
snake_case and carry ids only, never names, e-mail addresses or session content.

Our own events go through structlog's processors to `LineWriter`, which hands them to the
root logger's handlers: ours renders and writes them with no stdlib record made on the way
(that record, and a copy of it made by the formatter, were most of a line's cost, and every
request writes one). A level
set on a stdlib logger of the same name, or on the root, filters them as before. uvicorn's
own access log stays off, under every server setting: `request_handled` is the access log,
and uvicorn's line would name the client's address.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

ROUTED_LOGGERS = ("uvicorn", "uvicorn.error", "psycopg", "psycopg.pool", "eventsourcing")
SILENCED_LOGGERS = ("uvicorn.access",)
LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "msg": logging.INFO, "warning": logging.WARNING,
          "warn": logging.WARNING, "error": logging.ERROR, "exception": logging.ERROR,
          "critical": logging.CRITICAL, "fatal": logging.CRITICAL}


def _drop_color_message(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    event.pop("color_message", None)  # uvicorn's duplicate of the message, with terminal colours
    return event


def _enabled(logger: Any, method_name: str, event: dict[str, Any]) -> dict[str, Any]:
    """First in our own chain: a line below its logger's level costs nothing more."""
    if not logger.enabled(method_name):
        raise structlog.DropEvent
    return event


JSON = structlog.processors.JSONRenderer()
SHARED: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.stdlib.ExtraAdder(),
    _drop_color_message,
]


def _to_writer(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    """Last in our own chain: the event goes to `LineWriter` whole; each handler renders it."""
    return {"event": event}


class LineHandler(logging.StreamHandler):
    """The handler `configure_logging` installs: its renderer writes our own events to its stream
    as it does the stdlib's records (through its formatter)."""

    def __init__(self, stream: Any, renderer: Any) -> None:
        super().__init__(stream)
        self.renderer = renderer

    def write(self, name: str, method_name: str, event: dict[str, Any]) -> None:
        line = self.renderer(name, method_name, dict(event))
        with self.lock:  # type: ignore[union-attr]
            self.stream.write(line + self.terminator)
            self.flush()


class LineWriter:
    """structlog's logger for our own events, named like a stdlib logger (and filtered by its
    level): each goes to the root logger's handlers, rendered by a `LineHandler` straight to
    its stream, or as a JSON record to any other (a test's capture, say)."""

    def __init__(self, name: str | None = None, *_: Any) -> None:
        self.name = name or "root"
        self._stdlib = logging.getLogger(name)

    def enabled(self, method_name: str) -> bool:
        return self._stdlib.isEnabledFor(LEVELS.get(method_name, logging.INFO))

    def _write(self, level: int, method_name: str, event: dict[str, Any]) -> None:
        for handler in logging.getLogger().handlers:
            if level < handler.level:
                continue
            if isinstance(handler, LineHandler):
                handler.write(self.name, method_name, event)
            else:
                line = JSON(self.name, method_name, dict(event))
                handler.handle(logging.LogRecord(self.name, level, "", 0, line, None, None))

    def debug(self, event: dict[str, Any]) -> None:
        self._write(logging.DEBUG, "debug", event)

    def info(self, event: dict[str, Any]) -> None:
        self._write(logging.INFO, "info", event)

    msg = info

    def warning(self, event: dict[str, Any]) -> None:
        self._write(logging.WARNING, "warning", event)

    warn = warning

    def error(self, event: dict[str, Any]) -> None:
        self._write(logging.ERROR, "error", event)

    exception = error

    def critical(self, event: dict[str, Any]) -> None:
        self._write(logging.CRITICAL, "critical", event)

    fatal = critical


def configure_logging(level: str = "INFO", *, json: bool | None = None, stream: Any = None) -> None:
    """Idempotent; `json=None` picks JSON unless the stream is a terminal."""
    stream = stream or sys.stderr
    if json is None:
        json = not (hasattr(stream, "isatty") and stream.isatty())
    renderer = JSON if json else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[_enabled, *SHARED, structlog.processors.format_exc_info, _to_writer],
        logger_factory=LineWriter,
        wrapper_class=structlog.make_filtering_bound_logger(logging.NOTSET),  # `_enabled` filters, by name
        cache_logger_on_first_use=True,
    )
    handler = LineHandler(stream, renderer)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=SHARED,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    for name in ROUTED_LOGGERS:
        routed = logging.getLogger(name)
        routed.handlers = []
        routed.propagate = True
    for name in SILENCED_LOGGERS:
        silenced = logging.getLogger(name)
        silenced.handlers = []
        silenced.propagate = False


def get_logger(name: str) -> Any:
    """A structlog logger named `name` (`info`, `warning`, `error`, `exception`, …, with key-value pairs)."""
    return structlog.get_logger(name)
