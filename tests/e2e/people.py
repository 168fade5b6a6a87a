"""Set-up over the JSON API with each person's own token, as the people themselves would."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from uuid import uuid4

import httpx

from api.http.auth import issue_token
from api.settings import Settings
from lifecycle import unique

READ_POSITION = "X-Trellis-Read-Position"


@dataclass
class Programme:
    """One programme on a live server, driven through the API by people with real tokens."""

    url: str
    settings: Settings
    threshold: int = 2
    admin_id: str = field(default_factory=lambda: unique("admin"))
    manager_id: str = field(default_factory=lambda: unique("manager"))
    programme_id: str = ""
    name: str = field(default_factory=lambda: unique("E2E programme"))
    mentor_ids: list[str] = field(default_factory=list)
    position: int = 0

    def token(self, person: str, role: str) -> str:
        return issue_token(self.settings, person, [role])

    def as_(self, person: str, role: str) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token(person, role)}"}
        return httpx.Client(base_url=self.url, headers=headers, timeout=15)

    @property
    def admin_token(self) -> str:
        return self.token(self.admin_id, "administrator")

    def command(self, person: str, role: str, path: str, body: dict | None = None) -> dict:
        with self.as_(person, role) as client:
            answer = client.post(path, json=body or {}, headers={"Idempotency-Key": uuid4().hex})
        assert answer.status_code in (200, 201), f"{path}: {answer.status_code} {answer.text}"
        result = answer.json()
        self.position = max(self.position, result["position"])
        return result

    def admin(self, path: str, body: dict | None = None) -> dict:
        return self.command(self.admin_id, "administrator", path, body)

    def register(self) -> Programme:
        self.programme_id = self.admin("/programmes", {
            "name": self.name, "small_group_threshold": self.threshold,
        })["id"]
        return self

    def mentor(self, name: str, capacity: int) -> str:
        person = unique("mentor")
        mentor_id = self.command(person, "mentor", "/mentors", {
            "programme_id": self.programme_id, "person_id": person,
            "details": {"name": name, "email": f"{person}@example.org"},
        })["id"]
        self.admin(f"/mentors/{mentor_id}/training", {"completed_on": date.today().isoformat()})
        self.command(person, "mentor", f"/mentors/{mentor_id}/join-pool", {
            "capacity": capacity, "profile": {"headline": "Head of maths", "expertise": ["maths"]},
        })
        return mentor_id

    def eoi(self, name: str) -> tuple[str, str]:
        """A mentee's expression of interest, naming this programme's line manager."""
        mentee = unique("mentee")
        case_id = self.command(mentee, "mentee", "/cases", {
            "programme_id": self.programme_id, "mentee_id": mentee, "line_manager_id": self.manager_id,
            "details": {"name": name, "email": f"{mentee}@example.org"}, "statement": "I lead a new team.",
        })["id"]
        return case_id, mentee

    def approve(self, case_id: str) -> None:
        self.command(self.manager_id, "line_manager", f"/cases/{case_id}/approve", {"priority": False})

    def withdraw(self, case_id: str) -> None:
        self.admin(f"/cases/{case_id}/withdraw", {"reason": "Changed role"})

    def active_partnership(self, name: str, mentor_id: str) -> tuple[str, str, str]:
        """A case taken all the way to an active partnership, each step by its own actor."""
        case_id, mentee = self.eoi(name)
        self.approve(case_id)
        self.command(mentee, "mentee", f"/cases/{case_id}/matching-request",
                     {"preferences": [mentor_id], "goals": "Lead my team"})
        self.admin(f"/cases/{case_id}/match-proposal", {"mentor_id": mentor_id, "reasons": "Shared phase"})
        self.admin(f"/cases/{case_id}/discovery-call", {"held_on": date.today().isoformat()})
        partnership_id = self.admin(f"/cases/{case_id}/confirm-match")["id"]
        for party in ("mentee", "mentor"):
            self.admin(f"/partnerships/{partnership_id}/signatures", {"party": party})
        return case_id, partnership_id, mentee

    def read(self, path: str, **params: str) -> httpx.Response:
        with self.as_(self.admin_id, "administrator") as client:
            return client.get(path, params=params)

    def wait_for_read_models(self, timeout: float = 15.0) -> None:
        """Until the read models have reached our last command's position, as the API reports
        it on every read (the tracked position, not a guess)."""
        deadline = time.monotonic() + timeout
        while True:
            answer = self.read(f"/programmes/{self.programme_id}/pipeline")
            assert READ_POSITION in answer.headers, f"reads carry no {READ_POSITION} header"
            reached = int(answer.headers[READ_POSITION])
            if reached >= self.position:
                return
            assert time.monotonic() < deadline, f"read models stuck at {reached} < {self.position}"
            time.sleep(0.02)


def person_id(url: str, settings: Settings, identity: str, role: str) -> str:
    """The opaque id (p-…) Trellis knows someone by, as `/me` tells them with their own token."""
    headers = {"Authorization": f"Bearer {issue_token(settings, identity, [role])}"}
    with httpx.Client(base_url=url, headers=headers, timeout=15) as client:
        answer = client.get("/me")
    assert answer.status_code == 200, f"/me: {answer.status_code} {answer.text}"
    return answer.json()["id"]
