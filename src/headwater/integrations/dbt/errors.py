"""Errors of the dbt integration (Dagster's names)."""

from __future__ import annotations

from headwater.errors import HeadwaterError


class DagsterDbtError(HeadwaterError):
    """Something about a dbt project or its invocation is wrong."""


class DagsterDbtManifestNotFoundError(DagsterDbtError):
    """The manifest.json a dbt asset definition needs does not exist."""


class DbtCliRuntimeError(DagsterDbtError):
    """A dbt command exited with an error."""
