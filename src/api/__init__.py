"""The ways in: the application services, settings, CLI, and (later) the HTTP API."""
