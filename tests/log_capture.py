"""Every log line written inside a block, as JSON, with the logging set-up put back after it."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from api.logging import configure_logging


@contextmanager
def logs_as_json(level: str) -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    buffer = io.StringIO()
    configure_logging(level, json=True, stream=buffer)
    try:
        yield buffer
    finally:
        root.handlers, _ = saved
        root.setLevel(saved[1])
