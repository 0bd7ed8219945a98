"""@asset_check: a check on an asset, defined as its own function."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from headwater.core.asset_key import AssetKey
from headwater.definitions.asset_check_spec import AssetCheckSpec
from headwater.definitions.asset_spec import coerce_dep_key
from headwater.definitions.assets import AssetsDefinition
from headwater.definitions.fn_signature import read_signature
from headwater.definitions.inputs import AssetIn, In
from headwater.definitions.op import OpDefinition, build_ins
from headwater.definitions.outputs import Out
from headwater.definitions.types import Nothing
from headwater.errors import InvalidDefinitionError


class AssetChecksDefinition(AssetsDefinition):
    """One or more asset checks and the op that evaluates them."""

    @property
    def check_key(self) -> Any:
        keys = self.check_keys
        if len(keys) != 1:
            raise InvalidDefinitionError(f"This definition has {len(keys)} checks; use .check_keys.")
        return next(iter(keys))


def asset_check(
    *,
    asset: Any,
    name: str | None = None,
    description: str | None = None,
    blocking: bool = False,
    additional_ins: Mapping[str, AssetIn] | None = None,
    additional_deps: Iterable[Any] | None = None,
    required_resource_keys: set[str] | None = None,
    resource_defs: Mapping[str, Any] | None = None,
    config_schema: Any = None,
    compute_kind: str | None = None,
    op_tags: Mapping[str, Any] | None = None,
    retry_policy: Any = None,
    metadata: Mapping[str, Any] | None = None,
    automation_condition: Any = None,
    pool: str | None = None,
) -> Callable[[Callable[..., Any]], AssetChecksDefinition]:
    """Define a check on ``asset``; the function returns an AssetCheckResult."""

    def build(fn: Callable[..., Any]) -> AssetChecksDefinition:
        asset_key = coerce_dep_key(asset)
        check_name = name or fn.__name__
        spec = AssetCheckSpec(
            check_name,
            asset=asset_key,
            additional_deps=additional_deps,
            description=description or inspect.getdoc(fn),
            blocking=blocking,
            metadata=metadata,
            automation_condition=automation_condition,
        )
        signature = read_signature(fn, decorator="asset_check")
        extra = dict(additional_ins or {})
        keys_by_input: dict[str, AssetKey] = {}
        in_defs: dict[str, In] = {}
        for p in signature.inputs:
            if p.name in extra:
                ai = extra[p.name]
                keys_by_input[p.name] = ai.key or AssetKey([*(ai.key_prefix or []), p.name])
                in_defs[p.name] = In(dagster_type=ai.dagster_type, input_manager_key=ai.input_manager_key)
            elif p.name == asset_key.path[-1] or (not keys_by_input and len(signature.inputs) == 1):
                keys_by_input[p.name] = asset_key
                in_defs[p.name] = In()
            else:
                raise InvalidDefinitionError(
                    f"@asset_check '{check_name}' has parameter '{p.name}', which is neither the checked "
                    "asset "
                    f"('{asset_key.path[-1]}') nor in additional_ins."
                )
        if asset_key not in keys_by_input.values():
            keys_by_input[asset_key.to_python_identifier()] = asset_key
            in_defs[asset_key.to_python_identifier()] = In(dagster_type=Nothing)
        for dep in spec.additional_deps:
            ident = dep.to_python_identifier()
            if dep not in keys_by_input.values():
                keys_by_input[ident] = dep
                in_defs[ident] = In(dagster_type=Nothing)
        op_ins = build_ins(signature, in_defs, fn_name=fn.__name__, decorator="asset_check")
        op_ins.update({k: v for k, v in in_defs.items() if k not in op_ins})
        out_name = "result"
        op_def = OpDefinition(
            compute_fn=fn,
            name=spec.get_python_identifier(),
            ins=op_ins,
            outs={out_name: Out(dagster_type=Nothing)},
            description=spec.description,
            config_schema=config_schema,
            required_resource_keys=required_resource_keys,
            tags={**(op_tags or {}), **({"dagster/compute_kind": compute_kind} if compute_kind else {})},
            retry_policy=retry_policy,
            pool=pool,
            signature=signature,
            decorator="asset_check",
        )
        return AssetChecksDefinition(
            keys_by_input_name=keys_by_input,
            keys_by_output_name={},
            node_def=op_def,
            specs=[],
            check_specs_by_output_name={out_name: spec},
            resource_defs=resource_defs,
        )

    return build
