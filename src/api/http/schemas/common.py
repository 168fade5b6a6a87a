"""Types shared by the request and response models."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints


def _printable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


# Free text of at most so many characters (the domain trims and checks it again).
Text200 = Annotated[str, StringConstraints(max_length=200), AfterValidator(_printable)]
Text2000 = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_printable)]
Text4000 = Annotated[str, StringConstraints(max_length=4000), AfterValidator(_printable)]
Text20000 = Annotated[str, StringConstraints(max_length=20000), AfterValidator(_printable)]
Email = Annotated[str, StringConstraints(max_length=320, pattern=r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,}$")]


PersonId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._@:-]{0,199}$"), Field(
    description="A person's identity, as in the `sub` of their token (or their e-mail address); "
                "Trellis keeps only the opaque id it links it to.", examples=["mentee-42"],
)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Done(BaseModel):
    """A command was recorded. `position` is where its last event stands in the event log: a
    read whose `X-Trellis-Read-Position` has reached it reflects the command."""

    id: UUID = Field(description="The programme, mentor, case or partnership the command acted on.")
    position: int = Field(description="The event log position of the command's last event.", examples=[42])


class Created(Done):
    """Something new was recorded; `id` is its id."""
