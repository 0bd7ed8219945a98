"""Turning what a compute function returns or yields into outputs, materializations and check results."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_events import (
    AssetCheckEvaluation,
    AssetCheckSeverity,
    AssetMaterialization,
    AssetObservation,
)
from headwater.core.data_version import data_version_tags
from headwater.core.metadata import normalize_metadata
from headwater.definitions.results import (
    AssetCheckResult,
    DynamicOutput,
    ExpectationResult,
    MaterializeResult,
    ObserveResult,
    Output,
)
from headwater.errors import (
    AssetCheckFailedError,
    HandleOutputError,
    InvalidInvocationError,
    InvariantViolationError,
    StepOutputNotFoundError,
    TypeCheckDidNotPass,
)
from headwater.events.event_type import EventType
from headwater.events.payloads import HandledOutputData, StepOutputData, TypeCheckData, type_check_data
from headwater.execution.boundary import user_code_error_boundary
from headwater.execution.io_contexts import make_output_context
from headwater.execution.step_versions import StepVersions
from headwater.execution.type_checks import run_type_check

if TYPE_CHECKING:
    from headwater.execution.context import OpExecutionContext
    from headwater.execution.run_context import RunContext
    from headwater.execution.step_runner import StepAttempt


def check_evaluation(
    run: RunContext | None, step_key: str, result: AssetCheckResult, node: Any = None
) -> AssetCheckEvaluation:
    """Resolve which check an AssetCheckResult is for, and build its evaluation."""
    keys: list[AssetCheckKey] = []
    if node is not None:
        keys = [o.check_key for o in node.outputs if o.check_key is not None]
    elif run is not None:
        spec = run.nodes.get(step_key.split("[", 1)[0])
        keys = [o.check_key for o in spec.outputs if o.check_key is not None] if spec else []
    matches = [
        k
        for k in keys
        if (result.asset_key is None or k.asset_key == result.asset_key)
        and (result.check_name is None or k.name == result.check_name)
    ]
    if len(matches) != 1:
        described = ", ".join(k.to_user_string() for k in keys) or "none"
        raise InvalidInvocationError(
            f"Step '{step_key}' returned an AssetCheckResult (asset_key={result.asset_key!r}, "
            f"check_name={result.check_name!r}) that matches {len(matches)} of its checks ({described}); "
            "set asset_key and check_name on the result."
        )
    key = matches[0]
    return AssetCheckEvaluation(
        asset_key=key.asset_key,
        check_name=key.name,
        passed=result.passed,
        metadata=result.metadata,
        severity=result.severity,
        description=result.description,
    )


class OutputHandler:
    """Collects one step attempt's outputs: type checks, IO managers, asset events."""

    def __init__(self, run: RunContext, attempt: StepAttempt, context: OpExecutionContext) -> None:
        self.run = run
        self.attempt = attempt
        self.context = context
        self.node = attempt.node_spec
        self.outputs = {o.name: o for o in self.node.outputs}
        self.produced: set[str] = set()
        self.dynamic: dict[str, list[str]] = {}
        self.blocking_failures: list[AssetCheckEvaluation] = []
        self.output_values: dict[str, Any] = {}
        self.versions = attempt.versions if attempt.versions is not None else StepVersions(run)

    # --- dispatch -------------------------------------------------------------------------
    def process_return(self, value: Any) -> None:
        if isinstance(
            value,
            (
                Output,
                DynamicOutput,
                MaterializeResult,
                AssetCheckResult,
                AssetMaterialization,
                AssetObservation,
                ExpectationResult,
            ),
        ):
            self.process_item(value)
            return
        if inspect.isgenerator(value) or isinstance(value, Iterator):
            for item in value:
                self.process_item(item)
            return
        if (
            isinstance(value, (tuple, list))
            and value
            and all(isinstance(v, (MaterializeResult, AssetCheckResult)) for v in value)
        ):
            for item in value:  # e.g. the results a Pipes process reported (``get_results()``)
                self.process_item(item)
            return
        if isinstance(value, list) and any(o.is_dynamic for o in self.outputs.values()):
            for item in value:  # a DynamicOut op may return its DynamicOutputs as a list
                self.process_item(item)
            return
        data_outputs = [n for n, o in self.outputs.items() if o.check_key is None]
        if len(data_outputs) == 1:
            self.handle_output(data_outputs[0], value, None)
        elif not data_outputs:
            if value is not None:
                raise InvalidInvocationError(
                    f"Op '{self.node.op_name}' has no data outputs but returned {type(value).__name__}; "
                    "return None."
                )
        elif isinstance(value, tuple) and len(value) == len(data_outputs):
            for name, item in zip(data_outputs, value, strict=True):
                if isinstance(item, Output):
                    self.handle_output(
                        item.output_name if item.output_name != "result" else name, item.value, item
                    )
                else:
                    self.handle_output(name, item, None)
        elif value is None and all(not self.outputs[n].is_required for n in data_outputs):
            return
        else:
            raise InvalidInvocationError(
                f"Op '{self.node.op_name}' has outputs {data_outputs} but returned {type(value).__name__}; "
                "return a "
                "tuple with one value per output, or yield Output(value, output_name=...) for each."
            )

    def process_item(self, item: Any) -> None:
        key = self.attempt.key
        if isinstance(item, Output):
            self.handle_output(item.output_name, item.value, item)
        elif isinstance(item, DynamicOutput):
            self.handle_dynamic(item)
        elif isinstance(item, MaterializeResult):
            self.handle_materialize_result(item)
        elif isinstance(item, AssetCheckResult):
            self.handle_check_result(item)
        elif isinstance(item, (AssetMaterialization, AssetObservation, ExpectationResult)):
            self.run.log_user_event(key, item)
        else:
            data_outputs = [n for n, o in self.outputs.items() if o.check_key is None]
            if len(data_outputs) == 1 and data_outputs[0] not in self.produced:
                self.handle_output(data_outputs[0], item, None)
            else:
                raise InvalidInvocationError(
                    f"Op '{self.node.op_name}' yielded {item!r} ({type(item).__name__}); a generator op "
                    "yields "
                    "Output, DynamicOutput, MaterializeResult, AssetCheckResult or event objects."
                )

    # --- outputs --------------------------------------------------------------------------
    def _spec(self, name: str) -> Any:
        spec = self.outputs.get(name)
        if spec is None:
            raise InvariantViolationError(
                f'Core compute for op "{self.node.op_name}" returned an output "{name}" that does not exist. '
                f"The available outputs are {list(self.outputs)}"
            )
        return spec

    def handle_output(
        self, name: str, value: Any, output: Output | None, mapping_key: str | None = None
    ) -> None:
        spec = self._spec(name)
        if spec.is_dynamic and mapping_key is None:
            raise InvalidInvocationError(
                f"Op '{self.node.op_name}' returned a plain value for dynamic output '{name}'; yield "
                "DynamicOutput(value, mapping_key=...) instead."
            )
        if name in self.produced and not spec.is_dynamic:
            raise InvariantViolationError(
                f'Compute for op "{self.node.op_name}" returned an output "{name}" multiple times'
            )
        run = self.run
        key = self.attempt.key
        op_def = self.attempt.op_def
        dagster_type = op_def.output_types.get(name)
        type_name = spec.type_name
        check = None
        if (
            dagster_type is not None
            and dagster_type.type_check_fn is not None
            and not dagster_type.is_nothing
        ):
            handle = self.attempt.step.handle
            check = run_type_check(
                dagster_type,
                self.context,
                value,
                lambda: (
                    f'Error occurred while type-checking output "{name}" of op "{handle}", with Python '
                    f"type {type(value)} and Dagster type {type_name}"
                ),
            )
        passed = check is None or check.success
        user_meta = dict(output.metadata) if output is not None and output.metadata else {}
        added = self.context.output_metadata_for(name, mapping_key)
        mapped = f' mapping key "{mapping_key}"' if mapping_key else ""
        run.emit(
            EventType.STEP_OUTPUT,
            key,
            f'Yielded output "{name}"{mapped} of type "{type_name}". '
            + ("(Type check passed)." if passed else "Warning! Type check failed."),
            StepOutputData(
                name,
                mapping_key,
                type_check_data(name, check),
                normalize_metadata({**user_meta, **added}) if user_meta or added else {},
            ),
        )
        if check is not None and not check.success:
            raise TypeCheckDidNotPass(
                f'Type check failed for step output "{name}" - expected type "{type_name}". '
                f"Description: {check.description}",
                metadata=check.metadata,
                dagster_type=dagster_type,
            )
        self.produced.add(name)
        self.output_values[name if mapping_key is None else f"{name}[{mapping_key}]"] = value
        run.output_capture[(key, name) if mapping_key is None else (key, f"{name}[{mapping_key}]")] = value
        extra: dict[str, Any] = {}
        computed: str | None = None
        if not spec.is_nothing:
            io = run.io_manager(spec.io_manager_key)
            out_ctx = make_output_context(run, self.attempt, spec, mapping_key, user_meta)
            with user_code_error_boundary(
                HandleOutputError, f'Error occurred while handling output "{name}" of step "{key}":'
            ):
                returned = io.handle_output(out_ctx, value)
            extra = out_ctx.consume_logged_metadata() if hasattr(out_ctx, "consume_logged_metadata") else {}
            computed = getattr(out_ctx, "recorded_data_version", None)
            self._log_io_events(out_ctx, returned)
        if spec.asset_key is not None:
            metadata = {**user_meta, **self.context.output_metadata_for(name, mapping_key), **extra}
            tags = self.versions.tags(
                spec.asset_key,
                output.data_version if output is not None else None,
                computed,
                output.tags if output is not None else None,
            )
            for partition in _partitions_of(run, spec.asset_key):
                mat = AssetMaterialization(
                    spec.asset_key, metadata=metadata or None, partition=partition, tags=tags
                )
                run.emit(
                    EventType.ASSET_MATERIALIZATION,
                    key,
                    f"Materialized value {spec.asset_key.to_user_string()}.",
                    mat,
                )
        if not spec.is_nothing:
            run.emit(
                EventType.HANDLED_OUTPUT,
                key,
                f'Handled output "{name}" using IO manager "{spec.io_manager_key}"',
                HandledOutputData(name, spec.io_manager_key),
            )

    def _log_io_events(self, out_ctx: Any, returned: Any) -> None:
        """Events an IO manager logged (``context.log_event``) or returned from ``handle_output``
        (e.g. ``custom_path_fs_io_manager``'s AssetMaterialization), as Dagster records them."""
        events = list(out_ctx.consume_events()) if hasattr(out_ctx, "consume_events") else []
        if isinstance(returned, (AssetMaterialization, AssetObservation)):
            events.append(returned)
        elif inspect.isgenerator(returned):
            events.extend(e for e in returned if isinstance(e, (AssetMaterialization, AssetObservation)))
        for event in events:
            self.run.log_user_event(self.attempt.key, event)

    def handle_dynamic(self, item: DynamicOutput) -> None:
        spec = self._spec(item.output_name)
        if not spec.is_dynamic:
            raise InvalidInvocationError(
                f"Op '{self.node.op_name}' yielded a DynamicOutput for '{item.output_name}', which is not a "
                "DynamicOut."
            )
        seen = self.dynamic.setdefault(item.output_name, [])
        if item.mapping_key in seen:
            raise InvariantViolationError(
                f'Compute for op "{self.node.op_name}" yielded a DynamicOutput with mapping_key '
                f'"{item.mapping_key}" multiple times.'
            )
        seen.append(item.mapping_key)
        self.handle_output(
            item.output_name,
            item.value,
            Output(item.value, item.output_name, item.metadata),
            item.mapping_key,
        )

    def handle_materialize_result(self, result: MaterializeResult) -> None:
        keyed = {o.asset_key: n for n, o in self.outputs.items() if o.asset_key is not None}
        if result.asset_key is not None:
            name = keyed.get(result.asset_key)
            if name is None:
                raise InvariantViolationError(
                    f"Asset key {result.asset_key.to_user_string()} not found in AssetsDefinition"
                )
        elif len(keyed) == 1:
            name = next(iter(keyed.values()))
        else:
            raise InvariantViolationError(
                "MaterializeResult did not include asset_key and it can not be inferred. Specify which "
                "asset_key, "
                f"options are: {set(keyed)}."
            )
        spec = self.outputs[name]
        asset_key = spec.asset_key
        assert asset_key is not None
        run, key = self.run, self.attempt.key
        if isinstance(result, ObserveResult):
            tags = {**data_version_tags(result.data_version), **(result.tags or {})}
            for partition in _partitions_of(run, asset_key):
                obs = AssetObservation(
                    asset_key, metadata=result.metadata or None, partition=partition, tags=tags or None
                )
                run.emit(
                    EventType.ASSET_OBSERVATION, key, f"Observed value {asset_key.to_user_string()}.", obs
                )
            self.produced.add(name)
        elif result.value is not None and not spec.is_nothing:
            output = Output(result.value, name, result.metadata, result.data_version, result.tags)
            self.handle_output(name, result.value, output)
        else:
            self._emit_nothing_output(name, "Any" if spec.is_nothing else spec.type_name)
            self.produced.add(name)
            self.output_values[name] = None
            metadata = {**result.metadata, **self.context.output_metadata_for(name)}
            tags = self.versions.tags(asset_key, result.data_version, None, result.tags)
            for partition in _partitions_of(run, asset_key):
                mat = AssetMaterialization(
                    asset_key, metadata=metadata or None, partition=partition, tags=tags
                )
                run.emit(
                    EventType.ASSET_MATERIALIZATION,
                    key,
                    f"Materialized value {asset_key.to_user_string()}.",
                    mat,
                )
        for check in result.check_results:
            self.handle_check_result(check)

    def handle_check_result(self, result: AssetCheckResult) -> None:
        evaluation = check_evaluation(self.run, self.attempt.key, result, self.node)
        out_name = next(n for n, o in self.outputs.items() if o.check_key == evaluation.asset_check_key)
        blocking = bool(self.run.job.asset_layer and _is_blocking(self.run, evaluation.asset_check_key))
        if blocking:
            evaluation = AssetCheckEvaluation(
                asset_key=evaluation.asset_key,
                check_name=evaluation.check_name,
                passed=evaluation.passed,
                metadata=evaluation.metadata,
                severity=evaluation.severity,
                description=evaluation.description,
                blocking=True,
            )
        self._emit_nothing_output(out_name, "Any")
        self.produced.add(out_name)
        self.output_values[out_name] = None
        from headwater.execution.run_context import _check_message

        self.run.emit(
            EventType.ASSET_CHECK_EVALUATION, self.attempt.key, _check_message(evaluation), evaluation
        )
        if blocking and not evaluation.passed and evaluation.severity == AssetCheckSeverity.ERROR:
            self.blocking_failures.append(evaluation)

    def _emit_nothing_output(self, name: str, type_name: str) -> None:
        """STEP_OUTPUT for an output that carries no value (a MaterializeResult, a check result)."""
        if name in self.produced:
            raise InvalidInvocationError(
                f'Compute for op "{self.node.op_name}" returned an output "{name}" multiple times'
            )
        self.run.emit(
            EventType.STEP_OUTPUT,
            self.attempt.key,
            f'Yielded output "{name}" of type "{type_name}". (Type check passed).',
            StepOutputData(name, None, TypeCheckData(True, name)),
        )

    # --- end of step ----------------------------------------------------------------------
    def finish(self) -> None:
        if self.blocking_failures:
            lines = "\n".join(
                f"{e.asset_key.to_user_string()}: {e.check_name}" for e in self.blocking_failures
            )
            raise AssetCheckFailedError(
                f"{len(self.blocking_failures)} blocking asset check failed with ERROR severity:\n{lines}"
            )
        selected = self.attempt.selected_outputs
        for name, spec in self.outputs.items():
            if name in self.produced or not spec.is_required:
                continue
            if selected is not None and name not in selected:
                continue
            if spec.is_dynamic:
                self.dynamic.setdefault(name, [])
                continue
            raise StepOutputNotFoundError(
                f'Core compute for op "{self.node.op_name}" did not return an output for non-optional output '
                f'"{name}"'
            )


def _partitions_of(run: RunContext, asset_key: Any) -> list[str | None]:
    """The partitions an asset's materialization is for: each of the run's keys when the asset is
    partitioned (one event per partition), else one event without a partition."""
    if run.partitions is None:
        return [None]
    keys = run.input_partitions.asset_keys(asset_key)
    return [str(k) for k in keys] if keys else [None]


def _is_blocking(run: RunContext, key: AssetCheckKey) -> bool:
    layer = run.job.asset_layer
    if layer is None:
        return False
    check = layer.asset_graph.checks.get(key)
    return bool(check and check.blocking)


__all__ = ["AssetCheckFailedError", "OutputHandler", "check_evaluation"]
