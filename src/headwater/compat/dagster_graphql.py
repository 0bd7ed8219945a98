"""``DagsterGraphQLClient`` for Headwater's webserver (``dagster_graphql``'s client, same methods, same
results and errors), on the standard library: no ``gql`` or ``requests`` needed.

    from headwater.compat.dagster_graphql import DagsterGraphQLClient

    client = DagsterGraphQLClient("localhost", port_number=3000)
    run_id = client.submit_job_execution("reports", run_config={...}, tags={"team": "data"})
    status = client.get_run_status(run_id)            # a RunStatus (Dagster's DagsterRunStatus)
    client.reload_repository_location("my_location")

It sends the operations Dagster's client sends (``launchPipelineExecution``, ``pipelineRunOrError``,
``reloadRepositoryLocation``, ``shutdownRepositoryLocation``, ``terminateRun``, ``terminateRuns``), so
Dagster's own client works against Headwater's webserver too.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any, NamedTuple

from headwater.core.asset_key import AssetKey
from headwater.errors import HeadwaterError
from headwater.events.run_status import RunStatus

__all__ = [
    "DagsterGraphQLClient",
    "DagsterGraphQLClientError",
    "InvalidOutputErrorInfo",
    "ReloadRepositoryLocationInfo",
    "ReloadRepositoryLocationStatus",
    "ShutdownRepositoryLocationInfo",
    "ShutdownRepositoryLocationStatus",
]

_SUBMIT = """
mutation GraphQLClientSubmitRun($executionParams: ExecutionParams!) {
  launchPipelineExecution(executionParams: $executionParams) {
    __typename
    ... on InvalidStepError { invalidStepKey }
    ... on InvalidOutputError { stepKey invalidOutputName }
    ... on LaunchPipelineRunSuccess { run { runId } }
    ... on PipelineConfigValidationInvalid { errors { __typename message path reason } }
    ... on Error { message }
  }
}
"""

_JOBS = """
query GraphQLClientGetJobNames {
  repositoriesOrError {
    __typename
    ... on RepositoryConnection { nodes { name location { name } pipelines { name } } }
    ... on PythonError { message }
  }
}
"""

_STATUS = """
query GraphQLClientGetRunStatus($runId: ID!) {
  pipelineRunOrError(runId: $runId) {
    __typename
    ... on PipelineRun { status }
    ... on Error { message }
  }
}
"""

_RELOAD = """
mutation GraphQLClientReloadCodeLocation($repositoryLocationName: String!) {
  reloadRepositoryLocation(repositoryLocationName: $repositoryLocationName) {
    __typename
    ... on WorkspaceLocationEntry {
      name
      locationOrLoadError { __typename ... on PythonError { message } }
    }
    ... on Error { message }
  }
}
"""

_SHUTDOWN = """
mutation GraphQLClientShutdownCodeLocation($repositoryLocationName: String!) {
  shutdownRepositoryLocation(repositoryLocationName: $repositoryLocationName) {
    __typename
    ... on Error { message }
  }
}
"""

_TERMINATE_RUNS = """
mutation GraphQLClientTerminateRuns($runIds: [String!]!) {
  terminateRuns(runIds: $runIds) {
    __typename
    ... on TerminateRunsResult {
      terminateRunResults {
        __typename
        ... on TerminateRunSuccess { run { runId } }
        ... on TerminateRunFailure { message }
        ... on Error { message }
      }
    }
    ... on PythonError { message }
  }
}
"""

_TERMINATE = """
mutation GraphQLClientTerminateRun($runId: String!) {
  terminateRun(runId: $runId) {
    __typename
    ... on TerminateRunSuccess { run { runId } }
    ... on TerminateRunFailure { message }
    ... on Error { message }
  }
}
"""


class DagsterGraphQLClientError(HeadwaterError):
    """A request failed: ``args`` is ``(kind, message)`` as in Dagster (``kind`` is the GraphQL type,
    e.g. ``"RunConfigValidationInvalid"``); ``body`` holds structured details when there are some."""

    def __init__(self, *args: Any, body: Any = None) -> None:
        super().__init__(*args)
        self.body = body


class InvalidOutputErrorInfo(NamedTuple):
    step_key: str
    invalid_output_name: str


class ReloadRepositoryLocationStatus(Enum):
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"


class ReloadRepositoryLocationInfo(NamedTuple):
    status: ReloadRepositoryLocationStatus
    failure_type: str | None = None
    message: str | None = None


class ShutdownRepositoryLocationStatus(Enum):
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"


class ShutdownRepositoryLocationInfo(NamedTuple):
    status: ShutdownRepositoryLocationStatus
    message: str | None = None


class DagsterGraphQLClient:
    """A client of the webserver's GraphQL API at ``http(s)://hostname[:port_number]{path_prefix}/graphql``."""

    def __init__(
        self,
        hostname: str,
        port_number: int | None = None,
        transport: Any = None,
        use_https: bool = False,
        timeout: int = 300,
        headers: dict[str, str] | None = None,
        auth: Any = None,
        path_prefix: str = "",
    ) -> None:
        if transport is not None or auth is not None:
            raise DagsterGraphQLClientError(
                "Headwater's DagsterGraphQLClient talks HTTP itself: pass headers= (e.g. an Authorization "
                "header) instead of transport= or auth=."
            )
        if path_prefix and not path_prefix.startswith("/"):
            raise DagsterGraphQLClientError(f'path_prefix must start with "/", got: {path_prefix}')
        netloc = f"{hostname}:{port_number}" if port_number else hostname
        self._url = f"{'https' if use_https else 'http'}://{netloc}{path_prefix.rstrip('/')}/graphql"
        self._timeout = timeout
        self._headers = dict(headers or {})

    @property
    def url(self) -> str:
        return self._url

    def _execute(self, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        body = json.dumps({"query": query, "variables": dict(variables or {})}).encode()
        request = urllib.request.Request(
            self._url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json", **self._headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                payload = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace")[:500]
            raise DagsterGraphQLClientError(
                f"Server error with code {exc.code} and message {detail} occurred during execution of query "
                f"\n{query}\n with variables \n{variables}\n"
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise DagsterGraphQLClientError(
                f"Error when connecting to url {self._url}: {exc}. Did you specify the hostname and port "
                "of a running webserver (`headwater dev`, `headwater webserver`)?"
            ) from exc
        if payload.get("errors"):
            messages = "; ".join(str(e.get("message")) for e in payload["errors"])
            raise DagsterGraphQLClientError(f"The webserver refused the query: {messages}")
        data = payload.get("data")
        if not isinstance(data, dict):
            raise DagsterGraphQLClientError(f"The webserver sent no data: {payload!r}")
        return data

    def _locate_job(self, job_name: str) -> tuple[str, str]:
        result = self._execute(_JOBS)["repositoriesOrError"]
        if result["__typename"] != "RepositoryConnection":
            raise DagsterGraphQLClientError(result["__typename"], result.get("message"))
        found = [
            (node["location"]["name"], node["name"])
            for node in result["nodes"]
            for job in node["pipelines"]
            if job["name"] == job_name
        ]
        if not found:
            raise DagsterGraphQLClientError("JobNotFoundError", f"No jobs with the name `{job_name}` exist")
        if len(found) > 1:
            raise DagsterGraphQLClientError(
                "Must specify repository_location_name and repository_name since there are multiple jobs "
                f"with the name {job_name}.\n\tchoose one of: {found}"
            )
        return found[0]

    def submit_job_execution(
        self,
        job_name: str,
        repository_location_name: str | None = None,
        repository_name: str | None = None,
        run_config: Any = None,
        tags: Mapping[str, Any] | None = None,
        op_selection: Sequence[str] | None = None,
        asset_selection: Sequence[Any] | None = None,
    ) -> str:
        """Launch a run of ``job_name``; its run id. Raises ``DagsterGraphQLClientError(kind, ...)``."""
        if not repository_location_name or not repository_name:
            repository_location_name, repository_name = self._locate_job(job_name)
        config = run_config.to_config_dict() if hasattr(run_config, "to_config_dict") else (run_config or {})
        assets = (
            [{"path": list(AssetKey.from_coercible(a).path)} for a in asset_selection]
            if asset_selection is not None
            else None
        )
        variables = {
            "executionParams": {
                "selector": {
                    "repositoryLocationName": repository_location_name,
                    "repositoryName": repository_name,
                    "pipelineName": job_name,
                    "solidSelection": list(op_selection) if op_selection is not None else None,
                    "assetSelection": assets,
                },
                "runConfigData": config,
                "mode": "default",
                "executionMetadata": {
                    "tags": [{"key": k, "value": _tag(v)} for k, v in (tags or {}).items()]
                },
            }
        }
        result = self._execute(_SUBMIT, variables)["launchPipelineExecution"]
        kind = result["__typename"]
        if kind in ("LaunchRunSuccess", "LaunchPipelineRunSuccess"):
            return str(result["run"]["runId"])
        if kind == "InvalidStepError":
            raise DagsterGraphQLClientError(kind, result["invalidStepKey"])
        if kind == "InvalidOutputError":
            info = InvalidOutputErrorInfo(result["stepKey"], result["invalidOutputName"])
            raise DagsterGraphQLClientError(kind, body=info)
        if kind in ("RunConfigValidationInvalid", "PipelineConfigValidationInvalid"):
            raise DagsterGraphQLClientError(kind, result["errors"])
        raise DagsterGraphQLClientError(kind, result.get("message"))

    def get_run_status(self, run_id: str) -> RunStatus:
        """The run's status (``RunStatus``, Dagster's ``DagsterRunStatus``)."""
        result = self._execute(_STATUS, {"runId": run_id})["pipelineRunOrError"]
        kind = result["__typename"]
        if kind in ("Run", "PipelineRun"):
            return RunStatus(result["status"])
        raise DagsterGraphQLClientError(kind, result.get("message"))

    def reload_repository_location(self, repository_location_name: str) -> ReloadRepositoryLocationInfo:
        """Reload a code location's code."""
        result = self._execute(_RELOAD, {"repositoryLocationName": repository_location_name})
        entry = result["reloadRepositoryLocation"]
        if entry["__typename"] == "WorkspaceLocationEntry":
            loaded = entry["locationOrLoadError"] or {}
            if loaded.get("__typename") == "RepositoryLocation":
                return ReloadRepositoryLocationInfo(ReloadRepositoryLocationStatus.SUCCESS)
            return ReloadRepositoryLocationInfo(
                ReloadRepositoryLocationStatus.FAILURE, "PythonError", loaded.get("message")
            )
        return ReloadRepositoryLocationInfo(
            ReloadRepositoryLocationStatus.FAILURE, entry["__typename"], entry.get("message")
        )

    def shutdown_repository_location(self, repository_location_name: str) -> ShutdownRepositoryLocationInfo:
        """Stop the location's server (``headwater dev`` and ``headwater webserver`` start it again)."""
        result = self._execute(_SHUTDOWN, {"repositoryLocationName": repository_location_name})
        entry = result["shutdownRepositoryLocation"]
        if entry["__typename"] == "ShutdownRepositoryLocationSuccess":
            return ShutdownRepositoryLocationInfo(ShutdownRepositoryLocationStatus.SUCCESS)
        return ShutdownRepositoryLocationInfo(ShutdownRepositoryLocationStatus.FAILURE, entry.get("message"))

    def terminate_run(self, run_id: str) -> None:
        """Cancel a run; raises ``DagsterGraphQLClientError`` when it cannot be."""
        result = self._execute(_TERMINATE, {"runId": run_id})["terminateRun"]
        kind = result["__typename"]
        if kind != "TerminateRunSuccess":
            raise DagsterGraphQLClientError(kind, result.get("message"))

    def terminate_runs(self, run_ids: list[str]) -> None:
        """Cancel several runs; raises ``DagsterGraphQLClientError("TerminateRunsError", ...)`` listing
        ``(type, message)`` of those that could not be ("Some runs could not be terminated: ..." or,
        when none could, "All run terminations failed: ..."), as Dagster's client does."""
        found = self._execute(_TERMINATE_RUNS, {"runIds": list(run_ids)})["terminateRuns"]
        if found["__typename"] != "TerminateRunsResult":
            raise DagsterGraphQLClientError(found["__typename"], found.get("message"))
        errors = [
            (r["__typename"], r.get("message"))
            for r in found["terminateRunResults"]
            if r["__typename"] != "TerminateRunSuccess"
        ]
        if errors and len(errors) < len(run_ids):
            raise DagsterGraphQLClientError(
                "TerminateRunsError", f"Some runs could not be terminated: {errors}"
            )
        if errors:
            raise DagsterGraphQLClientError("TerminateRunsError", f"All run terminations failed: {errors}")


def _tag(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
