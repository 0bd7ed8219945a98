"""Jobs: a graph bound to resources, config, an executor, tags and hooks — the unit of execution."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, overload

from headwater.definitions.graph import GraphDefinition, build_graph_from_fn
from headwater.definitions.job_compile import CompiledGraph, build_job_spec, compile_graph
from headwater.definitions.tags import normalize_tags
from headwater.errors import InvalidDefinitionError, InvariantViolationError
from headwater.specs.job import JobSpec

if TYPE_CHECKING:
    from headwater.definitions.asset_layer import AssetLayer


class JobDefinition:
    """A graph with everything needed to run it."""

    def __init__(
        self,
        *,
        graph_def: GraphDefinition,
        name: str | None = None,
        description: str | None = None,
        resource_defs: Mapping[str, Any] | None = None,
        config: Any = None,
        tags: Mapping[str, str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        executor_def: Any = None,
        hook_defs: set[Any] | None = None,
        op_retry_policy: Any = None,
        partitions_def: Any = None,
        input_values: Mapping[str, Any] | None = None,
        asset_layer: AssetLayer | None = None,
        run_tags: Mapping[str, str] | None = None,
        logger_defs: Mapping[str, Any] | None = None,
    ) -> None:
        self.graph = graph_def
        self.name = name or graph_def.name
        self.description = description
        self.resource_defs: dict[str, Any] = dict(resource_defs or {})
        from headwater.definitions.partitioned_config import PartitionedConfig

        #: The config computed per partition (``config=`` a PartitionedConfig); ``config`` is then None.
        self.partitioned_config: PartitionedConfig | None = None
        if isinstance(config, PartitionedConfig):
            if partitions_def is not None and partitions_def != config.partitions_def:
                raise InvalidDefinitionError(
                    f"Job '{name or graph_def.name}': partitions_def differs from the partitions of its "
                    "PartitionedConfig; pass one of them (the config's partitions are used)."
                )
            self.partitioned_config = config
            partitions_def = config.partitions_def
            config = None
        if partitions_def is not None and not hasattr(partitions_def, "to_partitions_spec"):
            raise InvalidDefinitionError(
                f"Job '{name or graph_def.name}': partitions_def={partitions_def!r} is not a partitions "
                "definition (StaticPartitionsDefinition, DailyPartitionsDefinition, ...)."
            )
        self.config = config
        self.tags = normalize_tags(tags)
        self.run_tags = normalize_tags(run_tags)
        self.metadata = dict(metadata or {})
        self.executor_def = executor_def
        self.hook_defs = set(hook_defs or ())
        self.op_retry_policy = op_retry_policy
        self.partitions_def = partitions_def
        self.input_values = dict(input_values or {})
        self.asset_layer = asset_layer
        #: The job's own loggers (``@job(logger_defs=...)``); ``loggers`` adds the default console one.
        self.logger_defs: dict[str, Any] = dict(logger_defs or {})
        self._compiled: CompiledGraph | None = None
        self._spec: JobSpec | None = None

    @property
    def graph_def(self) -> GraphDefinition:
        return self.graph

    @property
    def compiled(self) -> CompiledGraph:
        if self._compiled is None:
            self._compiled = compile_graph(self.graph)
        return self._compiled

    @property
    def spec(self) -> JobSpec:
        if self._spec is None:
            layer = self.asset_layer
            self._spec = build_job_spec(
                self.name,
                self.compiled,
                description=self.description,
                tags=self.tags,
                io_manager_keys=layer.io_manager_keys if layer else None,
                output_asset_keys=layer.output_asset_keys if layer else None,
                output_check_keys=layer.output_check_keys if layer else None,
                input_asset_keys=layer.input_asset_keys if layer else None,
                after=layer.after if layer else None,
                is_asset_job=layer is not None,
            )
        return self._spec

    @property
    def loggers(self) -> dict[str, Any]:
        """The loggers a run of this job can configure: its own, else ``{"console": ...}``."""
        if self.logger_defs:
            return dict(self.logger_defs)
        from headwater.definitions.logger_definition import default_loggers

        return dict(default_loggers())

    @property
    def is_asset_job(self) -> bool:
        return self.asset_layer is not None

    def required_resource_keys(self) -> set[str]:
        keys: set[str] = set()
        for node in self.spec.nodes:
            keys |= node.required_resource_keys
            for out in node.outputs:
                if not out.is_nothing:
                    keys.add(out.io_manager_key)
        for hook in self.hook_defs:
            keys |= set(getattr(hook, "required_resource_keys", ()) or ())
        for compiled in self.compiled.nodes.values():
            for hook in compiled.hooks:
                keys |= set(getattr(hook, "required_resource_keys", ()) or ())
        return keys

    def validate_resources(self, resource_defs: Mapping[str, Any]) -> None:
        """Raise ResourceNotFoundError naming the first op (or hook) whose resource is missing."""
        provided = set(resource_defs) | {"io_manager"}
        for node in self.spec.nodes:
            for key in sorted(node.required_resource_keys):
                if key not in provided:
                    raise missing_resource_error(key, f"op '{node.op_name}'", provided)
            for out in node.outputs:
                if not out.is_nothing and out.io_manager_key not in provided:
                    raise missing_resource_error(
                        out.io_manager_key, f"output '{out.name}' of op '{node.op_name}'", provided
                    )
        for hook in sorted(self.hook_defs, key=lambda h: h.name):
            for key in sorted(hook.required_resource_keys):
                if key not in provided:
                    raise missing_resource_error(
                        key, f"hook '{hook.name}' attached to job '{self.name}'", provided
                    )
        for compiled in self.compiled.nodes.values():
            for hook in sorted(compiled.hooks, key=lambda h: h.name):
                for key in sorted(hook.required_resource_keys):
                    if key not in provided:
                        raise missing_resource_error(
                            key, f"hook '{hook.name}' attached to op '{compiled.op_def.name}'", provided
                        )

    def with_resources(self, resource_defs: Mapping[str, Any]) -> JobDefinition:
        merged = {**resource_defs, **self.resource_defs}
        job = self._copy()
        job.resource_defs = merged
        return job

    def with_hooks(self, hook_defs: set[Any]) -> JobDefinition:
        job = self._copy()
        job.hook_defs = self.hook_defs | set(hook_defs)
        return job

    def _copy(self) -> JobDefinition:
        job = JobDefinition.__new__(JobDefinition)
        job.__dict__.update(self.__dict__)
        return job

    def get_subset(
        self, *, op_selection: Sequence[str] | None = None, asset_selection: Any = None
    ) -> JobDefinition:
        # Subsetting is applied at planning time; the job object stays the same.
        return self

    def execute_in_process(
        self,
        run_config: Any = None,
        instance: Any = None,
        partition_key: str | None = None,
        raise_on_error: bool = True,
        op_selection: Sequence[str] | None = None,
        asset_selection: Sequence[Any] | None = None,
        run_id: str | None = None,
        input_values: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | None = None,
        resources: Mapping[str, Any] | None = None,
    ) -> Any:
        # Named exception to the layers (DESIGN.md §2): a thin lazy call into the execution layer.
        from headwater.execution.api import execute_job

        return execute_job(
            self,
            run_config=run_config,
            instance=instance,
            partition_key=partition_key,
            raise_on_error=raise_on_error,
            op_selection=op_selection,
            asset_selection=asset_selection,
            run_id=run_id,
            input_values=input_values,
            tags=tags,
            resources=resources,
            # Dagster's semantics: in this process; an op job's default io_manager keeps values in
            # memory (asset jobs keep the filesystem one, so assets outside the run can be loaded).
            in_memory=self.asset_layer is None,
            in_process=True,
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise InvariantViolationError(
            f"Attempted to call job '{self.name}' directly. Jobs should be invoked by using an execution API "
            "function (e.g. `job.execute_in_process`)."
        )

    def __repr__(self) -> str:
        return f"<JobDefinition {self.name}>"


def missing_resource_error(key: str, who: str, provided: set[str]) -> InvalidDefinitionError:
    """Dagster's error for a resource key that nothing provides (``who`` needs it)."""
    from headwater.errors import ResourceNotFoundError

    return ResourceNotFoundError(
        f"resource with key '{key}' required by {who} was not provided. Please provide a ResourceDefinition "
        "to key "
        f"'{key}', or change the required key to one of the following keys which points to an "
        "ResourceDefinition: "
        f"{sorted(provided)}"
    )


