"""Several processes, one truth (PostgreSQL, real processes): two API processes and the
projection worker on one database whose tables `trellis db init` created once.

A command through one API process is read through the other once its read position has
reached the command's; a case cached by one process and changed through the other is seen
as changed; two cases proposed at once, through both processes, to a mentor with one free
place give exactly one success and one 409 problem; after an erasure through one process the
other, which had the person's key cached, no longer opens their data; an Idempotency-Key sent
through both records once; `trellis serve --workers 2` adds up every worker's metrics; the
worker serves its own; an API process never creates a table.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from prometheus_client.multiprocess import MultiProcessCollector

from api.bootstrap import build_app
from api.http.auth import issue_token
from api.settings import Settings
from databases import postgres_settings
from domain import Case, Mentor
from lifecycle import World, unique
from ops_support import (
    METRICS_TOKEN, PERSON_PATTERN, UUID_PATTERN, OwnDatabase, Process, free_port, trellis, trellis_env, until,
    value,
)

TOKENS = Settings(environment="test")  # the development secret every process of the test shares
BEARER = {"Authorization": f"Bearer {METRICS_TOKEN}"}
TRIALS = 8
BATCH = 40
RECHECK_SECONDS = 5  # the longest a process may trust a cached key without re-reading its row
DETAILS = {"name": "Pat Process", "email": "pat@example.org"}


def as_(identity: str, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(TOKENS, identity, [role])}"}


@pytest.fixture(scope="module")
def cluster(pg_settings, tmp_path_factory) -> Iterator[SimpleNamespace]:
    """`trellis db init`, then the projection worker and two API processes, each its own process,
    every one stopped at the end whatever happened. A process re-checks a cached key only after
    RECHECK_SECONDS, so an erasure seen sooner elsewhere was seen through its notification."""
    db = OwnDatabase(pg_settings, "procs")
    logs = tmp_path_factory.mktemp("procs")
    env = db.env(logs) | {"TRELLIS_KEY_RECHECK_SECONDS": str(RECHECK_SECONDS)}
    ports = SimpleNamespace(a=free_port(), b=free_port(), worker=free_port())
    processes: list[Process] = []
    seed = None
    try:
        init = trellis(env, "db", "init")
        assert init.returncode == 0, init.stderr
        worker = Process(env, logs / "worker.log", "projections", "run", "--metrics-port", str(ports.worker))
        processes.append(worker)
        a = Process(env, logs / "a.log", "serve", "--no-projections", "--port", str(ports.a))
        processes.append(a)
        b = Process(env, logs / "b.log", "serve", "--no-projections", "--port", str(ports.b))
        processes.append(b)
        seed = build_app(postgres_settings(postgres_dbname=db.name, erasure_ledger=logs / "erasure-ledger.jsonl"))
        worker.wait_for(f"http://127.0.0.1:{ports.worker}/health")
        for process, port in ((a, ports.a), (b, ports.b)):
            process.wait_for(f"http://127.0.0.1:{port}/ready")
        with httpx.Client(base_url=f"http://127.0.0.1:{ports.a}", timeout=30) as client_a, \
                httpx.Client(base_url=f"http://127.0.0.1:{ports.b}", timeout=30) as client_b:
            yield SimpleNamespace(db=db, env=env, logs=logs, ports=ports, seed=seed, a=client_a, b=client_b)
    finally:
        if seed is not None:
            seed.close()
        for process in processes:
            process.stop()
        db.drop()


def read_once_reached(client: httpx.Client, path: str, position: int, headers: dict[str, str]) -> httpx.Response:
    """GETs `path` until the answer's read position has reached `position` (a bounded wait)."""
    def reached() -> httpx.Response | None:
        response = client.get(path, headers=headers)
        return response if int(response.headers["x-trellis-read-position"]) >= position else None

    return until(reached, 15, f"{path} at position {position}")


def at_once(send: Callable[..., httpx.Response], *calls: tuple[Any, ...]) -> list[httpx.Response]:
    """`send(*call)` for every call, each in a thread of its own, all released together."""
    barrier = threading.Barrier(len(calls))

    def sent(call: tuple[Any, ...]) -> httpx.Response:
        barrier.wait(timeout=30)
        return send(*call)

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(sent, calls))


class TestOneTruth:
    def test_a_command_through_one_process_is_read_through_the_other(self, cluster):
        admin = as_(unique("admin"), "administrator")
        name = unique("Programme across processes")
        answer = cluster.a.post("/programmes", json={"name": name}, headers=admin)
        assert answer.status_code == 201, answer.text
        read = read_once_reached(cluster.b, f"/programmes/{answer.json()['id']}", answer.json()["position"], admin)
        assert read.status_code == 200 and read.json()["name"] == name

    def test_a_case_cached_by_one_process_and_changed_through_the_other_is_seen_changed(self, cluster):
        world = World.create(cluster.seed)
        mentor_id, _ = world.mentor(capacity=2)
        mentee, manager = unique("mentee"), unique("manager")
        case = cluster.b.post("/cases", headers=as_(mentee, "mentee"), json={
            "programme_id": str(world.programme_id), "mentee_id": mentee, "line_manager_id": manager,
            "details": DETAILS, "statement": "Keen"})
        assert case.status_code == 201, case.text  # B now holds the case in its cache, awaiting the manager
        case_id = case.json()["id"]
        approved = cluster.a.post(f"/cases/{case_id}/approve", json={"priority": False},
                                  headers=as_(manager, "line_manager"))
        assert approved.status_code == 200, approved.text
        request = cluster.b.post(f"/cases/{case_id}/matching-request", headers=as_(mentee, "mentee"),
                                 json={"preferences": [str(mentor_id)], "goals": "Grow"})
        assert request.status_code == 200, request.text  # B read the approval made through A


