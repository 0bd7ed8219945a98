"""``InMemoryIOManager`` / ``mem_io_manager``: values kept in a dict in this process.

The hot path of ``materialize_to_memory``: one dict write per output and one read per input. Asset
values are keyed by ``(asset_key, partition_key)`` — so an asset's value can be loaded by any later
step or run that shares this IO manager — and op outputs by ``(run_id, step_key, name, mapping_key)``.
"""

from __future__ import annotations

import typing as t
from collections.abc import Mapping

from headwater.definitions.input_context import InputContext
from headwater.definitions.io_manager import IOManager, io_manager
from headwater.definitions.output_context import OutputContext
from headwater.errors import InvalidPropertyError, StepOutputNotFoundError


def _partition_keys(context: OutputContext | InputContext) -> list[str] | None:
    return context.asset_partition_keys if context.has_asset_partitions else None


class InMemoryIOManager(IOManager):
    """Keeps every handled value in ``self.values``."""

    #: Its values do not outlive the run's process: a run that skips unchanged steps runs them anyway.
    keeps_values_in_memory = True

    def __init__(self) -> None:
        self.values: dict[tuple[t.Any, ...], t.Any] = {}

    def handle_output(self, context: OutputContext, obj: t.Any) -> None:
        if not context.has_asset_key:
            self.values[(context.run_id, context.step_key, context.name, context.mapping_key)] = obj
            return
        asset_key = context.asset_key
        keys = _partition_keys(context)
        if keys is None:
            self.values[(asset_key, None)] = obj
        elif len(keys) == 1:
            self.values[(asset_key, keys[0])] = obj
        else:
            if not isinstance(obj, Mapping):
                raise InvalidPropertyError(
                    f"Output for asset {asset_key.to_user_string()!r} covers {len(keys)} partitions, so its "
                    f"value must be a dict of partition key -> value; got {type(obj).__name__}."
                )
            for key in keys:
                self.values[(asset_key, key)] = obj[key]

    def load_input(self, context: InputContext) -> t.Any:
        if context.has_asset_key:
            return self._load_asset(context.asset_key, _partition_keys(context))
        upstream = context.upstream_output
        if upstream is None:
            raise InvalidPropertyError(
                "The in-memory IO manager cannot load this input: it has neither an asset key nor an "
                "upstream output."
            )
        if upstream.has_asset_key:
            return self._load_asset(upstream.asset_key, _partition_keys(upstream))
        key = (upstream.run_id, upstream.step_key, upstream.name, upstream.mapping_key)
        try:
            return self.values[key]
        except KeyError:
            raise StepOutputNotFoundError(
                f'No value for output "{upstream.name}" of step "{upstream.step_key}" '
                f"(run {upstream.run_id}) is held by the in-memory IO manager: it only holds values "
                "handled in this process. Run the upstream step in the same run, or use a persistent IO "
                "manager such as FilesystemIOManager."
            ) from None

    def _load_asset(self, asset_key: t.Any, keys: list[str] | None) -> t.Any:
        values = self.values
        try:
            if keys is None:
                return values[(asset_key, None)]
            if len(keys) == 1:
                return values[(asset_key, keys[0])]
            return {key: values[(asset_key, key)] for key in keys}
        except KeyError as exc:
            partition = "" if keys is None else f" (partition {exc.args[0][1]!r})"
            raise StepOutputNotFoundError(
                f'No value for asset "{asset_key.to_user_string()}"{partition} is held by the in-memory IO '
                "manager: it only holds values handled in this process. Materialize the upstream asset in "
                "the same run (include it in the selection), or use a persistent IO manager such as "
                "FilesystemIOManager."
            ) from None


@io_manager(description="Keeps values in memory, in the process that runs the steps.")
def mem_io_manager() -> InMemoryIOManager:
    return InMemoryIOManager()
