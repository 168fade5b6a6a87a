"""Helpers for the access-log tests: the routes as the issue classes them, written out here
(never read from the app's own table), a scene to read, and the log read straight from its
table (reading it through the API would add entries of its own)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from api_cast import Scene, Stager
from lifecycle import TODAY
from projections.sql import Store

TABLE = "trellis_access_log"
# Each personal-data read → (the object's kind, what names it): "reader" (the caller), a
# scene's "programme", "case", "partnership" or "mentor", its "erasure" or "access" request, or
# None (the read spans the whole service).
PERSONAL_READS = {
    "GET /me/export": ("person", "reader"),
    "GET /me/export.html": ("person", "reader"),
    "GET /programmes/{programme_id}/pipeline": ("programme_cases", "programme"),
    "GET /mentors": ("programme_mentors", "programme"),
    "GET /mentors/capacity": ("programme_mentors", "programme"),
    "GET /mentors/{mentor_id}": ("mentor", "mentor"),
    "GET /cases": ("programme_cases", "programme"),
    "GET /cases/{case_id}": ("case", "case"),
    "GET /cases/{case_id}/timeline": ("history", "case"),
    "GET /partnerships/{partnership_id}/timeline": ("history", "partnership"),
    "GET /mentors/{mentor_id}/timeline": ("history", "mentor"),
    "GET /programmes/{programme_id}/timeline": ("programme_history", "programme"),
    "GET /partnerships": ("programme_partnerships", "programme"),
    "GET /partnerships/mine": ("programme_partnerships", "programme"),
    "GET /partnerships/{partnership_id}": ("partnership", "partnership"),
    "GET /partnerships/{partnership_id}/sessions": ("partnership", "partnership"),
    "GET /line-manager/reports": ("line_manager_reports", "reader"),
    "GET /audit/events": ("history", None),
    "GET /audit/history": ("history", None),
    "GET /audit/history/export": ("history", None),
    "GET /audit/history": ("history", None),
    "GET /audit/history/export": ("history", None),
    "GET /audit/cases/{case_id}/as-of": ("case", "case"),
    "GET /audit/partnerships/{partnership_id}/as-of": ("partnership", "partnership"),
    "GET /audit/mentors/{mentor_id}/as-of": ("mentor", "mentor"),
    "GET /audit/programmes/{programme_id}/board/as-of": ("programme_cases", "programme"),
    "GET /audit/access-log": ("access_log", None),
    "GET /retention/erasure-requests": ("data_protection", None),
    "GET /retention/subject-access-requests": ("data_protection", None),
    "GET /retention/legal-holds": ("data_protection", None),
    "GET /retention/schedule": ("data_protection", None),
    "GET /retention/consents": ("data_protection", None),
    "GET /retention/erasure-requests/{request_id}/preview": ("request", "erasure"),
    "GET /retention/subject-access-requests/{request_id}/export": ("request", "access"),
    "GET /retention/subject-access-requests/{request_id}/export.html": ("request", "access"),
}
# Nothing personal: health, readiness and metrics, the dashboard's files, the demo's sign-in
# list, the caller's own sign-in (/me), programmes' configuration (now and as of a moment),
# anonymous statistics.
NOT_PERSONAL = {
    "GET /health", "GET /ready", "GET /metrics", "GET /", "GET /dashboard", "GET /dashboard/", "GET /dashboard/{name}",
    "GET /dev/demo-sign-in", "GET /me", "GET /programmes", "GET /programmes/{programme_id}",
    "GET /audit/programmes/{programme_id}/as-of", "GET /statistics",
    "GET /audit/verification", "GET /audit/checkpoints",  # the hash chain's verdicts and checkpoints
}
ISO_UTC = "%Y-%m-%dT%H:%M:%S.%f+00:00"


def scene(api) -> Scene:
    """An active partnership, its people, an open erasure and access request about its mentee and
    a hold on its case; the read models caught up."""
    stager = Stager(api.trellis)
    s = stager.with_dpo_records(stager.scene("active"))
    api.settle()
    return s


def fill(path: str, s: Scene) -> str:
    request_id = s.requests.get("erasure" if path.startswith("/retention/erasure-requests/") else "access")
    return path.format(case_id=s.case_id, partnership_id=s.partnership_id, mentor_id=s.mentor_id,
                       programme_id=s.programme_id, name="index.html", request_id=request_id, hold_id=s.hold_id)


def read(api, key: str, s: Scene, actor) -> Any:
    path = key.split(" ", 1)[1]
    params = {"programme_id": str(s.programme_id), "on": TODAY.isoformat(),
              "period": f"{TODAY.year}-Q{(TODAY.month - 1) // 3 + 1}"}
    return api.client.get(fill(path, s), params=params, headers=api.headers(actor), follow_redirects=False)


def rows(api, after: int = 0) -> list[dict[str, Any]]:
    """The log's rows after entry `after`, straight from the table, in the order written."""
    store = Store.beside(api.trellis.recorder)
    return store.query(f"SELECT * FROM {TABLE} WHERE entry > ? ORDER BY entry", (after,))


def last(api) -> int:
    store = Store.beside(api.trellis.recorder)
    return store.query(f"SELECT COALESCE(MAX(entry), 0) AS n FROM {TABLE}")[0]["n"]


def ticking(clock, start: datetime):
    """Moves the app's clock a second on at each call; returns the moment set."""
    moments = iter(start + timedelta(seconds=n) for n in range(100_000))

    def tick() -> datetime:
        moment = next(moments)
        clock.set(moment)
        return moment

    return tick
