"""Commands on programmes: registering and reconfiguring them."""

from __future__ import annotations

from uuid import UUID

from api.services.commanding import Commands, Recorded
from domain import Actor, Programme, ProgrammeSettings


class ProgrammeCommands(Commands):
    def register_programme(self, settings: ProgrammeSettings, actor: Actor) -> Recorded:
        with self.acting(actor):
            programme = Programme.register(settings)
        return self._answer(programme.id, programme, conflict=f"a programme named {settings.name!r} already exists")

    def reconfigure_programme(self, programme_id: UUID, settings: ProgrammeSettings, actor: Actor) -> Recorded:
        programme = self.load(Programme, programme_id)
        with self.acting(actor):
            programme.reconfigure(settings)
        return self._answer(programme_id, programme)

    def programme_settings(self, programme_id: UUID) -> ProgrammeSettings:
        return self.load(Programme, programme_id).settings
