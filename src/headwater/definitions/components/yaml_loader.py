"""Loading the components a ``defs.yaml`` declares.

Each YAML document (several may be separated by ``---``) names a component class with ``type:``
(``dagster.DefinitionsComponent`` and the other built-ins, a dotted path such as
``my_project.components.Thing``, or ``.module.Thing`` relative to the YAML's folder), its
``attributes:`` (templates rendered first, see ``templates``) and optionally ``template_vars_module:``.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import yaml

from headwater.definitions.component_context import ComponentLoadContext
from headwater.definitions.components.component import Component, call_template_var, is_template_var
from headwater.definitions.components.templates import EnvScope, render
from headwater.definitions.definitions import Definitions
from headwater.errors import HeadwaterError, InvalidDefinitionError

_KEYS = {"type", "attributes", "template_vars_module", "requirements"}
#: Dagster's built-in component types and Headwater's own names for them.
BUILTINS = {
    "DefsFolderComponent": "headwater.definitions.components.builtin:DefsFolderComponent",
    "DefinitionsComponent": "headwater.definitions.components.builtin:DefinitionsComponent",
    "FunctionComponent": "headwater.definitions.components.builtin:FunctionComponent",
    "PythonScriptComponent": "headwater.definitions.components.builtin:PythonScriptComponent",
}


def load_yaml_components(context: ComponentLoadContext, yaml_file: Path) -> Definitions:
    try:
        documents = [d for d in yaml.safe_load_all(yaml_file.read_text(encoding="utf-8")) if d is not None]
    except yaml.YAMLError as exc:
        raise InvalidDefinitionError(f"Cannot read {yaml_file}: {exc}") from None
    if not documents:
        raise InvalidDefinitionError(
            f"{yaml_file} declares no component: give it a `type:` and `attributes:`."
        )
    built = []
    for index, document in enumerate(documents, start=1):
        where = f"{yaml_file}" + (f" (document {index})" if len(documents) > 1 else "")
        try:
            built.append(_load_document(context, document, where))
        except HeadwaterError as exc:
            if str(exc).startswith(where):
                raise
            raise InvalidDefinitionError(f"{where}: {exc}") from exc
    return built[0] if len(built) == 1 else Definitions.merge(*built)


def _load_document(context: ComponentLoadContext, document: Any, where: str) -> Definitions:
    if not isinstance(document, dict) or "type" not in document:
        raise InvalidDefinitionError(f"{where}: a component needs `type:` (the component class to load).")
    unknown = sorted(set(document) - _KEYS)
    if unknown:
        raise InvalidDefinitionError(
            f"{where}: unknown key(s) {', '.join(unknown)}; a component takes {', '.join(sorted(_KEYS))}."
        )
    cls = resolve_component_type(str(document["type"]), context)
    scope: dict[str, Any] = {"env": EnvScope(), **cls.get_template_vars(context)}
    module_name = document.get("template_vars_module")
    if module_name:
        scope.update(_module_template_vars(str(module_name), context))
    attributes = render(document.get("attributes"), scope)
    component = cls.load(attributes, context)
    defs = component.build_defs(context)
    if not isinstance(defs, Definitions):
        raise InvalidDefinitionError(
            f"{where}: {cls.__name__}.build_defs returned {type(defs).__name__}; it must return Definitions."
        )
    return defs


def _absolute(name: str, context: ComponentLoadContext) -> str:
    if name.startswith("."):
        return f"{context.defs_relative_module_name(context.path)}{name}"
    return name


def resolve_component_type(name: str, context: ComponentLoadContext) -> type[Component]:
    short = name.rsplit(".", 1)[-1]
    if name.split(".", 1)[0] in ("dagster", "headwater") and short in BUILTINS:
        module_name, attr = BUILTINS[short].split(":")
    else:
        module_name, _, attr = _absolute(name, context).rpartition(".")
        if not module_name:
            raise InvalidDefinitionError(
                f"Component type {name!r} is not a dotted path: write `type: package.module.ClassName` or "
                f"one of {', '.join('dagster.' + b for b in BUILTINS)}."
            )
    try:
        value = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise InvalidDefinitionError(f"Cannot find component type {name!r}: {exc}.") from None
    if not (isinstance(value, type) and issubclass(value, Component)):
        raise InvalidDefinitionError(f"{name!r} is not a Component subclass (got {value!r}).")
    return value


def _module_template_vars(name: str, context: ComponentLoadContext) -> dict[str, Any]:
    module = importlib.import_module(_absolute(name, context))
    found = {k: v for k, v in vars(module).items() if is_template_var(v)}
    if not found:
        raise InvalidDefinitionError(f"No template vars found in module {module.__name__}")
    return {k: call_template_var(v, context) for k, v in found.items()}
