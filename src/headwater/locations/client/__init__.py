"""The server side of code locations: clients of code servers and the workspace that starts them.

Never imports user code (nor definitions, execution or locations.server): everything arrives as JSON.
"""

from headwater.locations.client.address import LocationAddress
from headwater.locations.client.client import LocationClient, RunRequestReply
from headwater.locations.client.errors import (
    LocationAddressError,
    LocationConfigError,
    LocationError,
    LocationLoadError,
    LocationRequestError,
    LocationUnavailableError,
    RemoteUserCodeError,
)
from headwater.locations.client.workspace import LocationHandle, Workspace
from headwater.locations.client.workspace_file import LocationEntry, WorkspaceFileError, read_workspace_file

__all__ = [
    "LocationAddress",
    "LocationAddressError",
    "LocationClient",
    "LocationConfigError",
    "LocationEntry",
    "LocationError",
    "LocationHandle",
    "LocationLoadError",
    "LocationRequestError",
    "LocationUnavailableError",
    "RemoteUserCodeError",
    "RunRequestReply",
    "Workspace",
    "WorkspaceFileError",
    "read_workspace_file",
]
