"""`trellis serve --workers N`: N API processes on one PostgreSQL, the projection worker apart.

Every worker is a process of its own (uvicorn's supervisor restarts one that dies), built
from the environment by `api.http.asgi:create`. Nothing a worker caches can go stale: a
cached aggregate is fast-forwarded from the store on every load, a destroyed key is dropped
on PostgreSQL NOTIFY (and re-checked after a second), idempotency records and the read
models' positions live in the database. Metrics are counted per worker in a shared
directory and added up when scraped (`api.metrics`).
"""

from __future__ import annotations

import argparse
import os
import sys

from api.settings import Settings

FACTORY = "api.http.asgi:create"


def refusal(args: argparse.Namespace, settings: Settings) -> str | None:
    """Why these settings cannot run several workers, or None."""
    if settings.persistence != "postgres":
        return "--workers above 1 needs TRELLIS_PERSISTENCE=postgres (SQLite serves one process)"
    if not args.no_projections:
        return "--workers above 1 needs --no-projections, with `trellis projections run` as a process of its own"
    return None


def serve_workers(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.logging import configure_logging
    from api.metrics import prepare_multiprocess_dir

    refused = refusal(args, settings)
    if refused is not None:
        print(f"trellis: {refused}", file=sys.stderr)
        return 2
    os.environ["TRELLIS_RUN_PROJECTIONS"] = "false"  # read by every worker's settings
    prepare_multiprocess_dir()
    configure_logging()
    uvicorn.run(FACTORY, factory=True, host=args.host, port=args.port, workers=args.workers,
                log_config=None, access_log=False)
    return 0
