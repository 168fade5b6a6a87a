"""The domain's errors: a small hierarchy the API maps to HTTP statuses once."""


class TrellisError(Exception):
    """Base of every error Trellis raises on purpose. Messages name ids, never people."""


class Invalid(TrellisError):
    """The command's input is malformed or out of range."""


class NotAllowed(TrellisError):
    """The current state (or the actor's role) forbids the command."""


class NotFound(TrellisError):
    """No such programme, mentor, case or partnership."""


class Conflict(TrellisError):
    """Someone else changed the same thing first; reload and try again."""
