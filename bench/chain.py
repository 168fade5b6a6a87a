"""The hash chain's costs — verifying beside raw SHA-256, writing with and without it.

Verification: a history of `--chain-events` events (default 1,000,000) of `--chain-state-bytes`
each, in a database of its own (`<dbname>_chain`, kept between runs while its size is right),
linked by `trellis db init`'s own code; `trellis audit verify`'s walk over all of it, timed,
beside raw SHA-256 over the same bytes in the same run: the same payloads, read from the
database into memory first, each hashed after the previous digest exactly as the chain hashes
them (no database, no comparison: the floor of any verification); and, for context, SHA-256
over the same bytes as one buffer (OpenSSL's streaming rate, with no per-event call at all).
The three are measured in turn, `--chain-rounds` times, and compared by their medians.
Target: verification ≥ 50 % of the raw per-event rate.

Write path: `bench.events`' command (`record_session`, real encryption) with the chain and
without it — a second app on the same database whose recorder leaves the link statement out
(`<dbname>_chain_write`, never verified) — measured in turn, at 1 and at 4 writers (threads)
as `bench.events` is. Target: with ≥ 90 % of without, at each.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date

from api.bootstrap import build_app, init_database
from api.persistence.chain import CHAIN, GENESIS
from api.persistence.chain_history import History, events_table, snapshot
from api.persistence.chain_verify import verify_chain
from api.persistence.recorders import COLUMNS, OneTripRecorder
from api.settings import Settings
from bench.common import (
    Figure, background_busy, connect_settings, measure_in_turn, now, print_table, server_version, settings_from,
    settle, suite_main,
)
from bench.events import ACTIONS, NOTES, _recording
from bench.world import active_partnerships
from projections.sql import Store

VERIFY_TARGET = 0.50
WRITE_TARGET = 0.90
FILL_BATCH = 50_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("chain")
    group.add_argument("--chain-events", type=int, default=1_000_000, help="events in the verified history")
    group.add_argument("--chain-state-bytes", type=int, default=600, help="the state size of each of them")
    group.add_argument("--chain-rounds", type=int, default=5,
                       help="raw SHA-256 and the verification measured in turn this many times (medians)")
    group.add_argument("--chain-processes", type=int, default=Settings.model_fields["audit_verify_processes"].default,
                       help="parts verified at once (default: TRELLIS_AUDIT_VERIFY_PROCESSES's)")
    group.add_argument("--chain-threads", type=int, nargs="+", default=[1, 4],
                       help="writers (threads) to measure, with and without the chain, as bench.events does")
    group.add_argument("--chain-partnerships-per-thread", type=int, default=4)


def run(args: argparse.Namespace) -> bool:
    busy_before = background_busy()
    verified = _verification(args)
    written = _write_path(args)
    busy_after = background_busy()
    version = server_version(_named(args, args.dbname + "_chain"))
    print(f"\nchain · {now()} · PostgreSQL {version} · {os.cpu_count()} CPUs; other work kept "
          f"{busy_before:.0%} of them busy before the run and {busy_after:.0%} after")
    print(f"{'verification of':<44} {'events':>10} {'MB':>8} {'seconds':>8} {'MB/s':>8} {'events/s':>10}")
    for label, took in (("trellis audit verify (database → verdict)", verified.verify_seconds),
                        ("raw SHA-256, per event as chained (memory)", verified.chained_seconds),
                        ("raw SHA-256, one buffer (memory)", verified.buffer_seconds)):
        print(f"{label:<44} {verified.events:>10} {verified.megabytes:>8.1f} {took:>8.2f} "
              f"{verified.megabytes / took:>8.1f} {verified.events / took:>10.0f}")
    verify_share = verified.chained_seconds / verified.verify_seconds
    print(f"{'verification / raw per event':<62} {verify_share:>8.1%}")
    print(f"{'verification / raw one buffer':<62} {verified.buffer_seconds / verified.verify_seconds:>8.1%}")
    pairs = list(zip(written[::2], written[1::2], strict=True))  # (with, without) for each number of writers
    print_table(f"write path · {args.seconds:g} s per figure in {args.rounds} rounds", written,
                [(f"with the chain / without it, {chained.threads} writer(s)", chained, plain)
                 for chained, plain in pairs])
    if max(busy_before, busy_after) > args.max_busy:
        print(f"targets: not judged: the machine was busy with other work (over {args.max_busy:.0%})")
        return False
    verify_met = verified.ok and verify_share >= VERIFY_TARGET
    print(f"target: verification ≥ {VERIFY_TARGET:.0%} of raw SHA-256 per event: {'met' if verify_met else 'MISSED'}")
    write_met = True
    for chained, plain in pairs:
        met = chained.per_second >= WRITE_TARGET * plain.per_second
        print(f"target: {chained.threads} writer(s): writing with the chain ≥ {WRITE_TARGET:.0%} of without: "
              f"{'met' if met else 'MISSED'}")
        write_met = write_met and met
    return verify_met and write_met


# -- verifying -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Verified:
    ok: bool
    events: int
    megabytes: float
    verify_seconds: float
    chained_seconds: float
    buffer_seconds: float


def _verification(args: argparse.Namespace) -> Verified:
    """Raw SHA-256 and the verification in turn, `--chain-rounds` times; the median of each."""
    settings = _history_of(args, args.chain_events, args.chain_state_bytes)
    app = build_app(settings)
    try:
        store = Store.beside(app.recorder)
        events = events_table(app.recorder)
        with snapshot(store, events) as history:
            payloads = _payloads(history)
        joined = b"".join(payloads)
        size = len(joined) + 32 * len(payloads)  # each event's payload after the previous link
        chained, buffered, verified, verdict = [], [], [], None
        for _ in range(args.chain_rounds):
            chained.append(_timed(lambda: _chained(payloads)))
            buffered.append(_timed(lambda: hashlib.sha256(joined).digest()))
            with snapshot(store, events) as history:
                began = time.perf_counter()
                verdict = verify_chain(history, processes=args.chain_processes)
                verified.append(time.perf_counter() - began)
        del joined, payloads
    finally:
        app.close()
    if not verdict.ok:
        print(f"the bench history does not verify: {verdict.problem} at {verdict.position}", file=sys.stderr)
    return Verified(verdict.ok, verdict.verified, size / 1e6, statistics.median(verified), statistics.median(chained),
                    statistics.median(buffered))


def _payloads(history: History) -> list[bytes]:
    payloads: list[bytes] = []
    for page in history.pages():
        payloads += page.payloads
    return payloads


def _chained(payloads: list[bytes]) -> bytes:
    previous, sha256 = GENESIS, hashlib.sha256
    for row in payloads:
        previous = sha256(previous + row).digest()
    return previous


def _timed(work) -> float:
    began = time.perf_counter()
    work()
    return time.perf_counter() - began


def _history_of(args: argparse.Namespace, events: int, state_bytes: int):
    """The verification's own database, holding exactly `events` linked events (rebuilt otherwise)."""
    settings = settings_from(_named(args, f"{args.dbname}_chain"))
    init_database(settings)
    app = build_app(settings)
    try:
        table = events_table(app.recorder)
    finally:
        app.close()
    with connect_settings(settings) as conn:
        count, size = conn.execute(f"SELECT count(*), COALESCE(min(length(state)), 0) FROM {table}").fetchone()
        linked = conn.execute(f"SELECT count(*) FROM {CHAIN.name}").fetchone()[0]
        if (count, size, linked) == (events, state_bytes, events):
            return settings
        print(f"chain: writing a history of {events} events of {state_bytes} bytes (once)", file=sys.stderr)
        conn.execute(f"TRUNCATE {table}, {CHAIN.name} RESTART IDENTITY")
        for start in range(0, events, FILL_BATCH):
            conn.execute(
                f"INSERT INTO {table} (originator_id, originator_version, topic, state) "
                f"SELECT md5('bench' || (i %% 1000))::uuid, i / 1000 + 1, 'domain.partnership:Partnership.SessionHeld', "
                f"substring(decode(repeat(md5(i::text), %s::int), 'hex') FOR %s::int) "
                f"FROM generate_series(%s::bigint, %s::bigint) AS i ORDER BY i",
                (state_bytes // 16 + 1, state_bytes, start, min(events, start + FILL_BATCH) - 1))
            conn.commit()
    init_database(settings)  # links the history it finds unlinked, as `trellis db init` does
    settle(settings)
    return settings


def _named(args: argparse.Namespace, dbname: str) -> argparse.Namespace:
    return argparse.Namespace(**{**vars(args), "dbname": dbname})


# -- writing ---------------------------------------------------------------------------------------
def _write_path(args: argparse.Namespace) -> list:
    """With the chain and without it, for each number of writers in turn: [with, without, …]."""
    most = max(args.chain_threads)
    settings = settings_from(_named(args, f"{args.dbname}_chain_write"), postgres_pool_size=most + 2)
    init_database(settings)
    chained, plain = build_app(settings), build_app(settings)
    _unlinked(plain.recorder)
    try:
        per = args.chain_partnerships_per_thread
        workers = []
        for label, app in (("Trellis: record_session, with the chain", chained),
                           ("Trellis: record_session, without it", plain)):
            partnerships = active_partnerships(app, most * per)
            for p in partnerships:  # a first session each: the aggregates cached, as in bench.events
                app.record_session(p.id, date.today(), 60, "video", NOTES, ACTIONS, p.mentee)
            workers.append((label, _recording(app, partnerships, per)))
        rates = []
        for threads in args.chain_threads:
            rates += measure_in_turn([Figure(label, threads, make) for label, make in workers], args)
        return rates
    finally:
        chained.close()
        plain.close()


def _unlinked(recorder: OneTripRecorder) -> None:
    """The same one-trip write of the same rows, its prepared INSERT without the link."""
    recorder._statements[recorder.WRITE_ONE] = (
        f"({recorder.datastore.originator_id_type}, bigint, text, bytea) AS WITH new AS (INSERT INTO "
        f"{recorder._events} ({COLUMNS}) VALUES ($1, $2, $3, $4) RETURNING notification_id) "
        f"SELECT notification_id FROM new")


def main(argv: list[str] | None = None) -> int:
    return suite_main("python -m bench.chain", __doc__, add_arguments, run, argv)


if __name__ == "__main__":
    sys.exit(main())
