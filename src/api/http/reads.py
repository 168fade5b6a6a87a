"""The access log's one recording point, for every route (`api.http.routing`), keyed by the matched route.

A route the `READS` table names is recorded once it has answered successfully and before
its answer is sent: if the entry cannot be written, the reader gets a 500 and not the data
(fail closed). A refused or failed read (401, 403, 404, 422 …) read nothing and records
nothing; the request log line still shows its route and status. The entry holds the route's
template and the object's id only, never a query string or anything the route answered.

Declaring is obligatory: the app refuses to start while a GET route is in neither `READS`
nor `NOTHING_PERSONAL`, or a declaration is one it could not honour (`misdeclared_reads`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from uuid import UUID

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant

from api.http.deps import PRIVATE
from api.http.policy import api_routes
from api.http.rules import NOTHING_PERSONAL, POLICY, READER, READS, Reads
from domain import Actor

OPAQUE_PERSON = re.compile(r"^p-[0-9a-f]{32}$")  # the registry's ids (retention.people.new_person_id)


async def record(request: Request, actor: Actor | None, key: str, reads: Reads) -> None:
    """Once the route has answered successfully, before the answer is sent: one entry, written
    with the entries of the reads served at the same moment (`AccessWriter`)."""
    if actor is None:  # cannot happen: misdeclared_reads refuses a public personal-data read
        raise RuntimeError("a personal-data read without a reader")
    entry = request.app.state.trellis.access_entry(actor, key, reads.kind, object_of(reads, request, actor))
    await request.app.state.access_writer.record(entry)


def object_of(reads: Reads, request: Request, actor: Actor) -> str | None:
    """The id of what was read: the reader's own, or a path or query parameter's — a UUID in its
    one canonical form, or a person's opaque id; None for the whole service, no such parameter,
    or a value that is neither (never a free string: the log holds no content)."""
    if reads.of is None:
        return None
    if reads.of == READER:
        return actor.id
    value = request.path_params.get(reads.of, request.query_params.get(reads.of))
    if value is None:
        return None
    try:
        return str(UUID(str(value)))
    except ValueError:
        return value if OPAQUE_PERSON.match(value) else None


def misdeclared_reads(app: FastAPI) -> list[str]:
    """What the access log's declarations get wrong (must be nothing): a GET route in neither
    `READS` nor `NOTHING_PERSONAL` (or in both), a personal-data read that is public (an entry
    names its reader), or one whose object is a parameter the route does not take."""
    wrong = []
    for route, path in api_routes(app).values():
        if "GET" not in route.methods:
            continue
        key = f"GET {path}"
        reads = READS.get(key)
        if (reads is None) == (key not in NOTHING_PERSONAL):
            wrong.append(f"{key}: declare it in exactly one of READS and NOTHING_PERSONAL (api/http/rules.py)")
        elif reads is not None and POLICY.get(key, PRIVATE).public:
            wrong.append(f"{key}: a personal-data read cannot be public")
        elif reads is not None and reads.of not in (None, READER) and reads.of not in set(_parameters(route.dependant)):
            wrong.append(f"{key}: takes no parameter {reads.of!r} to name what it reads")
    return wrong


def _parameters(dependant: Dependant) -> Iterator[str]:
    """The path and query parameters a route takes, its dependencies' included."""
    yield from (p.alias for p in (*dependant.path_params, *dependant.query_params))
    for dependency in dependant.dependencies:
        yield from _parameters(dependency)
