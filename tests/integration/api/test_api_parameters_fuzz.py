"""Every query and path parameter of every route, for every role: no value gives a 5xx.

Two tests. Hypothesis draws each parameter from its schema's type, from values that fit no
schema and from the ids of a real programme, mentor, case, partnership, erasure and access
request and legal hold (so that requests reach the owners' code paths too), and sends each
example once per role, as the people who own those objects. Then every parameter of every
route is given each value that fits no schema in turn (text with a NUL, integers past 64
bits, the years 0 and 9999, periods such as 9999-Q4 …), the others kept sensible, by every
role the route admits. Commands go with an empty body: it is their path that is fuzzed.
Both run on SQLite and PostgreSQL, each on a database of its own (commands change what they
find): a few hundred examples per backend.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import sql

from api.bootstrap import init_database
from api.http.app import create_app
from api.http.auth import issue_token
from api.settings import Settings
from api_expectations import SPEC, SPEC_ON_REQUESTS
from api_support import cast
from databases import PG_DBNAME
from domain import Role
from lifecycle import identity_of

ROLES = [Role.ADMINISTRATOR, Role.LINE_MANAGER, Role.MENTOR, Role.MENTEE, Role.AUDITOR, Role.DPO]
UNFIT = [
    "", "-1", "1.5", str(2**63), str(2**64), "0000", "9999-12", "9999-Q4", "0000-Q1", "0001-01-01", "9999-12-31",
    "9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00-23:59", "a\x00b", "\u202e\u200b", "'; DROP TABLE x; --",
    "../../etc/passwd", "x" * 250,
]
SCHEMA = create_app(Settings(environment="test")).openapi()
DASHBOARD = ("GET", "/dashboard/{name}", [{"name": "name", "in": "path", "schema": {"type": "string"}}])


def operations() -> list[tuple[str, str, list[dict]]]:
    found = [
        (method.upper(), path, [p for p in operation.get("parameters", []) if p["in"] in ("path", "query")])
        for path, item in SCHEMA["paths"].items() for method, operation in item.items()
    ]
    return [*found, DASHBOARD]


def resolve(schema: dict) -> dict:
    if "$ref" in schema:
        return SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def typed(schema: dict) -> st.SearchStrategy[str]:
    """Values of the parameter's own type (and a little beyond: integers are unbounded)."""
    schema = resolve(schema)
    if "anyOf" in schema:
        return st.one_of([typed(s) for s in schema["anyOf"] if s.get("type") != "null"])
    if "enum" in schema:
        return st.sampled_from([str(v) for v in schema["enum"]])
    kind, form = schema.get("type"), schema.get("format")
    if kind == "integer":
        return st.integers().map(str)
    if kind == "boolean":
        return st.sampled_from(["true", "false", "1", "0", "yes"])
    if form == "uuid":
        return st.uuids().map(str)
    if form == "date":
        return st.dates().map(date.isoformat)
    if form == "date-time":
        return st.datetimes(timezones=st.just(UTC)).map(lambda moment: moment.isoformat())
    if "pattern" in schema:
        return st.from_regex(schema["pattern"], fullmatch=True)
    return st.text(max_size=80)


@dataclass
class Fuzzed:
    client: TestClient
    tokens: dict[Role, str]
    known: dict[str, list[str]]

    def values(self, parameter: dict) -> st.SearchStrategy[str]:
        ours = self.known.get(parameter["name"], [])
        mine = [st.sampled_from(ours)] if ours else []
        return st.one_of([*mine, typed(parameter["schema"]), st.sampled_from(UNFIT)])

    def send(self, method: str, path: str, path_values: dict[str, str], query: dict[str, str], role: Role):
        url = path.format(**{name: quote(value, safe="") for name, value in path_values.items()})
        return self.client.request(method, url, params=query, json={} if method == "POST" else None,
                                   headers={"Authorization": f"Bearer {self.tokens[role]}"})


