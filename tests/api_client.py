"""A test client of the HTTP API with a token for anyone: the API tests' and the
data-protection officer's tests' one client."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from api.http.auth import issue_token
from domain import Actor
from lifecycle import identity_of


@dataclass
class Api:
    client: TestClient
    settings: Any
    trellis: Any

    def token(self, actor: Actor) -> str:
        return issue_token(self.settings, identity_of(actor), [actor.role.value])

    def headers(self, actor: Actor | None, **extra: str) -> dict[str, str]:
        auth = {"Authorization": f"Bearer {self.token(actor)}"} if actor is not None else {}
        return auth | extra

    def get(self, path: str, actor: Actor | None, **kwargs: Any) -> Any:
        return self.client.get(path, headers=self.headers(actor), **kwargs)

    def post(self, path: str, actor: Actor | None, json: Any = None, **headers: str) -> Any:
        return self.client.post(path, json=json, headers=self.headers(actor, **headers))

    def head(self) -> int:
        return self.trellis.recorder.max_notification_id() or 0

    def settle(self) -> None:
        self.client.app.state.runner.wait(self.head(), timeout=30)
