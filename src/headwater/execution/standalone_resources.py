"""Resources for contexts built in tests (build_op_context, build_asset_context, build_hook_context)."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from headwater.definitions.resource_context import Resources
from headwater.execution.resource_builder import initialize_resources


def standalone_resources(
    resources: Mapping[str, Any] | None,
    resources_config: Mapping[str, Any] | None,
    instance: Any,
    stack: contextlib.ExitStack | None = None,
) -> Resources:
    """Build ``resources`` now; their teardown runs when ``stack`` closes (the context's ``with`` block)."""
    if not resources:
        return Resources({})
    config = {key: {"config": value} for key, value in (resources_config or {}).items()}
    manager = initialize_resources(resources, config, instance=instance)
    if stack is None:
        return manager.__enter__()
    return stack.enter_context(manager)
