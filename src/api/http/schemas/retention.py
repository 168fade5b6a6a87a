"""The data-protection officer's requests and answers: ids, dates, states and counts."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, StrictInt, model_validator

from api.http.schemas.common import Body, PersonId, Text200


class SubjectNamed(Body):
    """A person, by the identity they gave (their sign-in identity or e-mail) or by the opaque id
    Trellis shows: exactly one of the two."""

    identity: Text200 | None = Field(None, examples=["mentee-42"])
    person_id: PersonId | None = Field(None, examples=["p-2f0c…"])
    received_on: date = Field(examples=["2026-11-20"], description="When the request reached the organisation.")

    @model_validator(mode="after")
    def _one(self) -> SubjectNamed:
        if (self.identity is None) == (self.person_id is None):
            raise ValueError("name the subject by identity or by person_id, not both")
        return self


class Refusal(Body):
    lawful_basis: Literal["freedom_of_expression", "legal_obligation", "public_health", "archiving_or_research",
                          "legal_claims"]


class HoldCreate(Body):
    target: Literal["person", "case", "partnership", "programme"]
    target_id: Text200 = Field(min_length=1)
    reason: Text200 = Field(min_length=1, description="Why; a reference rather than names, please.")


class FloorChange(Body):
    floor: StrictInt = Field(ge=5, le=100, description="No statistic describes fewer people than this, whatever a "
                                                 "programme's own threshold says.")


class RequestPublic(BaseModel):
    request_id: str
    kind: str
    subject_id: str
    received_on: str
    due_on: str = Field(description="One calendar month after it was received.")
    overdue: bool
    state: str
    outcome: dict
    received_by: str | None
    closed_by: str | None
    closed_at: str | None


class HoldPublic(BaseModel):
    hold_id: str
    target: str
    target_id: str
    reason: str | None
    placed_by: str | None
    placed_at: str
    lifted_by: str | None
    lifted_at: str | None
    active: bool


class ErasurePreview(BaseModel):
    request_id: str
    subject_id: str
    keys_to_destroy: int
    cases_to_close: list[str]
    cases_to_return_to_matching: list[str]
    mentor_records_to_close: list[str]
    partnerships_whose_records_go: list[str]
    identity_linked: bool
    held_by: list[HoldPublic]


class ConsentPublic(BaseModel):
    person_id: str
    record_id: str
    recorded_at: str
    recorded_by: str | None
    special_category: bool | None
    purpose: str | None


class DuePublic(BaseModel):
    person_id: str
    closed_at: str
    held_by: str | None


class RetentionRunPublic(BaseModel):
    dry_run: bool
    due: list[DuePublic]
    erased: list[str]
    held: list[str]
