"""``run.output_capture`` for a multiprocess run (what ``ExecuteInProcessResult.output_for_node`` reads).

Workers send each output value back pickled when it is small (under the executor's ``capture_limit``);
it is unpickled on first read. A bigger or unpicklable value is not sent: on first read it is loaded
through the output's IO manager, in this process, as a downstream step would load it.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from typing import Any

from headwater.definitions.input_context import InputContext
from headwater.execution.io_contexts import upstream_output_context
from headwater.execution.run_context import RunContext
from headwater.specs.job import OutputRef


class CaptureMap(dict[tuple[str, str], Any]):
    """``run.output_capture`` for a multiprocess run: values arrive pickled (unpickled on first read)
    or not at all (loaded through the output's IO manager on first read)."""

    def __init__(self, run: RunContext) -> None:
        super().__init__()
        self._run = run
        self._raw: dict[tuple[str, str], bytes | None] = {}

    def receive(self, values: Mapping[tuple[str, str], bytes | None]) -> None:
        for key, data in values.items():
            self._raw[key] = data
            super().__setitem__(key, None)

    def __getitem__(self, key: tuple[str, str]) -> Any:
        if key in self._raw:
            data = self._raw.pop(key)
            super().__setitem__(key, pickle.loads(data) if data is not None else self._load(key))
        return super().__getitem__(key)

    def get(self, key: tuple[str, str], default: Any = None) -> Any:  # type: ignore[override]
        try:
            return self[key]
        except KeyError:
            return default

    def items(self) -> Any:  # type: ignore[override]
        return [(k, self[k]) for k in list(self.keys())]

    def values(self) -> Any:  # type: ignore[override]
        return [self[k] for k in list(self.keys())]

    def _load(self, key: tuple[str, str]) -> Any:
        step_key, name = key
        output, mapping_key = name, None
        if name.endswith("]") and "[" in name:
            output, mapping_key = name[:-1].split("[", 1)
        run = self._run
        ref = OutputRef(step_key.split("[", 1)[0], output)
        spec = run.output_spec(ref)
        op_def = run.compiled[ref.node].op_def
        context = InputContext(
            name=output,
            job_name=run.job_name,
            upstream_output=upstream_output_context(run, step_key, output, spec.asset_key, mapping_key),
            dagster_type=op_def.output_types.get(output),
            resources=run.resources,
            asset_key=spec.asset_key,
            partition_key=run.partition_key,
            instance=run.instance,
        )
        return run.io_manager(spec.io_manager_key).load_input(context)
