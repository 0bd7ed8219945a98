"""A job's run config scaffold for the launchpad (Dagster's ``runConfigSchemaOrError``): its defaults
(``rootDefaultYaml``) and, Headwater's, the defaults with a commented placeholder for every required
field (``scaffoldYaml``). The job's code location builds it; no user code runs in the webserver."""

from __future__ import annotations

from typing import Annotated

import strawberry

from headwater.locations.client.errors import LocationError
from headwater.webserver.context import REPOSITORY_NAME, RequestContext
from headwater.webserver.graphql.errors import PipelineNotFoundError, PythonError
from headwater.webserver.graphql.jobs import PipelineSelector


@strawberry.type(description="What a job's run config looks like, as YAML to start editing from.")
class RunConfigSchema:
    root_default_yaml: str = strawberry.field(description="The config the job's defaults give.")
    scaffold_yaml: str = strawberry.field(
        description="The defaults, and a placeholder for every required field (commented ``# required``)."
    )
    has_required_fields: bool = strawberry.field(description="True when a launch needs some config.")


RunConfigSchemaOrError = Annotated[
    RunConfigSchema | PipelineNotFoundError | PythonError, strawberry.union("RunConfigSchemaOrError")
]


def run_config_schema(ctx: RequestContext, selector: PipelineSelector) -> RunConfigSchemaOrError:
    location = selector.repository_location_name
    name = selector.name or ""
    spec = ctx.location_spec(location) if location in ctx.location_names() else None
    if spec is None or name not in spec.job_names or selector.repository_name != REPOSITORY_NAME:
        return PipelineNotFoundError(
            message=f"No job {name!r} in a loaded location {location!r}.",
            pipeline_name=name,
            repository_name=selector.repository_name,
            repository_location_name=location,
        )
    try:
        found = ctx.server.workspace.client(location).run_config_scaffold(name)
    except LocationError as exc:
        return PythonError.from_exception(exc)
    return RunConfigSchema(
        root_default_yaml=str(found.get("defaults", "")),
        scaffold_yaml=str(found.get("scaffold", "")),
        has_required_fields=bool(found.get("has_required")),
    )
