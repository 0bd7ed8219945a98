"""define_asset_job: a job named now, resolved against the assets of a Definitions later."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.core.codec import paused_gc
from headwater.definitions.asset_layer import AssetCollection, build_asset_job
from headwater.definitions.tags import normalize_tags
from headwater.errors import HeadwaterError, InvalidDefinitionError
from headwater.selection.asset_selection import AssetSelection

IMPLICIT_ASSET_JOB_NAME = "__ASSET_JOB"
EPHEMERAL_ASSET_JOB_NAME = "__ephemeral_asset_job__"


class UnresolvedAssetJobDefinition:
    """A job over an asset selection; ``resolve`` builds the JobDefinition once assets are known."""

    def __init__(
        self,
        name: str,
        selection: Any = None,
        config: Any = None,
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
        run_tags: Mapping[str, str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        partitions_def: Any = None,
        executor_def: Any = None,
        hooks: set[Any] | None = None,
        op_retry_policy: Any = None,
    ) -> None:
        from headwater.definitions.node import check_valid_name

        self.name = check_valid_name(name, what="Job")
        self.selection = selection
        self.config = config
        self.description = description
        self.tags = normalize_tags(tags)
        self.run_tags = normalize_tags(run_tags)
        self.metadata = dict(metadata or {})
        self.partitions_def = partitions_def
        self.executor_def = executor_def
        self.hooks = set(hooks or ())
        self.op_retry_policy = op_retry_policy

    def resolve(self, collection: AssetCollection, resource_defs: Mapping[str, Any] | None = None) -> Any:
        """Build the job; errors are raised as "Failed to resolve asset job <name>", the cause chained."""
        try:
            with paused_gc():
                return self._build(collection, resource_defs)
        except HeadwaterError as exc:
            raise InvalidDefinitionError(f"Failed to resolve asset job {self.name}") from exc

    def _build(self, collection: AssetCollection, resource_defs: Mapping[str, Any] | None) -> Any:
        keys, checks = self.resolve_selection(collection)
        return build_asset_job(
            self.name,
            collection,
            keys,
            checks,
            resource_defs=resource_defs,
            description=self.description,
            tags=self.tags,
            run_tags=self.run_tags,
            config=self.config,
            executor_def=self.executor_def,
            hooks=self.hooks,
            op_retry_policy=self.op_retry_policy,
            partitions_def=self.partitions_def,
            metadata=self.metadata,
        )

    def resolve_selection(self, collection: AssetCollection) -> tuple[set[AssetKey], set[AssetCheckKey]]:
        """The materializable and observable asset keys and the check keys this job runs."""
        from headwater.selection.asset_selection import AssetSelection
        from headwater.selection.nodes import KeysNode

        graph = collection.graph
        selection = (
            AssetSelection.all() if self.selection is None else AssetSelection.from_coercible(self.selection)
        )
        keys, checks = selection.resolve_assets_and_checks(graph)
        nodes = graph.nodes
        # observable source assets run too (their step records an observation)
        executable = {k for k in keys if nodes[k].is_materializable or nodes[k].is_observable}
        if isinstance(selection.node, KeysNode) and executable != keys:
            invalid = keys - executable
            raise InvalidDefinitionError(
                f'Error resolving selection for asset job "{self.name}": Selected keys must be a subset of '
                f"existing executable asset keys. Invalid selected keys: {invalid}"
            )
        return executable, checks

    def __repr__(self) -> str:
        return f"<UnresolvedAssetJobDefinition {self.name}>"


def define_asset_job(
    name: str,
    selection: Any = None,
    config: Any = None,
    description: str | None = None,
    tags: Mapping[str, str] | None = None,
    run_tags: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
    partitions_def: Any = None,
    executor_def: Any = None,
    hooks: set[Any] | None = None,
    op_retry_policy: Any = None,
) -> UnresolvedAssetJobDefinition:
    """A job that materializes the assets in ``selection`` (all assets when None)."""
    return UnresolvedAssetJobDefinition(
        name,
        selection,
        config,
        description,
        tags,
        run_tags,
        metadata,
        partitions_def,
        executor_def,
        hooks,
        op_retry_policy,
    )


def selection_job(
    name: str,
    collection: AssetCollection,
    selection: Any,
    resource_defs: Mapping[str, Any] | None = None,
    *,
    tags: Mapping[str, str] | None = None,
) -> Any:
    """Build a job for an ad-hoc selection (materialize(), the CLI)."""
    return UnresolvedAssetJobDefinition(name, selection, tags=tags).resolve(collection, resource_defs)


def run_selection(keys: Sequence[AssetKey], check_keys: Sequence[AssetCheckKey] | None = None) -> Any:
    """The selection of an ad-hoc run of ``keys`` (with their checks) and, when given, exactly those of
    ``check_keys`` (a run of checks only when ``keys`` is empty), as Dagster's RunRequest selects."""
    if check_keys is None:
        return AssetSelection.assets(*keys)
    selection = AssetSelection.checks(*check_keys)
    return AssetSelection.assets(*keys).without_checks() | selection if keys else selection


__all__: Sequence[str] = ["UnresolvedAssetJobDefinition", "define_asset_job"]
