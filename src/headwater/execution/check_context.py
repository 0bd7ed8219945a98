"""The context of an asset check's function: which checks it evaluates (``check_specs``), in a run or
when called directly with ``build_asset_check_context()``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater.execution.context import OpExecutionContext, _build


class AssetCheckExecutionContext(OpExecutionContext):
    """An OpExecutionContext for the op of one or more asset checks."""

    __slots__ = ("_bound_check_specs",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._bound_check_specs: list[Any] | None = None

    @property
    def check_specs(self) -> list[Any]:
        """The AssetCheckSpecs this execution evaluates (the selected ones of its definition)."""
        if self._run is not None and self._step_key is not None:
            assets_def = self._run.assets_def_for(self._step_key)
            selected = self.selected_asset_check_keys
            return [s for s in assets_def.check_specs if s.key in selected] if assets_def is not None else []
        return list(self._bound_check_specs or ())

    def bind_check_specs(self, specs: list[Any]) -> None:
        """Tell a context built for a direct call which checks it evaluates (``my_check(context)``)."""
        if self._run is None:
            self._bound_check_specs = list(specs)
            self._asset_check_keys = {s.get_python_identifier(): s.key for s in specs}


def build_asset_check_context(
    resources: Mapping[str, Any] | None = None,
    resources_config: Mapping[str, Any] | None = None,
    asset_config: Any = None,
    instance: Any = None,
) -> AssetCheckExecutionContext:
    """A context for calling an asset check directly in a test: ``my_check(build_asset_check_context())``."""
    ctx = _build(
        AssetCheckExecutionContext,
        resources,
        asset_config,
        resources_config,
        instance,
        None,
        None,
        None,
        0,
        None,
    )
    assert isinstance(ctx, AssetCheckExecutionContext)
    return ctx
