"""A writer to be killed with SIGKILL (run by test_chain_killed_writer.py, settings from TRELLIS_*).

`python killed_writer.py between`: one write of 50 events that stops, with its transaction open,
after the events are inserted and before their links are (SQLite: the library's recorder;
PostgreSQL: the library's own recorder, chained), printing "between" and waiting to be killed.
`python killed_writer.py loop`: writes of 1–40 events, one after another, until killed, printing
"written" after each.
"""

from __future__ import annotations

import random
import sys
import time
from uuid import uuid4

from eventsourcing.persistence import StoredEvent

from api.bootstrap import build_app
from api.persistence import recorders
from api.settings import Settings


def events(count: int) -> list[StoredEvent]:
    originator = uuid4()
    return [StoredEvent(originator, v, "tests.chain:Killed", random.randbytes(random.randint(10, 400)))
            for v in range(1, count + 1)]


def stop_between(*_: object) -> None:
    print("between", flush=True)
    time.sleep(600)


def main(mode: str) -> None:
    settings = Settings()
    app = build_app(settings)
    recorder = app.recorder
    if mode == "between":
        if settings.persistence == "sqlite":
            link = recorders.sqlite_chain
            recorders.sqlite_chain = lambda *args: (stop_between(), link(*args))
        else:
            recorder = recorders.ChainedPostgresRecorder(recorder.datastore, events_table_name=recorder.events_table_name)
            link_sql = recorder._link_sql
            recorder._link_sql = lambda count: (stop_between(), link_sql(count))[1]
        recorder.insert_events(events(50))
        return
    print("ready", flush=True)
    while True:
        recorder.insert_events(events(random.randint(1, 40)))
        print("written", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
