"""What people tell us about themselves, as a request carries it."""

from __future__ import annotations

from pydantic import Field

from api.http.schemas.common import Body, Email, Text200
from domain import PersonDetails


class PersonDetailsBody(Body):
    name: Text200 = Field(min_length=1, examples=["Sam Taylor"])
    email: Email = Field(examples=["sam.taylor@school.example"])
    job_title: Text200 = Field("", examples=["Head of science"])
    organisation: Text200 = Field("", examples=["Northfield Academy"])

    def details(self) -> PersonDetails:
        return PersonDetails(self.name, self.email, self.job_title, self.organisation)


class SpecialCategoryBody(Body):
    """Special-category answers: kept only with consent, used only for matching."""

    ethnicity: Text200 | None = None
    disability: Text200 | None = None
    lived_experience: Text200 | None = None

    def answers(self) -> dict[str, str]:
        return {k: v for k, v in self.model_dump().items() if v is not None}