class TestTheLastPlace:
    def test_two_proposals_at_once_through_both_processes_give_one_success_and_one_409(self, cluster):
        admin = as_(unique("admin"), "administrator")
        world = World.create(cluster.seed)
        for trial in range(TRIALS):
            mentor_id, _ = world.mentor(capacity=1)
            cases = [world.case("requested", mentor_id)["case_id"] for _ in range(2)]
            answers = at_once(lambda client, case_id: client.post(
                f"/cases/{case_id}/match-proposal", headers=admin, json={"mentor_id": str(mentor_id), "reasons": "Fit"}),
                (cluster.a, cases[0]), (cluster.b, cases[1]))
            statuses = [answer.status_code for answer in answers]
            assert sorted(statuses) == [200, 409], (trial, [a.text for a in answers])
            loser = answers[statuses.index(409)]
            assert loser.headers["content-type"] == "application/problem+json"
            assert loser.json()["status"] == 409
            winner, refused = (cases[0], cases[1]) if statuses[0] == 200 else (cases[1], cases[0])
            assert cluster.seed.load(Mentor, mentor_id).held == [winner]
            assert cluster.seed.load(Case, refused).proposed_mentor is None


class TestAnErasureThroughOneProcess:
    def test_the_other_process_can_no_longer_open_the_persons_data_within_two_seconds(self, cluster):
        world = World.create(cluster.seed)
        name = unique("Erin Erasable")
        case = world.case("eoi", name=name)
        case_id, subject = case["case_id"], case["mentee"].id
        admin, officer = as_(unique("admin"), "administrator"), as_(unique("dpo"), "dpo")
        request = cluster.a.post("/retention/erasure-requests", headers=officer,
                                 json={"person_id": subject, "received_on": date.today().isoformat()})
        assert request.status_code == 201, request.text
        head = cluster.seed.recorder.max_notification_id()
        warm = read_once_reached(cluster.b, f"/cases/{case_id}", head, admin)
        assert warm.json()["mentee_name"] == name  # B unwrapped the subject's key and holds it
        warmed_at = time.monotonic()

        executed = cluster.a.post(f"/retention/erasure-requests/{request.json()['id']}/execute", headers=officer)
        assert executed.status_code == 200, executed.text
        answered = time.monotonic()
        assert cluster.a.get(f"/cases/{case_id}", headers=admin).json()["mentee_name"] is None

        def closed_to_b() -> httpx.Response | None:
            read = cluster.b.get(f"/cases/{case_id}", headers=admin)
            assert read.status_code == 200, read.text
            return read if read.json()["mentee_name"] is None else None

        shown = until(closed_to_b, 2.0, "process B no longer showing the erased person's name")
        closed = time.monotonic()
        assert name not in shown.text
        assert closed - warmed_at < RECHECK_SECONDS, (
            f"B stopped {closed - answered:.2f} s after the erasure, but only once its cached key was due a "
            "re-check: the erasure's notification did not reach it")


class TestIdempotencyAcrossProcesses:
    def test_a_retry_through_the_other_process_replays_the_first_answer_and_records_nothing(self, cluster):
        admin = as_(unique("admin"), "administrator") | {"Idempotency-Key": unique("key")}
        body = {"name": unique("Programme once")}
        first = cluster.a.post("/programmes", json=body, headers=admin)
        assert first.status_code == 201, first.text
        head = cluster.seed.recorder.max_notification_id()
        retry = cluster.b.post("/programmes", json=body, headers=admin)
        assert (retry.status_code, retry.json()) == (201, first.json())
        assert retry.headers["idempotent-replayed"] == "true"
        assert cluster.seed.recorder.max_notification_id() == head

    def test_the_same_key_through_both_at_once_records_once(self, cluster):
        for trial in range(TRIALS):
            admin = as_(unique("admin"), "administrator") | {"Idempotency-Key": unique("key")}
            body = {"name": unique("Programme at once")}
            head = cluster.seed.recorder.max_notification_id()
            answers = at_once(lambda client: client.post("/programmes", json=body, headers=admin),
                              (cluster.a,), (cluster.b,))
            ran = [a for a in answers if a.status_code == 201 and "idempotent-replayed" not in a.headers]
            assert len(ran) == 1, (trial, [(a.status_code, a.text) for a in answers])
            (other,) = [a for a in answers if a is not ran[0]]
            if other.status_code == 201:  # it came after the first had finished: the first answer, replayed
                assert other.headers["idempotent-replayed"] == "true" and other.json() == ran[0].json()
            else:  # it came while the first was running
                assert other.status_code == 409, (trial, other.text)
                assert other.headers["content-type"] == "application/problem+json"
            assert cluster.seed.recorder.max_notification_id() == head + 1, trial  # one programme registered


