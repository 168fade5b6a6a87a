"""Read-model rebuild rate beside a raw keyset read of the events table, and the
lag from commit to visible under a steady write load. Same run, same PostgreSQL.

Rebuild: each read model from the first event into shadow tables, then the swap — what
`trellis projections rebuild NAME` does. Raw: SELECT … WHERE notification_id > %s ORDER BY
notification_id LIMIT n, repeated to the end. Lag: writers record sessions at a steady
rate while the runner follows in a thread; each event's time from its commit to the
moment every read model has tracked it. Target: rebuild ≥ 10,000 events/s.
"""

from __future__ import annotations

import argparse
import queue
import sys
import threading
import time
from datetime import date

from psycopg import sql

from api.services import Trellis
from api.bootstrap import build_app
from bench.common import (
    connect, now, percentile, prepare_database, server_version, settings_from, suite_main,
)
from bench.world import ActivePartnership, active_partnerships
from projections import PROJECTIONS
from projections.rebuild import rebuild
from projections.runner import Runner

TARGET = 10_000
BATCH = 5000
EVENTS_PER_LIFECYCLE = 16


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("projections")
    group.add_argument("--events", type=int, default=50_000, help="events in the store before rebuilding")
    group.add_argument("--lag-rate", type=float, default=100.0, help="sessions recorded per second for the lag")
    group.add_argument("--lag-writers", type=int, default=2, help="threads sharing that rate")


def run(args: argparse.Namespace) -> bool:
    prepare_database(args)
    app = build_app(settings_from(args, postgres_pool_size=args.lag_writers + 4))
    try:
        partnerships = active_partnerships(app, 8 * args.lag_writers)
        _fill(app, partnerships, args.events)
        raw = _raw_keyset_rate(args, app.recorder.events_table_name)
        app_events = _topics(args, app.recorder.events_table_name)
        rebuilds = {cls.name: _rebuild_rate(app, cls) for cls in PROJECTIONS}
        lags = _lag(app, partnerships, args)
    finally:
        app.close()
    slowest = min(rate for _, rate in rebuilds.values())
    print(f"\nRead models — PostgreSQL {server_version(args)}, {now()}")
    print(f"{'measurement':<52} {'events':>9} {'events/s':>10}")
    print(f"{'raw: keyset read of the events table':<52} {raw[0]:>9} {raw[1]:>10.0f}")
    for name, (events, rate) in rebuilds.items():
        print(f"{'rebuild ' + name:<52} {events:>9} {rate:>10.0f}")
    print(f"{'slowest rebuild / raw read':<52} {'':>9} {slowest / raw[1]:>10.1%}")
    print(f"event mix: {_mix(app_events)}")
    print(f"lag from commit to visible in every read model, {args.lag_rate:.0f} sessions/s for "
          f"{args.seconds:.0f}s: p50 {percentile(lags, 50) * 1000:.1f} ms, p99 {percentile(lags, 99) * 1000:.1f} ms "
          f"({len(lags)} events)")
    met = slowest >= TARGET
    print(f"target: every rebuild ≥ {TARGET:,} events/s — {'met' if met else 'MISSED'}")
    return met


def _fill(app: Trellis, partnerships: list[ActivePartnership], events: int) -> None:
    """Fills the store to `events` events: about half whole lifecycles (EOI to a signed
    agreement, with personal data to decrypt), half confidential sessions."""
    missing = events - (app.recorder.max_notification_id() or 0)
    if missing <= 0:
        return
    print(f"recording {missing} events: lifecycles and sessions…", file=sys.stderr)

    def record(share: list[ActivePartnership], n: int) -> None:
        lifecycles = active_partnerships(app, n // 2 // EVENTS_PER_LIFECYCLE + 1)
        for i in range(n // 2):
            p = (share + lifecycles)[i % (len(share) + len(lifecycles))]
            app.record_session(p.id, date.today(), 60, "video", "notes " * 20, "actions", p.mentee)

    threads = [threading.Thread(target=record, args=(partnerships[i::4], missing // 4 + 1)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _raw_keyset_rate(args: argparse.Namespace, table: str) -> tuple[int, float]:
    query = sql.SQL(
        "SELECT notification_id, originator_id, originator_version, topic, state FROM {t} "
        "WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
    ).format(t=sql.Identifier(table))
    with connect(args, autocommit=True) as conn:
        started, after, read = time.perf_counter(), 0, 0
        while rows := conn.execute(query, (after, BATCH), prepare=True).fetchall():
            read, after = read + len(rows), rows[-1][0]
        return read, read / (time.perf_counter() - started)


def _topics(args: argparse.Namespace, table: str) -> dict[str, int]:
    query = sql.SQL("SELECT topic, COUNT(*) FROM {t} GROUP BY topic").format(t=sql.Identifier(table))
    with connect(args, autocommit=True) as conn:
        return {topic.rpartition(".")[2]: n for topic, n in conn.execute(query).fetchall()}


def _mix(counts: dict[str, int]) -> str:
    total = sum(counts.values()) or 1
    top = sorted(counts.items(), key=lambda kv: -kv[1])[:4]
    return ", ".join(f"{name} {n / total:.0%}" for name, n in top) + f", {len(counts)} event types"


def _rebuild_rate(app: Trellis, cls: type) -> tuple[int, float]:
    started = time.perf_counter()
    read = rebuild(app.recorder, app.mapper, cls(), batch_size=BATCH)
    return read, read / (time.perf_counter() - started)


def _lag(app: Trellis, partnerships: list[ActivePartnership], args: argparse.Namespace) -> list[float]:
    runner = Runner.for_app(app).start_in_thread()
    runner.wait(timeout=120)
    committed: queue.Queue[tuple[int, float] | None] = queue.Queue()
    lags: list[float] = []
    failures: list[BaseException] = []

    def observe() -> None:
        while (item := committed.get()) is not None:
            position, at = item
            runner.wait(position, timeout=60)
            lags.append(time.perf_counter() - at)

    def write(share: list[ActivePartnership]) -> None:
        interval = args.lag_writers / args.lag_rate
        deadline, next_at, i = time.perf_counter() + args.seconds, time.perf_counter(), 0
        try:
            while next_at < deadline:
                time.sleep(max(0.0, next_at - time.perf_counter()))  # the steady load's pace
                p = share[i % len(share)]
                recorded = app.record_session(p.id, date.today(), 45, "video", "notes", "actions", p.mentee)
                committed.put((recorded.position, time.perf_counter()))
                next_at, i = next_at + interval, i + 1
        except BaseException as error:  # a writer that stops must not pass for an idle one
            failures.append(error)

    observer = threading.Thread(target=observe)
    observer.start()
    writers = [threading.Thread(target=write, args=(partnerships[i :: args.lag_writers],))
               for i in range(args.lag_writers)]
    for t in writers:
        t.start()
    for t in writers:
        t.join()
    committed.put(None)
    observer.join()
    runner.stop()
    if failures:
        raise failures[0]
    return lags


def main(argv: list[str] | None = None) -> int:
    return suite_main("python -m bench.projections", __doc__, add_arguments, run, argv)


if __name__ == "__main__":
    sys.exit(main())
