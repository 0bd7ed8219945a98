"""Errors of talking to a code location: down, failed to load, refused a request, user code raised."""

from __future__ import annotations

from headwater.errors import HeadwaterError


class LocationError(HeadwaterError):
    """Base of the errors a code-location client raises."""

    def __init__(self, message: str, *, location: str | None = None) -> None:
        super().__init__(message)
        self.location = location


class LocationAddressError(LocationError):
    """An address that is malformed or not on this machine (code servers listen on loopback only)."""


class LocationUnavailableError(LocationError):
    """The code server cannot be reached: not started, exited, or not answering in time."""


class LocationLoadError(LocationError):
    """The code server is up, but the user code failed to import or to define valid Definitions.

    ``user_traceback`` is the traceback of the error in the user's code (file and line included).
    """

    def __init__(
        self, message: str, user_traceback: str | None = None, *, location: str | None = None
    ) -> None:
        full = message if not user_traceback else f"{message}\n\n{user_traceback}"
        super().__init__(full, location=location)
        self.summary = message
        self.user_traceback = user_traceback


class LocationRequestError(LocationError):
    """The code server refused a request: unknown job or asset, bad selection, malformed request."""

    def __init__(self, message: str, *, status: int, kind: str, location: str | None = None) -> None:
        super().__init__(message, location=location)
        self.status = status
        self.kind = kind


class RemoteUserCodeError(LocationError):
    """User code raised inside the code server while serving a request (e.g. an IO manager's load)."""

    def __init__(
        self, message: str, user_traceback: str | None = None, *, location: str | None = None
    ) -> None:
        super().__init__(
            message if not user_traceback else f"{message}\n\n{user_traceback}", location=location
        )
        self.summary = message
        self.user_traceback = user_traceback


class LocationConfigError(LocationRequestError):
    """The code refused a run request's config; ``errors`` are ``{"message", "path"}`` entries."""

    def __init__(self, message: str, errors: list[dict[str, object]], *, location: str | None = None) -> None:
        super().__init__(message, status=400, kind="invalid_config", location=location)
        self.errors = errors
