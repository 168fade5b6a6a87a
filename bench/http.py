"""The HTTP API under load from `wrk`, beside a bare FastAPI app served the same way.

On the PostgreSQL database `trellis_bench`, a programme of `--cases` cases (100,000 by
default; `bench.programme` writes it through the domain in bulk, once) and `--pairs`
active partnerships. For each worker count in `--workers` (1 and 2): the bare app
(`bench.bare`, one trivial route) and then Trellis (`trellis serve --no-projections
[--workers N]`, the projection worker its own process), each under uvicorn with the same
settings, are driven by wrk at `--connections` connections for `--seconds` a figure:
- `GET /health` on both (the trivial route; the bare app's rate is the limit);
- `GET /programmes/{id}/pipeline` (the board) and `GET /cases/{id}` (a case page), as an
  administrator (each one also writes its access-log entry);
- `POST /partnerships/{id}/sessions` (a command: a confidential session encrypted and
  recorded), as the pair's mentee, with a new Idempotency-Key on every request.
Targets: /health ≥ 50 % of the bare app's rate; board and case page p99 < 50 ms; the command
p99 < 100 ms; 2 workers ≥ 1.3 × 1 worker on the command. Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path

import httpx

from api.http.auth import issue_token
from bench import wrk
from bench.common import background_busy, now, prepare_database, server_version, settings_from, suite_main
from bench.programme import large_programme
from bench.world import ADMIN

TARGET_HEALTH_SHARE = 0.50
TARGET_READ_P99 = 50.0
TARGET_COMMAND_P99 = 100.0
TARGET_SCALING = 1.3
NOTES = "Talked through the timetable change and how to bring the department with us."
ACTIONS = "Draft the consultation note before the next session."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("http")
    group.add_argument("--cases", type=int, default=100_000, help="cases in the benchmark's programme")
    group.add_argument("--pairs", type=int, default=64, help="active partnerships the command records sessions on")
    group.add_argument("--connections", type=int, default=16, help="wrk's open connections")
    group.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="API worker processes to measure")
    group.add_argument("--http-seconds", type=float, default=10.0, help="wrk's run per figure")
    group.add_argument("--http-warmup", type=float, default=3.0,
                       help="an unmeasured wrk run of this many seconds before each figure (first reads, caches)")


def run(args: argparse.Namespace) -> bool:
    if wrk.available() is None:
        print("http: wrk is not installed (`make bench` installs it: tools/apt-install.sh wrk wrk)")
        return False
    prepare_database(args)
    settings = settings_from(args)
    world = large_programme(settings, args.cases, args.pairs)
    admin = issue_token(settings, ADMIN.id, [ADMIN.role.value])
    figures = {
        "board": [wrk.Target(f"/programmes/{world.programme_id}/pipeline", admin)],
        "case page": [wrk.Target(f"/cases/{world.case_id}", admin)],
        "command": [wrk.Target(f"/partnerships/{p.partnership_id}/sessions", issue_token(
            settings, p.mentee_identity, ["mentee"]), _session()) for p in world.pairs],
    }
    busy_before = background_busy()
    results: list[wrk.Result] = []
    for workers in args.workers:
        with served_bare(workers) as url:
            results.append(_measured(args, "bare FastAPI: GET /health", url, [wrk.Target("/health")], workers))
        with served_trellis(args, workers) as url:
            results.append(_measured(args, "GET /health", url, [wrk.Target("/health")], workers))
            for label, targets in figures.items():
                results.append(_measured(args, label, url, targets, workers))
    busy_after = background_busy()
    _print(args, world.cases, results, busy_before, busy_after)
    if max(busy_before, busy_after) > args.max_busy:
        print(f"targets: not judged: the machine was busy with other work (over {args.max_busy:.0%})")
        return False
    return _judge(results)


def _measured(args: argparse.Namespace, label: str, url: str, targets: list[wrk.Target], workers: int) -> wrk.Result:
    """wrk's figure, after an unmeasured run as long as `--http-warmup` (the server's first
    answers, such as a board read afresh or a key unwrapped, are not what is measured)."""
    if args.http_warmup > 0:
        wrk.run(label, url, targets, workers=workers, connections=args.connections, seconds=args.http_warmup)
    return wrk.run(label, url, targets, workers=workers, connections=args.connections, seconds=args.http_seconds)


def _session() -> dict:
    return {"held_on": date.today().isoformat(), "minutes": 60, "medium": "video", "notes": NOTES, "actions": ACTIONS}


def _print(args, cases: int, results: list[wrk.Result], busy_before: float, busy_after: float) -> None:
    print(f"\nhttp · {now()} · PostgreSQL {server_version(args)} · {os.cpu_count()} CPUs (shared by wrk, the "
          f"server and PostgreSQL) · {cases:,} cases · wrk -t2 -c{args.connections} -d{args.http_seconds:g}s · "
          f"uvicorn, projections in their own process\nother work kept {busy_before:.0%} of the CPUs busy "
          f"before the run and {busy_after:.0%} after")
    print(f"{'measurement':<34} {'workers':>7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'failed':>7}")
    for r in results:
        print(f"{r.label:<34} {r.workers:>7} {r.per_second:>9.1f} {r.p50_ms:>8.2f} {r.p99_ms:>8.2f} {r.failed:>7}")


def _judge(results: list[wrk.Result]) -> bool:
    by = {(r.label, r.workers): r for r in results}
    checks = []
    for workers in sorted({r.workers for r in results}):
        bare, health = by[("bare FastAPI: GET /health", workers)], by[("GET /health", workers)]
        share = health.per_second / bare.per_second if bare.per_second else 0.0
        checks.append((f"{workers} worker(s): GET /health ≥ {TARGET_HEALTH_SHARE:.0%} of the bare app's rate",
                       f"{share:.0%}", share >= TARGET_HEALTH_SHARE))
        for label in ("board", "case page"):
            p99 = by[(label, workers)].p99_ms
            checks.append((f"{workers} worker(s): {label} p99 < {TARGET_READ_P99:.0f} ms", f"{p99:.1f} ms",
                           p99 < TARGET_READ_P99))
        p99 = by[("command", workers)].p99_ms
        checks.append((f"{workers} worker(s): command p99 < {TARGET_COMMAND_P99:.0f} ms", f"{p99:.1f} ms",
                       p99 < TARGET_COMMAND_P99))
    if ("command", 1) in by and ("command", 2) in by:
        scaling = by[("command", 2)].per_second / max(by[("command", 1)].per_second, 1e-9)
        checks.append((f"command: 2 workers ≥ {TARGET_SCALING:g} × 1 worker", f"{scaling:.2f} ×",
                       scaling >= TARGET_SCALING))
    failed = [r for r in results if r.failed]
    for r in failed:
        checks.append((f"{r.label} ({r.workers} worker(s)) answered without errors", f"{r.failed} failed", False))
    for text, value, met in checks:
        print(f"target: {text}: {value}, {'met' if met else 'MISSED'}")
    return all(met for _, _, met in checks)


# -- the served apps ---------------------------------------------------------------------------
def _environment(args: argparse.Namespace) -> dict[str, str]:
    return os.environ | {
        "TRELLIS_ENVIRONMENT": "test", "TRELLIS_PERSISTENCE": "postgres", "TRELLIS_POSTGRES_HOST": args.host,
        "TRELLIS_POSTGRES_PORT": str(args.port), "TRELLIS_POSTGRES_USER": args.user,
        "TRELLIS_POSTGRES_PASSWORD": args.password, "TRELLIS_POSTGRES_DBNAME": args.dbname,
        "TRELLIS_POSTGRES_POOL_SIZE": str(args.connections + 4), "TRELLIS_POSTGRES_MAX_OVERFLOW": "8",
    }


@contextmanager
def served_bare(workers: int) -> Iterator[str]:
    port = _free_port()
    command = [sys.executable, "-m", "uvicorn", "bench.bare:app", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers), "--no-access-log", "--log-level", "warning"]
    with _processes([("bare", command, os.environ.copy())]) as logs:
        yield _wait_until_up(f"http://127.0.0.1:{port}", logs / "bare.log")


@contextmanager
def served_trellis(args: argparse.Namespace, workers: int) -> Iterator[str]:
    """`trellis projections run` and `trellis serve --no-projections [--workers N]`, each its own
    process (their JSON logs in a temporary folder), stopped after."""
    port = _free_port()
    trellis = [sys.executable, "-m", "api.cli"]
    serve = [*trellis, "serve", "--no-projections", "--host", "127.0.0.1", "--port", str(port)]
    if workers > 1:
        serve += ["--workers", str(workers)]
    env = _environment(args)
    with _processes([("projections", [*trellis, "projections", "run"], env), ("api", serve, env)]) as logs:
        yield _wait_until_up(f"http://127.0.0.1:{port}", logs / "api.log")


@contextmanager
def _processes(commands: list[tuple[str, list[str], dict]]) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="trellis-bench-http-") as folder, ExitStack() as stack:
        for name, command, env in commands:
            log = stack.enter_context(open(Path(folder) / f"{name}.log", "wb"))
            process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                       cwd=Path(__file__).resolve().parent.parent)
            stack.callback(_stop, process)
        yield Path(folder)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, log: Path, timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return url
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered on {url} within {timeout:g} s:\n{log.read_text()[-2000:]}")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main(argv: list[str] | None = None) -> int:
    return suite_main("python -m bench.http", __doc__, add_arguments, run, argv)


if __name__ == "__main__":
    sys.exit(main())
