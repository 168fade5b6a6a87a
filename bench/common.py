"""What every benchmark shares: the connection, the raw baseline, the runner, the printer."""

from __future__ import annotations

import argparse
import math
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import count
from uuid import uuid4

import psycopg
from psycopg import sql

from api.bootstrap import init_database
from api.settings import Settings

RAW_TABLE = "bench_raw_events"

# -- connection ---------------------------------------------------------------------------------


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    pg = parser.add_argument_group("PostgreSQL")
    pg.add_argument("--host", default="127.0.0.1")
    pg.add_argument("--port", type=int, default=5432)
    pg.add_argument("--user", default="postgres")
    pg.add_argument("--password", default=os.environ.get("PGPASSWORD", ""), help="default: $PGPASSWORD")
    pg.add_argument("--dbname", default="trellis_bench", help="created, with its tables, if missing")
    run = parser.add_argument_group("timing")
    run.add_argument("--seconds", type=float, default=12.0, help="measured time per figure, over all rounds")
    run.add_argument("--rounds", type=int, default=6, help="slices per figure, the figures taken in turn")
    run.add_argument("--warmup", type=float, default=0.5, help="unmeasured time before each slice")
    parser.add_argument("--check", action="store_true", help="exit non-zero when a target is missed or not judged")
    parser.add_argument("--max-busy", type=float, default=0.25,
                        help="judge no target when others kept more than this share of the CPUs busy")


def settings_from(args: argparse.Namespace, **overrides: object) -> Settings:
    return Settings(
        environment="test", persistence="postgres", postgres_host=args.host, postgres_port=args.port,
        postgres_user=args.user, postgres_password=args.password, postgres_dbname=args.dbname,
        **overrides,
    )


def prepare_database(args: argparse.Namespace) -> None:
    """The database and the app's tables (once, by `init_database`) and the raw table."""
    init_database(settings_from(args))
    with connect(args, autocommit=True) as conn:
        conn.execute(sql.SQL(
            "CREATE TABLE IF NOT EXISTS {t} (originator_id uuid NOT NULL, originator_version bigint NOT NULL, "
            "topic text, state bytea, notification_id bigserial, PRIMARY KEY (originator_id, originator_version))"
        ).format(t=sql.Identifier(RAW_TABLE)))
        conn.execute(sql.SQL("CREATE UNIQUE INDEX IF NOT EXISTS {i} ON {t} (notification_id ASC)").format(
            i=sql.Identifier(f"{RAW_TABLE}_notification_id_idx"), t=sql.Identifier(RAW_TABLE)))


def connect(args: argparse.Namespace, autocommit: bool = False) -> psycopg.Connection:
    return psycopg.connect(
        host=args.host, port=args.port, user=args.user, password=args.password, dbname=args.dbname,
        autocommit=autocommit, connect_timeout=5,
    )


def connect_settings(settings: Settings, autocommit: bool = False) -> psycopg.Connection:
    """A connection to the database `settings` name (PostgreSQL)."""
    return psycopg.connect(host=settings.postgres_host, port=settings.postgres_port, user=settings.postgres_user,
                           password=settings.postgres_password.get_secret_value(), dbname=settings.postgres_dbname,
                           autocommit=autocommit)


def settle(settings: Settings) -> None:
    """VACUUM (ANALYZE) of the whole database, after a bulk load: the planner gets its
    statistics, and the visibility map and hint bits are set, as autovacuum leaves a database
    in use. A figure then measures the steady state, not the first reads after a load (which
    run without statistics and write hint bits as they go)."""
    with connect_settings(settings, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


def server_version(args: argparse.Namespace) -> str:
    with connect(args, autocommit=True) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


# -- the raw baseline -------------------------------------------------------------------------------

LOCK = sql.SQL("LOCK TABLE {t} IN EXCLUSIVE MODE").format(t=sql.Identifier(RAW_TABLE))
INSERT = sql.SQL(
    "INSERT INTO {t} (originator_id, originator_version, topic, state) VALUES (%s, %s, %s, %s) "
    "RETURNING notification_id"
).format(t=sql.Identifier(RAW_TABLE))


WorkerFactory = Callable[[int, ExitStack], Callable[[], None]]


def raw_locked_insert(
    args: argparse.Namespace, state_bytes: int, pipelined: bool
) -> WorkerFactory:
    """A worker factory for the raw limit. Each worker has its own connection; an operation is
    BEGIN; LOCK TABLE … IN EXCLUSIVE MODE (the lock the library's recorder takes); a single-row
    INSERT; COMMIT — sent statement by statement, or pipelined as the library sends them."""
    state = os.urandom(state_bytes)

    def make(_: int, stack: ExitStack) -> Callable[[], None]:
        conn = stack.enter_context(connect(args))
        stream, versions = uuid4(), count(1)

        def insert() -> None:
            with conn.transaction(), conn.cursor() as cur:
                cur.execute(LOCK, prepare=True)
                cur.execute(INSERT, (stream, next(versions), "bench:RawEvent", state), prepare=True)
                cur.fetchone()

        def insert_pipelined() -> None:
            with conn.pipeline() as pipeline, conn.transaction(), conn.cursor() as cur:
                cur.execute(LOCK, prepare=True)
                cur.execute(INSERT, (stream, next(versions), "bench:RawEvent", state), prepare=True)
                pipeline.sync()
                cur.fetchone()

        return insert_pipelined if pipelined else insert

    return make


# -- measuring -------------------------------------------------------------------------------------------


@dataclass
class Rate:
    label: str
    threads: int
    seconds: float
    latencies: list[float] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0–100) by nearest rank; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(p / 100 * len(ordered))))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Figure:
    label: str
    threads: int
    make_worker: WorkerFactory