class TestTheWorkersOwnEndpoints:
    def test_health_and_metrics_for_the_token_alone_with_no_id(self, cluster):
        base = f"http://127.0.0.1:{cluster.ports.worker}"
        assert httpx.get(f"{base}/health").text == "ok\n"
        refused = httpx.get(f"{base}/metrics")
        assert refused.status_code == 401 and "trellis_" not in refused.text
        World.create(cluster.seed).mentor()  # something for the worker to project

        def caught_up() -> str | None:
            text = httpx.get(f"{base}/metrics", headers=BEARER).text
            lags = [value(text, "trellis_projection_lag_events", read_model=m) for m in ("dashboard", "audit")]
            return text if lags == [0, 0] else None

        text = until(caught_up, 15, "the worker reporting no lag")
        assert value(text, "trellis_projection_failing", read_model="mentors") == 0
        assert value(text, "trellis_projection_heartbeat_age_seconds") < 30
        assert value(text, "trellis_key_cache_keys") is not None  # names stay sealed: it may hold none
        assert re.search(UUID_PATTERN, text) is None and re.search(PERSON_PATTERN, text) is None


def health_counted_per_worker(counts: Path) -> dict[int, float]:
    """Each worker process's own count of `GET /health`, read from the file it counts in."""
    counted: dict[int, float] = {}
    for path in counts.glob("counter_*.db"):
        pid = int(path.stem.rsplit("_", 1)[1])
        for family in MultiProcessCollector.merge([str(path)]):
            for sample in family.samples:
                if sample.name == "trellis_http_requests_total" and sample.labels.get("route") == "/health":
                    counted[pid] = counted.get(pid, 0) + sample.value
    return counted


class TestSeveralWorkersOnOnePort:
    def test_every_scrape_adds_up_every_workers_counts(self, cluster, tmp_path):
        port, counts = free_port(), tmp_path / "metrics"
        env = cluster.env | {"PROMETHEUS_MULTIPROC_DIR": str(counts)}
        server = Process(env, cluster.logs / "workers.log", "serve", "--workers", "2", "--no-projections",
                         "--port", str(port))
        sent = 0

        def both_workers_served() -> dict[int, float] | None:
            nonlocal sent
            with ThreadPoolExecutor(16) as pool:  # a new connection each: the workers share them out
                statuses = list(pool.map(lambda _: httpx.get(f"http://127.0.0.1:{port}/health").status_code,
                                         range(BATCH)))
            assert statuses == [200] * BATCH
            sent += BATCH
            counted = health_counted_per_worker(counts)
            return counted if len(counted) == 2 and all(counted.values()) else None

        try:
            server.wait_for(f"http://127.0.0.1:{port}/ready")
            counted = until(both_workers_served, 60, "both workers answering /health", every=0)
            assert sum(counted.values()) == sent
            for _ in range(6):  # whichever worker answers the scrape, it reports them all
                text = httpx.get(f"http://127.0.0.1:{port}/metrics", headers=BEARER).text
                assert value(text, "trellis_http_requests_total", method="GET", route="/health",
                             status="200") == sent
        finally:
            server.stop()


class TestTablesAreCreatedOnce:
    def test_an_api_process_on_an_uninitialised_database_creates_nothing_and_is_not_ready(self, pg_settings, tmp_path):
        empty = OwnDatabase(pg_settings, "empty").create_empty()
        port, server = free_port(), None
        try:
            server = Process(empty.env(tmp_path), tmp_path / "empty.log", "serve", "--no-projections",
                             "--port", str(port))
            server.wait_for(f"http://127.0.0.1:{port}/health")
            ready = httpx.get(f"http://127.0.0.1:{port}/ready", timeout=30)
            assert ready.status_code == 503 and "trellis db init" in ready.json()["detail"]
            assert empty.tables() == set()
        finally:
            if server is not None:
                server.stop()
            empty.drop()


class TestSeveralWorkersNeedPostgreSQLAndTheWorkerApart:
    @pytest.mark.parametrize(("persistence", "flags", "mentions"), [
        ("sqlite", ["--no-projections"], "TRELLIS_PERSISTENCE=postgres"),
        ("postgres", [], "--no-projections"),
    ])
    def test_refused_in_one_line(self, tmp_path, persistence, flags, mentions):
        env = trellis_env(tmp_path, TRELLIS_PERSISTENCE=persistence, TRELLIS_DATA_DIR=str(tmp_path),
                          TRELLIS_POSTGRES_PORT="1")  # never reached: refused before
        result = trellis(env, "serve", "--workers", "2", *flags)
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("trellis: ") and mentions in lines[0]
        assert not Path(tmp_path / "trellis.sqlite3").exists()
