"""A retention run killed part-way and run again finishes the work exactly once (PostgreSQL,
real processes).

The first run is a real process killed with SIGKILL in the middle of its second batch: those
people's data erased, their retention requests not yet completed. `trellis retention run` then finishes
that person and everyone else. Every person ends erased, with exactly one retention
request received and one completed; a third run finds no one.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from domain import SubjectRequest
from eventsourcing.utils import get_topic
from lifecycle import World
from projections.runner import Runner

PEOPLE = 130  # more than one batch of a run (100)


RUN_AND_DIE = r'''
import json, os, signal, sys
sys.path.insert(0, {src!r})
from api.bootstrap import build_app
from api.services.erasure import ErasureCommands
from api.settings import Settings

erase_all, batches = ErasureCommands.erase_all, []
def erase_then_die(self, plans, **options):
    counts = erase_all(self, plans, **options)
    batches.append(len(plans))
    if len(batches) == 2:
        os.kill(os.getpid(), signal.SIGKILL)  # these people's data is gone; their requests are still open
    return counts
ErasureCommands.erase_all = erase_then_die
app = build_app(Settings(**json.loads(sys.argv[1])))
app.run_retention()
'''


def cli(settings, *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TRELLIS_")}
    env = {"TRELLIS_ENVIRONMENT": "test", "TRELLIS_PERSISTENCE": "postgres",
           "TRELLIS_POSTGRES_DBNAME": settings.postgres_dbname, "TRELLIS_POSTGRES_HOST": settings.postgres_host,
           "TRELLIS_POSTGRES_PORT": str(settings.postgres_port), "TRELLIS_POSTGRES_USER": settings.postgres_user,
           "TRELLIS_ERASURE_LEDGER": str(settings.erasure_ledger_path)}
    return subprocess.run([sys.executable, "-m", "api.cli", *args], env=clean | env, capture_output=True, text=True,
                          timeout=300)


def requests_per_subject(app, event_class) -> dict[str, int]:
    seen: dict[str, int] = {}
    for n in app.recorder.select_notifications(start=1, limit=10**7, topics=[get_topic(event_class)]):
        request = app.events.get(n.originator_id)
        subject = next(iter(request)).subject_id
        seen[subject] = seen.get(subject, 0) + 1
    return seen


@pytest.mark.parametrize("backend", ["postgres"])  # a real second process needs a shared server
def test_a_run_killed_part_way_finishes_exactly_once(app, settings, backend, clock):
    world = World.create(app, retention_months=1, line_manager_approval=False)
    people = []
    for _ in range(PEOPLE):
        case = world.case("eoi")
        app.withdraw_case(case["case_id"], case["mentee"])
        people.append(case["mentee"].id)
    kept = world.case("eoi")["mentee"].id  # an open case: not due
    Runner.for_app(app).catch_up()
    src = str(Path(__file__).parents[3] / "src")
    fields = {k: (v.get_secret_value() if hasattr(v, "get_secret_value") else v)
              for k, v in settings.model_dump().items() if v is not None}
    killed = subprocess.run(
        [sys.executable, "-c", RUN_AND_DIE.format(src=src), json.dumps(fields, default=str)],
        capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": src},
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    mine = set(people)
    done = {p for p in requests_per_subject(app, SubjectRequest.Completed) if p in mine}
    assert 0 < len(done) < PEOPLE  # some finished, some left half done (others' people may share the batches)
    Runner.for_app(app).catch_up()

    rerun = cli(settings, "retention", "run")
    assert rerun.returncode == 0, rerun.stderr
    Runner.for_app(app).catch_up()
    received = {p: n for p, n in requests_per_subject(app, SubjectRequest.Received).items() if p in mine}
    completed = {p: n for p, n in requests_per_subject(app, SubjectRequest.Completed).items() if p in mine}
    assert received == completed == dict.fromkeys(people, 1)
    assert all(app.keys.is_destroyed(f"subject:{p}") for p in people)
    assert not app.keys.is_destroyed(f"subject:{kept}")

    head = app.recorder.max_notification_id()
    third = cli(settings, "retention", "run")
    assert third.returncode == 0 and "0 due" in third.stderr
    assert app.recorder.max_notification_id() == head
