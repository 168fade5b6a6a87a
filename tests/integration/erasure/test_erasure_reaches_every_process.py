"""An erasure reaches every process: another worker that had the subject's data and key
cached can neither serve the data nor accept new data for them within 2 s (PostgreSQL,
two real processes).

The other process follows erasures (as `trellis serve` does), warms its caches with the
subject's case and key, then probes every 20 ms and reports, with the wall-clock time,
when it first can no longer read the subject's name nor make a key for new data of theirs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from erasure_world import plant
from projections.runner import Runner
from lifecycle import World

PROBE = r'''
import json, sys, time
from uuid import UUID
sys.path.insert(0, {src!r})
from api.bootstrap import build_app
from api.settings import Settings
from domain import Case, ERASED
from retention.keystore import SubjectErased

settings = Settings(**json.loads(sys.argv[1]))
case_id, subject = UUID(sys.argv[2]), sys.argv[3]
app = build_app(settings)
app.follow_erasures()
app._erasure_listener.listening.wait(10)
assert app.load(Case, case_id).details["name"].value != ERASED  # cached, decrypted
assert app.keys.key_for(f"subject:{{subject}}", create=True) is not None  # cached
print("ready", flush=True)
deadline = time.time() + 20
while time.time() < deadline:
    name = app.load(Case, case_id).details["name"].value
    try:
        app.keys.key_for(f"subject:{{subject}}", create=True)
        accepts = True
    except SubjectErased:
        accepts = False
    if name is ERASED and not accepts:
        print(json.dumps({{"blocked_at": time.time()}}), flush=True)
        break
    time.sleep(0.02)
else:
    print(json.dumps({{"blocked_at": None}}), flush=True)
app.close()
'''


@pytest.mark.parametrize("backend", ["postgres"])  # SQLite serves one process
def test_a_second_process_stops_serving_and_accepting_within_two_seconds(app, settings, backend):
    world = World.create(app)
    mentor_id, mentor = world.mentor(capacity=2)
    subject = plant(app, world, mentor_id, mentor, "subject")
    src = str(Path(__file__).parents[3] / "src")
    fields = {k: (v.get_secret_value() if hasattr(v, "get_secret_value") else v)
              for k, v in settings.model_dump().items() if v is not None}
    probe = subprocess.Popen(
        [sys.executable, "-c", PROBE.format(src=src), json.dumps(fields, default=str), str(subject.case_id),
         subject.mentee.id],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": src},
    )
    try:
        assert probe.stdout.readline().strip() == "ready", probe.stderr.read()
        Runner.for_app(app).catch_up()  # the erasure finds the subject's records in the read models
        app.erase(app._plan("ad-hoc", subject.mentee.id))
        erased_at = time.time()
        report = json.loads(probe.stdout.readline())
    finally:
        probe.kill()
        probe.wait(timeout=10)
    assert report["blocked_at"] is not None, "the other process kept serving the subject's data"
    assert report["blocked_at"] - erased_at < 2.0
