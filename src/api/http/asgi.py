"""The app each API worker builds for itself under `trellis serve --workers N`.

uvicorn starts every worker as a fresh process that imports this factory; the settings
are read from the environment `trellis serve` left for it (projections off: the worker
process keeps the read models), so every worker is configured alike.
"""

from __future__ import annotations

import atexit
import os

from fastapi import FastAPI

from api.http.app import create_app
from api.logging import configure_logging
from api.metrics import multiprocess
from api.settings import Settings


def create() -> FastAPI:
    configure_logging()
    if multiprocess():
        from prometheus_client import multiprocess as counted

        atexit.register(counted.mark_process_dead, os.getpid())  # its held-keys gauge leaves the sum
    return create_app(Settings())
