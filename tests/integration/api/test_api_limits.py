"""Every input has a limit, checked before any work, and no input reaches a 500.

The acceptance findings each have a test here, on SQLite and PostgreSQL: absurd statistics
periods, a NUL in a filter or a body, positions past 64 bits, strict numbers and flags,
invisible or direction-reversing names, unknown programmes. Then the body limits, driven
through the app as a server would drive it (counting what the app pulls from the client),
the 5xx log line, the security headers and the API docs.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import re
import time
from collections.abc import Iterator
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from api.bootstrap import init_database
from api.http.app import create_app
from api.http.deps import get_read_models
from api.http.problems import NotReady
from api.settings import Settings
from api_support import cast
from domain import Role
from lifecycle import TODAY

MiB = 1024 * 1024
PRODUCTION = {"environment": "production", "master_key": base64.b64encode(b"m" * 32).decode(),
              "server_key": base64.b64encode(b"s" * 32).decode(), "jwt_secret": "p" * 40}


def refused(response, status: int, slug: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status and "Traceback" not in response.text
    if slug is not None:
        assert problem["type"] == f"/problems/{slug}"
    return problem


def eoi(programme_id, name: str, identity: str | None = None) -> dict:
    return {"programme_id": str(programme_id), "mentee_id": identity or f"mentee-{uuid4().hex[:8]}",
            "line_manager_id": f"manager-{uuid4().hex[:8]}", "statement": "",
            "details": {"name": name, "email": "someone@school.example"}}


class TestTheAcceptanceFindings:
    def test_absurd_statistics_periods_are_refused(self, api):
        c = cast(api.trellis)
        admin = c.people[Role.ADMINISTRATOR]
        for period in ("9999", "0000", "9999-12", "9999-Q4", "0000-Q1", "10000-Q1", "2026-Q5", "2026-q1"):
            refused(api.get("/statistics", admin, params={"programme_id": str(c.programme_id), "period": period}), 422)
        assert api.get("/statistics", admin, params={"programme_id": str(c.programme_id), "period": "2026-Q2"}
                       ).status_code == 200

    def test_a_nul_in_a_filter_or_an_address_is_refused_for_any_role(self, api):
        c = cast(api.trellis)
        for name in ("sector", "region", "expertise"):
            response = api.get("/mentors", c.people[Role.MENTEE],
                               params={"programme_id": str(c.programme_id), name: "maths\x00"})
            refused(response, 400, "nul-character")
        refused(api.get("/retention/consents", c.people[Role.DPO], params={"person_id": "p-\x00"}), 400, "nul-character")
        refused(api.get("/cases/%00", c.people[Role.ADMINISTRATOR]), 400, "nul-character")

    def test_an_address_longer_than_8_kib_is_refused(self, api):
        c = cast(api.trellis)
        mentee, programme = c.people[Role.MENTEE], str(c.programme_id)
        refused(api.get("/mentors", mentee, params={"programme_id": programme, "sector": "m" * 9000}), 414, "too-long")
        refused(api.get("/cases/" + "a" * 8200, c.people[Role.ADMINISTRATOR]), 414, "too-long")
        # a long filter within the address limit is the route's to judge (60 characters at most)
        refused(api.get("/mentors", mentee, params={"programme_id": programme, "sector": "m" * 7000}), 422)

    def test_a_nul_in_a_body_is_refused_and_writes_nothing(self, api):
        c = cast(api.trellis)
        before = api.head()
        session = {"held_on": TODAY.isoformat(), "minutes": 30, "notes": "a\x00b"}
        refused(api.post(f"/partnerships/{c.partnership_id}/sessions", c.people[Role.MENTEE], session), 400,
                "nul-character")
        assert api.head() == before
        # an escaped backslash before "u0000" is text, not a NUL: it is recorded
        session["notes"] = "C:\\u0000 is a path"
        assert api.post(f"/partnerships/{c.partnership_id}/sessions", c.people[Role.MENTEE], session
                        ).status_code == 201

    @pytest.mark.parametrize("after", [2**63, 2**64, -1])
    def test_positions_beyond_64_bits_are_refused(self, api, after):
        c = cast(api.trellis)
        refused(api.get("/audit/events", c.people[Role.AUDITOR], params={"after": after}), 422)
        refused(api.get(f"/cases/{c.case_id}/timeline", c.people[Role.ADMINISTRATOR], params={"after": after}), 422)
        assert api.get("/audit/events", c.people[Role.AUDITOR], params={"after": 2**63 - 1}).json() == []

    def test_numbers_and_flags_must_be_numbers_and_flags(self, api):
        c = cast(api.trellis)
        admin, before = c.people[Role.ADMINISTRATOR], api.head()
        for capacity in (True, False, "3", 3.0, "true"):
            refused(api.post(f"/mentors/{c.mentor_id}/capacity", admin, {"capacity": capacity}), 422)
        session = {"held_on": TODAY.isoformat(), "minutes": True}
        refused(api.post(f"/partnerships/{c.partnership_id}/sessions", c.people[Role.MENTEE], session), 422)
        programme = {"name": f"Strict {uuid4().hex[:8]}", "line_manager_approval": "yes"}
        refused(api.post("/programmes", admin, programme), 422)
        assert api.head() == before
        assert api.post(f"/mentors/{c.mentor_id}/capacity", admin, {"capacity": 3}).status_code == 200

    def test_an_unknown_programme_is_not_found_on_every_programme_scoped_route(self, api):
        c = cast(api.trellis)
        admin, mentee = c.people[Role.ADMINISTRATOR], c.people[Role.MENTEE]
        routes = [
            ("/cases", admin, {}), ("/partnerships", admin, {}), ("/partnerships/mine", mentee, {}),
            ("/mentors", mentee, {}), ("/mentors/capacity", admin, {}), ("/statistics", admin, {"period": "2026-Q2"}),
        ]
        for programme, status in ((uuid4(), 404), (c.programme_id, 200)):
            for path, actor, params in routes:
                response = api.get(path, actor, params={"programme_id": str(programme)} | params)
                assert response.status_code == status, (path, response.text)
            for path in (f"/programmes/{programme}", f"/programmes/{programme}/pipeline"):
                assert api.get(path, admin).status_code == status, path
        refused(api.get(f"/programmes/{uuid4()}/pipeline", admin), 404, "not-found")

    @pytest.mark.parametrize("name", ["\u200b\u200b", "\u200d\ufeff\u2060", "\u3164", "Sam \u202eevil",
                                      "\u2066Sam\u2069", "Sam\x1b[2J"])
    def test_invisible_or_direction_reversing_names_are_refused_and_write_nothing(self, api, name):
        c = cast(api.trellis)
        before = api.head()
        problem = refused(api.post("/cases", c.people[Role.ADMINISTRATOR], eoi(c.programme_id, name)), 422)
        assert re.search("visible|direction|control character", problem["detail"]), problem["detail"]
        assert api.head() == before

    def test_a_name_in_two_scripts_with_a_direction_mark_is_accepted(self, api):
        c = cast(api.trellis)
        answer = api.post("/cases", c.people[Role.ADMINISTRATOR], eoi(c.programme_id, "Dana \u200fדנה\u200e Cohen"))
        assert answer.status_code == 201, answer.text


@pytest.fixture
def served(sqlite_settings) -> Iterator[TestClient]:
    settings = sqlite_settings.model_copy(update={"run_projections": False})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def admin_token(client: TestClient) -> bytes:
    from api.http.auth import issue_token

    return f"Bearer {issue_token(client.app.state.settings, 'admin-limits', ['administrator'])}".encode()


def through_the_app(client: TestClient, method: str, path: str, *, declared: int | None = None,
                    streamed: int = 0, token: bytes | None = None,
                    extra: tuple[tuple[bytes, bytes], ...] = (), http_version: str = "1.1") -> tuple[int, dict, int]:
    """One request driven as a server drives the app; the client offers `streamed` bytes in 1 MiB
    chunks (and declares `declared` as its Content-Length, or else sends them chunked). Answers the
    status, the problem and how many chunks the app pulled from the client."""
    headers = [(b"host", b"testserver"), (b"content-type", b"application/json")]
    headers += [(b"content-length", str(declared).encode())] if declared is not None else []
    chunked = declared is None and streamed and http_version.startswith("1")  # HTTP/2 frames bodies itself
    headers += [(b"transfer-encoding", b"chunked")] if chunked else []
    headers += [(b"authorization", token)] if token else []
    headers += list(extra)
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": http_version, "method": method,
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": headers, "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}
    chunk, chunks = b"[" * MiB, streamed // MiB
    pulled, answer = [], {"status": 0, "body": b""}

    async def receive() -> dict:
        if len(pulled) >= chunks:
            return {"type": "http.disconnect"}
        pulled.append(1)
        return {"type": "http.request", "body": chunk, "more_body": len(pulled) < chunks}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        else:
            answer["body"] += message.get("body", b"")

    client.portal.call(client.app, scope, receive, send)
    return answer["status"], json.loads(answer["body"] or b"null"), len(pulled)


class TestBodies:
    def test_a_declared_150_mb_body_is_refused_before_a_byte_is_read(self, served):
        for method, path in (("GET", "/health"), ("POST", "/programmes"), ("POST", f"/mentors/{uuid4()}/pause")):
            status, problem, pulled = through_the_app(served, method, path, declared=150 * MiB, streamed=150 * MiB,
                                                      token=admin_token(served))
            assert (status, problem["type"], pulled) == (413, "/problems/too-large", 0), path

    def test_a_streamed_body_is_refused_as_soon_as_it_passes_the_limit(self, served):
        status, problem, pulled = through_the_app(served, "POST", "/programmes", streamed=150 * MiB,
                                                  token=admin_token(served))
        assert (status, problem["type"]) == (413, "/problems/too-large")
        assert pulled == 2  # 1 MiB is the limit: the second chunk passes it

    def test_over_http_2_a_body_with_no_length_is_counted_too(self, served):
        status, problem, pulled = through_the_app(served, "POST", "/programmes", streamed=150 * MiB,
                                                  token=admin_token(served), http_version="2")
        assert (status, problem["type"], pulled) == (413, "/problems/too-large", 2)

    def test_a_route_that_takes_no_body_never_reads_one(self, served):
        for method, path in (("GET", "/health"), ("GET", "/programmes"), ("POST", f"/mentors/{uuid4()}/pause")):
            status, _, pulled = through_the_app(served, method, path, streamed=150 * MiB, token=admin_token(served))
            assert status in (200, 404) and pulled == 0, (path, status)

    def test_a_command_that_takes_no_body_reads_none_with_an_idempotency_key(self, served):
        key = ((b"idempotency-key", uuid4().hex.encode()),)
        status, _, pulled = through_the_app(served, "POST", f"/mentors/{uuid4()}/pause", streamed=150 * MiB,
                                            token=admin_token(served), extra=key)
        assert (status, pulled) == (404, 0)

    def test_the_limit_is_a_setting(self, sqlite_settings):
        settings = sqlite_settings.model_copy(update={"run_projections": False, "max_body_bytes": 4096})
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            status, _, _ = through_the_app(client, "POST", "/programmes", declared=5000, token=admin_token(client))
            assert status == 413
        assert Settings(environment="test").max_body_bytes == MiB

    def test_deep_nesting_is_refused_before_it_is_parsed(self, served):
        headers = {"authorization": admin_token(served).decode(), "content-type": "application/json"}
        for depth, status in ((32, 422), (33, 400), (5000, 400)):
            body = '{"name": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"
            response = served.post("/programmes", content=body, headers=headers)
            assert response.status_code == status, (depth, response.text)
        refused(served.post("/programmes", content="[" * 40, headers=headers), 400, "too-deep")

    def test_brackets_inside_text_are_not_nesting(self, served):
        headers = {"authorization": admin_token(served).decode()}
        name = f"[[[{{{{ {uuid4().hex[:8]} " + "[" * 100
        response = served.post("/programmes", json={"name": name}, headers=headers)
        assert response.status_code == 201, response.text


class TestUnexpectedErrors:
    MARKER = "LIMITS-500-MESSAGE-9c1e"

    def test_a_5xx_logs_the_type_and_request_id_never_the_message(self, api, captured_logs):
        def broken():
            raise RuntimeError(self.MARKER)

        start = len(captured_logs.getvalue())
        api.client.app.dependency_overrides[get_read_models] = broken
        try:
            response = api.get("/line-manager/reports", cast(api.trellis).people[Role.LINE_MANAGER])
        finally:
            api.client.app.dependency_overrides.clear()
        problem = refused(response, 500, "internal")
        assert self.MARKER not in response.text and problem["detail"] == "the error has been logged"
        lines = [json.loads(line) for line in captured_logs.getvalue()[start:].splitlines() if line.startswith("{")]
        errors = [line for line in lines if line.get("event") == "unhandled_error"]
        assert [(e["error_type"], e["request_id"]) for e in errors] == [("RuntimeError", response.headers["x-request-id"])]
        assert not [line for line in lines if self.MARKER in json.dumps(line)]

    def test_a_503_logs_the_type_and_request_id_never_the_message(self, api, captured_logs):
        def unready():
            raise NotReady(self.MARKER)

        start = len(captured_logs.getvalue())
        api.client.app.dependency_overrides[get_read_models] = unready
        try:
            response = api.get("/line-manager/reports", cast(api.trellis).people[Role.LINE_MANAGER])
        finally:
            api.client.app.dependency_overrides.clear()
        refused(response, 503, "not-ready")
        lines = [json.loads(line) for line in captured_logs.getvalue()[start:].splitlines() if line.startswith("{")]
        logged = [(line["error_type"], line["request_id"]) for line in lines if "error_type" in line]
        assert logged == [("NotReady", response.headers["x-request-id"])]
        assert not [line for line in lines if self.MARKER in json.dumps(line)]


class TestSecurityHeaders:
    def test_every_api_answer_is_never_stored_sniffed_or_run(self, api):
        c = cast(api.trellis)
        api.settle()
        answers = [
            api.get(f"/cases/{c.case_id}", c.people[Role.ADMINISTRATOR]),
            api.get("/me/export", c.people[Role.MENTEE]),
            api.get(f"/partnerships/{c.partnership_id}/sessions", c.people[Role.MENTOR]),
            api.get("/retention/consents", c.people[Role.DPO]),
            api.get("/me", None), api.get(f"/cases/{uuid4()}", c.people[Role.ADMINISTRATOR]),
            api.client.get("/health", headers={"content-length": str(2 * MiB)}),
        ]
        assert [a.status_code for a in answers] == [200, 200, 200, 200, 401, 404, 413]
        for answer in answers:
            assert answer.headers["cache-control"] == "no-store"
            assert answer.headers["x-content-type-options"] == "nosniff"
            assert answer.headers["referrer-policy"] == "no-referrer"
            assert answer.headers["content-security-policy"].startswith("default-src 'none'")

    def test_the_dashboard_files_may_be_cached_and_keep_their_own_policy(self, api):
        answer = api.client.get("/dashboard/app.css")
        assert answer.status_code == 200
        assert answer.headers["cache-control"] == "no-cache"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert "script-src 'self'" in answer.headers["content-security-policy"]

    def test_the_printable_export_may_use_its_own_style_and_nothing_else(self, api):
        answer = api.get("/me/export.html", cast(api.trellis).people[Role.MENTEE])
        assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
        styles = re.findall(r"<style>(.*?)</style>", answer.text, re.S)
        assert styles
        hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in styles}
        policy = dict(part.strip().split(" ", 1) for part in answer.headers["content-security-policy"].split(";"))
        assert policy["default-src"] == "'none'"
        assert set(policy["style-src"].split()) == hashes
        assert "script-src" not in policy


class TestTheApiDocs:
    @pytest.fixture
    def production(self, tmp_path) -> Settings:
        settings = Settings(**PRODUCTION, persistence="sqlite", data_dir=tmp_path, run_projections=False)
        init_database(settings)
        return settings

    def test_are_off_in_production(self, production):
        with TestClient(create_app(production)) as client:
            for path in ("/docs", "/openapi.json", "/redoc", "/docs/assets/swagger-ui-bundle.js"):
                assert client.get(path).status_code == 404, path

    def test_when_enabled_load_nothing_from_elsewhere(self, production):
        with TestClient(create_app(production.model_copy(update={"api_docs": True}))) as client:
            page = client.get("/docs")
            assert page.status_code == 200
            policy = page.headers["content-security-policy"]
            assert "script-src 'self';" in policy and "'unsafe-inline'" not in policy
            sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
            assert len(sources) == 4 and "<script>" not in page.text
            for source in sources:
                assert source.startswith("/docs/assets/"), source
                asset = client.get(source)
                assert asset.status_code == 200 and len(asset.content) > 100, source
            assert "paths" in client.get("/openapi.json").json()

    def test_are_on_in_development(self, sqlite_settings):
        with TestClient(create_app(sqlite_settings.model_copy(update={"run_projections": False}))) as client:
            assert client.get("/docs").status_code == 200
            assert client.get("/openapi.json").status_code == 200


class TestTheBodyScanner:
    """The checks the limits make on a body's bytes, without parsing it."""

    def test_nesting_counts_arrays_and_objects_and_skips_text(self):
        from api.http.limits import nesting_exceeds

        assert nesting_exceeds(b'{"a": [[{"b": []}]]}', 4) and not nesting_exceeds(b'{"a": [[{"b": []}]]}', 5)
        assert not nesting_exceeds(b'{"a": "[[[[[[[[[[", "b": "{{{{{{"}', 1)
        assert not nesting_exceeds(b'{"a": "\\"[[[[[[\\\\", "b": 1}', 1)  # escaped quote, escaped backslash
        assert not nesting_exceeds(b"[]" * 10_000, 1)  # wide is not deep

    def test_a_nul_is_found_raw_or_escaped_but_an_escaped_backslash_is_not_one(self):
        from api.http.limits import refuse_content
        from api.http.problems import InputRefused

        for body in (b'{"a": "\\u0000"}', b'{"a": "x\\\\\\u0000"}', b'{"a": "\x00"}'):
            with pytest.raises(InputRefused):
                refuse_content(body, 32)
        for body in (b'{"a": "\\\\u0000"}', b'{"a": "\\\\\\\\u0000"}', b'{"a": "\\u0001 \\u00e9"}'):
            refuse_content(body, 32)

    @pytest.mark.parametrize("body", [
        b'"' + b'\\"' * (MiB // 2 - 1),  # a string never closed, of escaped quotes
        b'["' + b'\\' * (MiB - 4) + b'"]',  # one long run of backslashes
        (b'"' + b'\\' * 1023) * 1023,  # many strings left open
        b'"\\u0000"' * (MiB // 10),
    ], ids=["open-string", "backslashes", "open-strings", "escaped-nuls"])
    def test_a_body_at_the_limit_is_scanned_in_linear_time(self, body):
        """A scan that backtracks takes hours on such a megabyte; a linear one a fraction of a second."""
        from api.http.limits import refuse_content
        from api.http.problems import InputRefused

        assert len(body) <= MiB
        started = time.perf_counter()
        with contextlib.suppress(InputRefused):
            refuse_content(body, 32)
        assert time.perf_counter() - started < 3