@overload
def job(fn: Callable[..., Any], /) -> JobDefinition: ...


@overload
def job(
    fn: None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    resource_defs: Mapping[str, Any] | None = None,
    config: Any = None,
    tags: Mapping[str, str] | None = None,
    run_tags: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
    executor_def: Any = None,
    hooks: set[Any] | None = None,
    op_retry_policy: Any = None,
    partitions_def: Any = None,
    input_values: Mapping[str, Any] | None = None,
    logger_defs: Mapping[str, Any] | None = None,
) -> Callable[[Callable[..., Any]], JobDefinition]: ...


def job(
    fn: Callable[..., Any] | None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    resource_defs: Mapping[str, Any] | None = None,
    config: Any = None,
    tags: Mapping[str, str] | None = None,
    run_tags: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
    executor_def: Any = None,
    hooks: set[Any] | None = None,
    op_retry_policy: Any = None,
    partitions_def: Any = None,
    input_values: Mapping[str, Any] | None = None,
    logger_defs: Mapping[str, Any] | None = None,
) -> JobDefinition | Callable[[Callable[..., Any]], JobDefinition]:
    """Define a job by calling ops and graphs inside a function body."""

    def build(body: Callable[..., Any]) -> JobDefinition:
        job_name = name or body.__name__
        if inspect.signature(body).parameters:
            raise InvalidDefinitionError(
                f"@job '{job_name}' takes parameters; a job body takes none. Use a @graph for inputs."
            )
        graph_def = build_graph_from_fn(
            body, name=job_name, description=description, ins=None, out=None, tags=None, decorator="job"
        )
        return JobDefinition(
            graph_def=graph_def,
            name=job_name,
            description=description or inspect.getdoc(body),
            resource_defs=resource_defs,
            config=config,
            tags=tags,
            run_tags=run_tags,
            metadata=metadata,
            executor_def=executor_def,
            hook_defs=hooks,
            op_retry_policy=op_retry_policy,
            partitions_def=partitions_def,
            input_values=input_values,
            logger_defs=logger_defs,
        )

    if fn is not None:
        return build(fn)
    return build