def seeded(settings: Settings) -> Iterator[Fuzzed]:
    init_database(settings)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        trellis = client.app.state.trellis
        world = cast(trellis)
        dpo = world.people[Role.DPO]
        bystander = world.world.case("eoi")["mentee"]
        erasure = trellis.receive_request("erasure", dpo, date(2026, 5, 1), person_id=bystander.id).id
        access = trellis.receive_request("access", dpo, date(2026, 5, 1), person_id=world.people[Role.MENTEE].id).id
        hold = trellis.place_hold("case", str(world.case_id), "ref-77", dpo).id
        ids = {"programme_id": world.programme_id, "mentor_id": world.mentor_id, "case_id": world.case_id,
               "partnership_id": world.partnership_id, "request_id": erasure, "hold_id": hold}
        known = {name: [str(value)] for name, value in ids.items()} | {
            "request_id": [str(erasure), str(access)],
            "aggregate_id": [str(world.case_id), str(world.partnership_id)],
            "person_id": [world.people[Role.MENTEE].id, bystander.id], "reader": [dpo.id],
            "object_id": [str(world.case_id)], "period": ["2026-Q2"], "on": ["2026-06-01"], "position": ["3"],
            "name": ["index.html", "js/main.js", "../settings.py"],
        }
        client.app.state.runner.wait(trellis.recorder.max_notification_id(), timeout=30)
        tokens = {role: issue_token(settings, identity_of(actor), [role.value]) for role, actor in world.people.items()}
        yield Fuzzed(client, tokens, known)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def fuzzed(request) -> Iterator[Fuzzed]:
    if request.param == "sqlite":
        data = Path(tempfile.mkdtemp(prefix="trellis-fuzz-"))
        yield from seeded(Settings(environment="test", persistence="sqlite", data_dir=data))
        shutil.rmtree(data, ignore_errors=True)
        return
    base = request.getfixturevalue("pg_settings")  # skips, or fails under CI, without a server
    own = base.model_copy(update={"postgres_dbname": f"{PG_DBNAME}_fuzz"})
    params = {"host": own.postgres_host, "port": own.postgres_port, "user": own.postgres_user}
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(own.postgres_dbname))
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(drop)
    yield from seeded(own)
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(drop)


def granted(method: str, path: str) -> list[Role]:
    """The roles api_expectations grants the route (any, own or self); every role for a route it does not name."""
    spec = (SPEC | SPEC_ON_REQUESTS).get(f"{method} {path}", "public")
    words = {word.partition(":")[0] for word in spec.split()}
    return [role for role in ROLES if role.value in words] or ROLES


OPERATIONS = operations()
IDS = [f"{method} {path}" for method, path, _ in OPERATIONS]


@pytest.mark.parametrize(("method", "path", "parameters"), OPERATIONS, ids=IDS)
def test_no_unfit_value_of_any_parameter_gives_a_server_error(fuzzed, method, path, parameters):
    sensible = {p["name"]: (fuzzed.known.get(p["name"]) or [None])[0] for p in parameters}
    in_path = {p["name"] for p in parameters if p["in"] == "path"}
    for parameter in parameters:
        for unfit in UNFIT:
            values = {name: value for name, value in (sensible | {parameter["name"]: unfit}).items() if value is not None}
            if not in_path <= set(values):
                continue
            for role in granted(method, path):
                answer = fuzzed.send(method, path, {n: values[n] for n in in_path},
                                     {n: v for n, v in values.items() if n not in in_path}, role)
                assert answer.status_code < 500, (parameter["name"], unfit, role.value, answer.text[:300])


@pytest.mark.parametrize(("method", "path", "parameters"), OPERATIONS, ids=IDS)
def test_no_parameter_value_gives_a_server_error(fuzzed, method, path, parameters):
    @settings(max_examples=6 if parameters else 1, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(data=st.data())
    def example(data: Any) -> None:
        values = {p["name"]: data.draw(fuzzed.values(p), label=p["name"]) for p in parameters
                  if p.get("required") or p["in"] == "path" or data.draw(st.booleans())}
        in_path = {p["name"] for p in parameters if p["in"] == "path"}
        path_values = {name: value for name, value in values.items() if name in in_path}
        query = {name: value for name, value in values.items() if name not in in_path}
        for role in ROLES:
            answer = fuzzed.send(method, path, path_values, query, role)
            assert answer.status_code < 500, (role.value, answer.status_code, answer.text[:300])

    example()
