"""Verifying a PostgreSQL history from its stream (`chain_stream`): the range split into parts
streamed at once, the checkpoints held against the stored links the stream has vouched for,
and — when anything is not as recorded — the place where the page walk must take over.

The stream answers a history that verifies on its own: every event in the range had its
link, every link its event (the stream holds both tables' rows, a row without its partner
does not verify), and each link was the one recomputed (so the stored links are the
history's own); and every checkpoint names a position that holds an event whose stored link
is the checkpoint's. Anything else — a row that did not verify, a checkpoint that does not
hold or lies past the head — is handed to the walk as a `Resume`: from two verified events
before the first such position (so the walk has seen the event before the one in question,
as a walk from the start would have), with what was verified before it counted in.

Parts: with `processes` > 1, a history of `PARALLEL_FROM` events or more and a snapshot that
other connections can share, the range is cut at linked events into that many parts; a
helper process streams each part but the first (which this process streams meanwhile), from
the stored link where the part before it ends. Each part before vouches for that link, so
the parts together verify exactly what one stream would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from api.persistence.chain_stream import Streamed, stream_range

PARALLEL_FROM = 200_000  # fewer events than this are streamed in one part (a helper costs ~0.1 s to start)


@dataclass(frozen=True)
class Mark:
    """A checkpoint to hold the history against: the link it vouches for at `position`."""

    position: int
    link: bytes
    taken_at: str = ""


@dataclass(frozen=True)
class Verdict:
    """What recomputing the chain found: `ok`, or the first broken position and what is wrong
    there — with the last position verified before it (`head`) and that position's link."""

    ok: bool
    verified: int
    head: int
    head_link: str
    position: int | None = None
    problem: str | None = None
    detail: str = ""
    checkpoints: int = 0


@dataclass(frozen=True)
class Resume:
    """Where the page walk starts: after `after`, whose link (trusted) is `previous`, holding the
    history against `marks`; `verified` events and `checked` checkpoints before it hold."""

    after: int
    previous: bytes
    marks: list[Mark]
    verified: int = 0
    checked: int = 0


@dataclass(frozen=True)
class Part:
    after: int
    until: int
    previous: bytes


def streamed(history: Any, after: int, previous: bytes, marks: Sequence[Mark],
             progress: Callable[[int], None] | None, processes: int = 1,
             parallel_from: int = PARALLEL_FROM) -> Verdict | Resume:
    """The verdict on a history that verifies, from its stream; otherwise where the walk resumes."""
    until = history.last_position()
    parts = _parts(history, after, previous, until, processes, parallel_from)
    found = _stream(history, parts, progress)
    stopped = next((r.stopped_at for r in found if r.stopped_at is not None), None)
    verified = sum(r.rows for r in found)
    head, link = max(after, 0), previous
    for result in found:
        if result.position is not None:
            head, link = result.position, result.previous
    if stopped is None and marks and marks[-1].position > head:  # a checkpoint past the head: the walk names it
        stopped = head + 1
    wrong = _first_wrong(history, marks, stopped)
    if wrong is None:
        if progress is not None:
            progress(head)
        return Verdict(True, verified, head, link.hex(), checkpoints=len(marks))
    part = [p for p in parts if p.after < wrong][-1:] or parts[:1]
    return _resume(history, after, marks, wrong, part[0])


def _first_wrong(history: Any, marks: Sequence[Mark], stopped: int | None) -> int | None:
    """The first position where something is wrong: `stopped`, or an earlier checkpoint whose
    position holds no event with the checkpoint's link (one at or past `stopped` is the walk's)."""
    before = [m for m in marks if stopped is None or m.position < stopped]
    stored = history.marked([m.position for m in before])
    broken = [m.position for m in before if stored.get(m.position) != m.link]
    return min(broken, default=stopped)


def _resume(history: Any, after: int, marks: Sequence[Mark], wrong: int, part: Part) -> Resume:
    """The walk's start: two verified events before `wrong` if its part holds them, else the part's
    own start (whose link the parts before it verified)."""
    before = history.events_before(wrong, part.after, 2)
    if len(before) < 2:
        start, link = part.after, part.previous
    else:
        start = before[1]
        link = history.marked([start])[start]  # verified: the stream recomputed it
    held = [m for m in marks if m.position <= start]
    verified = history.count("events", after, start) if start > after else 0
    return Resume(start, link, [m for m in marks if m.position > start], verified, len(held))


# -- the parts -----------------------------------------------------------------------------------
def _parts(history: Any, after: int, previous: bytes, until: int, processes: int, parallel_from: int) -> list[Part]:
    """The range cut at linked events into up to `processes` parts of about equal spans."""
    if processes < 2 or history.connect is None:
        return [Part(after, until, previous)]
    low = max(after, 0)
    if until - low < parallel_from or history.count("events", after, until) < parallel_from:
        return [Part(after, until, previous)]
    parts, start, link = [], after, previous
    for i in range(1, processes):
        cut = history.linked_event_at_or_before(low + (until - low) * i // processes, start)
        if cut is None:
            continue
        parts.append(Part(start, cut[0], link))
        start, link = cut
    parts.append(Part(start, until, link))
    return parts


def _stream(history: Any, parts: list[Part], progress: Callable[[int], None] | None) -> list[Streamed]:
    """Every part's stream: the first on the history's own connection, the others in helpers."""
    first, rest = parts[0], parts[1:]
    helpers = []
    if rest:
        snapshot = history.exported_snapshot()
        helpers = [_start_helper(history.connect, snapshot, history.copy_statement(p.after, p.until), p.previous)
                   for p in rest]
    try:
        found = [stream_range(history.connection, history.copy_statement(first.after, first.until), first.previous,
                              progress)]
        found += [_helper_result(helper) for helper in helpers]
    finally:
        for helper in helpers:
            if helper.poll() is None:
                helper.kill()
            helper.wait()
    return found


def _start_helper(connect: dict[str, Any], snapshot: str, statement: bytes, previous: bytes) -> subprocess.Popen:
    """`python -m api.persistence.chain_stream`, its job (with the password) on stdin, never argv."""
    helper = subprocess.Popen([sys.executable, "-m", "api.persistence.chain_stream"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy())
    job = {"connect": connect, "snapshot": snapshot, "statement": statement.decode(), "previous": previous.hex()}
    assert helper.stdin is not None
    helper.stdin.write(json.dumps(job).encode())
    helper.stdin.close()
    return helper


def _helper_result(helper: subprocess.Popen) -> Streamed:
    assert helper.stdout is not None and helper.stderr is not None
    out, err = helper.stdout.read(), helper.stderr.read()  # its answer is a line; a failure, a few
    if helper.wait() != 0:
        last = err.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
        raise RuntimeError(f"a verification helper failed: {last[0]}")
    return Streamed.from_json(json.loads(out))
