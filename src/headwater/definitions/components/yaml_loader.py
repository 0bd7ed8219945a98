"""Loading the components a ``defs.yaml`` declares."""

from __future__ import annotations

from pathlib import Path

from headwater.definitions.component_context import ComponentLoadContext
from headwater.definitions.definitions import Definitions
from headwater.errors import InvalidDefinitionError


def load_yaml_components(context: ComponentLoadContext, yaml_file: Path) -> Definitions:
    raise InvalidDefinitionError(
        f"{yaml_file}: components declared in YAML are not supported by Headwater yet."
    )
