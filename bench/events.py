"""Trellis recording sessions beside the raw locked-insert limit, in one process.

Raw: BEGIN; LOCK TABLE … IN EXCLUSIVE MODE; a single-row INSERT; COMMIT — the lock the
library's PostgreSQL recorder takes for every write. Trellis: `record_session` on active
partnerships, each thread on its own partnerships, one shared app, real encryption.
Target: Trellis at 4 threads ≥ 40 % of raw at 4 connections.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from contextlib import ExitStack
from datetime import date
from itertools import cycle

from psycopg import sql

from api.services import Trellis
from api.bootstrap import build_app
from bench.common import (
    Figure, Rate, WorkerFactory, background_busy, connect, measure_in_turn, now, prepare_database,
    print_table, raw_locked_insert, server_version, settings_from, suite_main,
)
from bench.floor import Floor, floor_app, noting
from bench.world import ActivePartnership, active_partnerships

TARGET = 0.40
NOTES = "Talked through the timetable change and how to bring the department with us. " * 3
ACTIONS = "Draft the consultation note; observe a Year 9 lesson together before the next session."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("events")
    group.add_argument("--threads", type=int, nargs="+", default=[1, 4], help="thread counts to measure")
    group.add_argument("--partnerships-per-thread", type=int, default=4)
    group.add_argument("--pool-size", type=int, default=0, help="app connection pool (default: threads + 2)")


def run(args: argparse.Namespace) -> bool:
    prepare_database(args)
    floor_app(settings_from(args), create_table=True).close()
    busy_before = background_busy()
    settings = settings_from(args, postgres_pool_size=args.pool_size or max(args.threads) + 2)
    app, floor = build_app(settings), floor_app(settings)
    try:
        partnerships = active_partnerships(app, max(args.threads) * args.partnerships_per_thread)
        state_bytes = _session_event_size(app, args, partnerships)
        figures = _figures(args, app, floor, partnerships, state_bytes)
        rates = dict(zip(figures, measure_in_turn(list(figures.values()), args), strict=True))
    finally:
        app.close()
        floor.close()
    busy_after = background_busy()
    print_table(
        f"events · {now()} · PostgreSQL {server_version(args)} · {args.seconds:g} s per figure"
        f" in {args.rounds} rounds · raw rows of {state_bytes} bytes\n{os.cpu_count()} CPUs; other work kept"
        f" {busy_before:.0%} of them busy before the run and {busy_after:.0%} after",
        list(rates.values()),
        [(f"{name} / faster raw at {t}", rates[kind, t, False], _faster_raw(rates, t))
         for kind, name in (("trellis", "Trellis"), ("floor", "eventsourcing alone")) for t in args.threads],
    )
    if max(busy_before, busy_after) > args.max_busy:
        print(f"target: not judged: the machine was busy with other work (over {args.max_busy:.0%})")
        return False
    most = max(args.threads)
    met = rates["trellis", most, False].per_second >= TARGET * _faster_raw(rates, most).per_second
    print(f"target: Trellis at {most} ≥ {TARGET:.0%} of raw at {most}: {'met' if met else 'MISSED'}")
    return met


def _figures(
    args: argparse.Namespace, app: Trellis, floor: Floor, partnerships: list[ActivePartnership], state_bytes: int
) -> dict[tuple[str, int, bool], Figure]:
    per_thread = args.partnerships_per_thread
    figures = {}
    for t in args.threads:
        for pipelined in (False, True):
            figures["raw", t, pipelined] = Figure(
                f"raw: lock, insert, commit{', pipelined' if pipelined else ''}", t,
                raw_locked_insert(args, state_bytes, pipelined),
            )
    for t in args.threads:
        figures["floor", t, False] = Figure(
            "eventsourcing alone: plain aggregate", t, noting(floor, per_thread, NOTES, ACTIONS)
        )
    for t in args.threads:
        figures["trellis", t, False] = Figure("Trellis: record_session", t, _recording(app, partnerships, per_thread))
    return figures


def _faster_raw(rates: dict[tuple[str, int, bool], Rate], threads: int) -> Rate:
    return max(rates["raw", threads, False], rates["raw", threads, True], key=lambda r: r.per_second)


def _recording(app: Trellis, partnerships: list[ActivePartnership], per_thread: int) -> WorkerFactory:
    def make(index: int, _: ExitStack) -> Callable[[], None]:
        mine = cycle(partnerships[index * per_thread:(index + 1) * per_thread])

        def record() -> None:
            p = next(mine)
            app.record_session(p.id, date.today(), 60, "video", NOTES, ACTIONS, p.mentee)

        return record

    return make


def _session_event_size(app: Trellis, args: argparse.Namespace, partnerships: list[ActivePartnership]) -> int:
    """Records one session per partnership; returns the stored size of such an event."""
    for p in partnerships:
        app.record_session(p.id, date.today(), 60, "video", NOTES, ACTIONS, p.mentee)
    query = sql.SQL("SELECT length(state) FROM {t} WHERE originator_id = %s ORDER BY originator_version DESC LIMIT 1")
    with connect(args, autocommit=True) as conn:
        row = conn.execute(query.format(t=sql.Identifier(app.recorder.events_table_name)), (partnerships[0].id,))
        return row.fetchone()[0]


def main(argv: list[str] | None = None) -> int:
    return suite_main("python -m bench.events", __doc__, add_arguments, run, argv)


if __name__ == "__main__":
    sys.exit(main())
