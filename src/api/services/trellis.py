"""Trellis's application: every command and event-store query, on one event store."""

from __future__ import annotations

from api.services.cases import CaseCommands
from api.services.catalogue import CatalogueQueries
from api.services.consent import ConsentCommands
from api.services.history import HistoryQueries
from api.services.access import AccessCommands
from api.services.access_log import AccessLogQueries
from api.services.audit_chain import ChainAudit
from api.services.mentors import MentorCommands
from api.services.ownership import OwnershipQueries
from api.services.partnerships import PartnershipCommands
from api.services.people import PeopleQueries
from api.services.policy import PolicyCommands
from api.services.programmes import ProgrammeCommands
from api.services.sessions import SessionQueries


class Trellis(
    ProgrammeCommands, MentorCommands, CaseCommands, PartnershipCommands, ConsentCommands,
    AccessCommands, PolicyCommands,
    SessionQueries, CatalogueQueries, HistoryQueries, OwnershipQueries, PeopleQueries, AccessLogQueries,
    ChainAudit,
):
    """One method per command, each with its own signature: load → act inside the actor's
    recording → save everything it changed at once → `Recorded(id, position)`."""

    name = "trellis"
