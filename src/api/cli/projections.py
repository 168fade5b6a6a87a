"""`trellis projections run|status|rebuild NAME|--all`: the read models' worker and tools."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import Any

from api.settings import Settings

BAR_WIDTH = 30


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("projections", help="the read models").add_subparsers(dest="projections_command", required=True)
    run_parser = group.add_parser("run", help="follow the events and keep every read model up to date")
    run_parser.add_argument("--metrics-port", type=_port, default=0,
                            help="serve /health and /metrics on this port (default 0: not at all)")
    run_parser.add_argument("--metrics-host", default="127.0.0.1", help="the address to serve them on")
    run_parser.set_defaults(handler=run)
    group.add_parser("status", help="each read model's position, the head and the lag").set_defaults(handler=status)
    rebuild_parser = group.add_parser("rebuild", help="drop and rebuild read models while the others keep serving")
    which = rebuild_parser.add_mutually_exclusive_group(required=True)
    which.add_argument("name", nargs="?", help="the read model to rebuild")
    which.add_argument("--all", action="store_true", help="rebuild every read model")
    rebuild_parser.set_defaults(handler=rebuild)


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError("a port number, 0 to 65535")
    return int(text)


def _app(settings: Settings) -> Any:
    from api.bootstrap import build_app

    return build_app(settings)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from api import collector
    from api.checkpointing import CheckpointSchedule
    from api.logging import configure_logging
    from projections.runner import Runner

    configure_logging()
    app = _app(settings)
    app.follow_erasures()
    runner = Runner.for_app(app, gather_seconds=settings.projections_gather_ms / 1000)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: runner.stop())
    metrics = None
    schedule = CheckpointSchedule.start_for(app, settings)  # signed checkpoints, beside the projections
    try:
        if args.metrics_port:
            from api.cli.worker_metrics import serve_metrics

            try:
                metrics = serve_metrics(settings, runner, app.keys, args.metrics_host, args.metrics_port)
            except OSError as error:
                print(f"trellis: cannot serve /health and /metrics on {args.metrics_host}:{args.metrics_port}: "
                      f"{error.strerror or error}", file=sys.stderr)
                return 2
        with collector.serving():
            runner.run()
    finally:
        if metrics is not None:
            metrics.shutdown()
            metrics.server_close()
        if schedule is not None:
            schedule.stop()
        app.close()
    return 0


def status(args: argparse.Namespace, settings: Settings) -> int:
    from projections.status import positions

    app = _app(settings)
    try:
        rows = positions(app.recorder)
    finally:
        app.close()
    print(f"{'read model':<16}{'position':>12}{'head':>12}{'lag':>10}")
    for row in rows:
        print(f"{row.name:<16}{row.position:>12}{row.head:>12}{row.lag:>10}")
    return 0


def rebuild(args: argparse.Namespace, settings: Settings) -> int:
    from projections import PROJECTIONS, projection_named
    from projections.rebuild import rebuild as rebuild_one

    classes = list(PROJECTIONS) if args.all else [projection_named(args.name)]
    app = _app(settings)
    try:
        for cls in classes:
            read = rebuild_one(app.recorder, app.mapper, cls(), progress=_bar(cls.name))
            print(f"\nrebuilt {cls.name}: {read} events", file=sys.stderr)
    finally:
        app.close()
    return 0


def _bar(name: str) -> Any:
    def show(done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        percent = 100 * done // total if total else 100
        print(f"\r{name:<14} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {percent:3d}% {done}/{total}",
              end="", file=sys.stderr, flush=True)

    return show
