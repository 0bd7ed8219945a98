"""Jobs and their op graphs: ``Job`` over a ``JobSpec`` (its nodes, nested graphs flattened), the
edges between nodes, and the runs of a job."""

from __future__ import annotations

from typing import Annotated

import strawberry

from headwater.specs.job import JobSpec, NodeInputSpec, NodeOutputSpec, NodeSpec
from headwater.storage.runs import RunsFilter as CoreRunsFilter
from headwater.webserver.context import REPOSITORY_NAME, as_context
from headwater.webserver.graphql.asset_keys import AssetKey, AssetKeyInput
from headwater.webserver.graphql.errors import InvalidSubsetError, PipelineNotFoundError, PythonError
from headwater.webserver.graphql.limits import page_size
from headwater.webserver.graphql.runs import Run
from headwater.webserver.graphql.tags import PipelineTag, pipeline_tags


@strawberry.type(description="Where an input's value comes from: a node's output.")
class OutputRef:
    node: str
    output: str


@strawberry.type(description="An input of an op node.")
class OpInput:
    spec: strawberry.Private[NodeInputSpec]
    name: str
    kind: str
    type_name: str
    is_nothing: bool
    has_default: bool

    @strawberry.field
    def depends_on(self) -> list[OutputRef]:
        return [OutputRef(node=s.node, output=s.output) for s in self.spec.sources]

    @strawberry.field
    def asset_key(self) -> AssetKey | None:
        return AssetKey.of(self.spec.asset_key) if self.spec.asset_key is not None else None


@strawberry.type(description="An output of an op node.")
class OpOutput:
    spec: strawberry.Private[NodeOutputSpec]
    name: str
    type_name: str
    is_required: bool
    is_dynamic: bool
    is_nothing: bool
    io_manager_key: str

    @strawberry.field
    def asset_key(self) -> AssetKey | None:
        return AssetKey.of(self.spec.asset_key) if self.spec.asset_key is not None else None

    @strawberry.field
    def check_name(self) -> str | None:
        return self.spec.check_key.name if self.spec.check_key is not None else None


@strawberry.type(description="One op of a job (nested graphs flattened: the handle is its path).")
class OpNode:
    spec: strawberry.Private[NodeSpec]

    @strawberry.field(description="Its path in the job, e.g. outer.inner (the step key).")
    def handle(self) -> str:
        return self.spec.handle

    @strawberry.field
    def op_name(self) -> str:
        return self.spec.op_name

    @strawberry.field
    def inputs(self) -> list[OpInput]:
        return [
            OpInput(
                spec=i,
                name=i.name,
                kind=i.kind.value,
                type_name=i.type_name,
                is_nothing=i.is_nothing,
                has_default=i.has_default,
            )
            for i in self.spec.inputs
        ]

    @strawberry.field
    def outputs(self) -> list[OpOutput]:
        return [
            OpOutput(
                spec=o,
                name=o.name,
                type_name=o.type_name,
                is_required=o.is_required,
                is_dynamic=o.is_dynamic,
                is_nothing=o.is_nothing,
                io_manager_key=o.io_manager_key,
            )
            for o in self.spec.outputs
        ]

    @strawberry.field
    def tags(self) -> list[PipelineTag]:
        return pipeline_tags(self.spec.tags)

    @strawberry.field
    def pool(self) -> str | None:
        return self.spec.pool

    @strawberry.field
    def required_resource_keys(self) -> list[str]:
        return sorted(self.spec.required_resource_keys)

    @strawberry.field(
        description="Nodes that must succeed first without passing data (e.g. blocking checks)."
    )
    def after(self) -> list[str]:
        return list(self.spec.after)


@strawberry.type(description="An edge of the op graph: an output feeding an input (or an ordering).")
class OpEdge:
    from_node: str
    from_output: str | None
    to_node: str
    to_input: str | None


@strawberry.type(description="A job: its op graph, tags and runs.")
class Job:
    spec: strawberry.Private[JobSpec]
    location_name: str

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(f"{self.location_name}.{REPOSITORY_NAME}.{self.spec.name}")

    @strawberry.field
    def name(self) -> str:
        return self.spec.name

    @strawberry.field
    def description(self) -> str | None:
        return self.spec.description

    @strawberry.field
    def is_asset_job(self) -> bool:
        return self.spec.is_asset_job

    @strawberry.field
    def is_job(self) -> bool:
        return True

    @strawberry.field
    def tags(self) -> list[PipelineTag]:
        return pipeline_tags(self.spec.tags)

    @strawberry.field(description="Its ops, parents before children.")
    def ops(self) -> list[OpNode]:
        return [OpNode(spec=n) for n in self.spec.nodes]

    @strawberry.field(description="The edges between its ops.")
    def edges(self) -> list[OpEdge]:
        out = []
        for node in self.spec.nodes:
            for inp in node.inputs:
                for src in inp.sources:
                    out.append(
                        OpEdge(
                            from_node=src.node, from_output=src.output, to_node=node.handle, to_input=inp.name
                        )
                    )
            for before in node.after:
                out.append(OpEdge(from_node=before, from_output=None, to_node=node.handle, to_input=None))
        return out

    @strawberry.field(description="The assets it materializes.")
    def asset_keys(self) -> list[AssetKey]:
        keys = {o.asset_key for n in self.spec.nodes for o in n.outputs if o.asset_key is not None}
        return [AssetKey.of(k) for k in sorted(keys, key=lambda k: k.path)]

    @strawberry.field(description="Its runs, newest first; cursor: the last run id of the previous page.")
    def runs(self, info: strawberry.Info, limit: int | None = None, cursor: str | None = None) -> list[Run]:
        store = as_context(info.context).storage.run_store
        records = store.get_run_records(
            CoreRunsFilter(job_name=self.spec.name), limit=page_size(limit, default=25), cursor=cursor
        )
        return [Run.of(r) for r in records]


@strawberry.input(description="Which job: location, repository and job name (pipelineName: Dagster's).")
class PipelineSelector:
    repository_location_name: str
    repository_name: str = REPOSITORY_NAME
    pipeline_name: str | None = None
    job_name: str | None = None
    solid_selection: list[str] | None = None
    asset_selection: list[AssetKeyInput] | None = None

    @property
    def name(self) -> str | None:
        return self.job_name or self.pipeline_name


JobOrError = Annotated[
    Job | PipelineNotFoundError | InvalidSubsetError | PythonError, strawberry.union("PipelineOrError")
]