def measure_in_turn(figures: Sequence[Figure], args: argparse.Namespace) -> list[Rate]:
    """Each figure in `args.rounds` slices, the figures taken in turn (reversed every other
    round), so a change in the machine's background load touches every figure alike."""
    totals = [Rate(f.label, f.threads, 0.0) for f in figures]
    for round_ in range(args.rounds):
        order = list(zip(figures, totals, strict=True))
        for figure, total in order if round_ % 2 == 0 else reversed(order):
            part = measure(figure.label, figure.make_worker, figure.threads, args.seconds / args.rounds, args.warmup)
            total.seconds += part.seconds
            total.latencies += part.latencies
    return totals


def measure(label: str, make_worker: WorkerFactory, threads: int, seconds: float, warmup: float) -> Rate:
    """Runs `threads` workers flat out; counts the operations finished in the measured window."""
    stop = threading.Event()
    start_line = threading.Barrier(threads + 1)

    def loop(operation: Callable[[], None]) -> list[tuple[float, float]]:
        done = []
        start_line.wait()
        try:
            while not stop.is_set():
                began = time.perf_counter()
                operation()
                ended = time.perf_counter()
                done.append((ended, ended - began))
        finally:
            stop.set()
        return done

    with ExitStack() as stack, ThreadPoolExecutor(threads) as pool:
        workers = [make_worker(index, stack) for index in range(threads)]
        futures = [pool.submit(loop, worker) for worker in workers]
        start_line.wait()
        window = time.perf_counter() + warmup
        stop.wait(warmup + seconds)
        stop.set()
        finished = [f.result() for f in futures]
    rate = Rate(label, threads, seconds)
    rate.latencies = [took for done in finished for ended, took in done if window <= ended < window + seconds]
    return rate


# -- printing --------------------------------------------------------------------------------------------------


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def background_busy(seconds: float = 1.0) -> float:
    """The share of all CPUs busy over `seconds` while this process only waits: others' work.
    Figures taken on a busy machine mean little. NaN where /proc/stat is missing."""

    def sample() -> tuple[int, int]:
        with open("/proc/stat") as stat:
            ticks = [int(n) for n in stat.readline().split()[1:9]]
        return ticks[3] + ticks[4], sum(ticks)

    try:
        idle_before, total_before = sample()
        time.sleep(seconds)
        idle_after, total_after = sample()
    except OSError:
        return float("nan")
    return 1 - (idle_after - idle_before) / max(1, total_after - total_before)


def print_table(title: str, rates: Sequence[Rate], ratios: Sequence[tuple[str, Rate, Rate]]) -> None:
    """Each rate with its latencies, then each ratio `label: numerator / denominator`."""
    print(f"\n{title}")
    print(f"{'measurement':<44} {'threads':>7} {'ops/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for r in rates:
        p50, p99 = (percentile(r.latencies, p) * 1000 for p in (50, 99))
        print(f"{r.label:<44} {r.threads:>7} {r.per_second:>9.1f} {p50:>8.2f} {p99:>8.2f}")
    for label, numerator, denominator in ratios:
        print(f"{label:<62} {numerator.per_second / denominator.per_second:>8.1%}")


def suite_main(
    prog: str, doc: str, add_arguments: Callable[[argparse.ArgumentParser], None],
    run: Callable[[argparse.Namespace], bool], argv: list[str] | None = None,
) -> int:
    """A suite run alone (`python -m bench.NAME`); `--check` fails the run on a missed target."""
    parser = argparse.ArgumentParser(prog=prog, description=doc.splitlines()[0])
    add_common_arguments(parser)
    add_arguments(parser)
    args = parser.parse_args(argv)
    met = run(args)
    return 1 if args.check and not met else 0
