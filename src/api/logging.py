"""structlog, configured once: the same processors for our own lines and the stdlib's.

`merge_contextvars` comes first so a request id bound in middleware is on every line;
timestamps are ISO 8601 in UTC; a terminal gets the console renderer, anything else
JSON. uvicorn's and psycopg's loggers go through the same chain. Event names are
snake_case and carry ids only, never names, e-mail addresses or session content.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

ROUTED_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "psycopg", "psycopg.pool", "eventsourcing")



def _drop_color_message(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    event.pop("color_message", None)  # uvicorn's duplicate of the message, with terminal colours
    return event


SHARED: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.stdlib.ExtraAdder(),
    _drop_color_message,
]


def configure_logging(level: str = "INFO", *, json: bool | None = None, stream: Any = None) -> None:
    """Idempotent; `json=None` picks JSON unless the stream is a terminal."""
    stream = stream or sys.stderr
    if json is None:
        json = not (hasattr(stream, "isatty") and stream.isatty())
    renderer = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[*SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(stream)
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


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.stdlib.get_logger(name)
