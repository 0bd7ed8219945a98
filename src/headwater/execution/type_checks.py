"""Running a Dagster type's check on a step's input or output value.

The check is user code: what it raises goes through the one boundary (``TypeCheckError``). The
boundary is entered only when the check raises, so a passing check costs its own call alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from headwater.definitions.types import DagsterType, TypeCheck
from headwater.errors import TypeCheckError
from headwater.execution.boundary import PASS_THROUGH, user_code_error_boundary


def run_type_check(
    dagster_type: DagsterType, context: Any, value: Any, describe: Callable[[], str]
) -> TypeCheck:
    """``dagster_type``'s check of ``value``; ``describe()`` names the input or output if the check raises."""
    try:
        return dagster_type.type_check(context, value)
    except PASS_THROUGH:
        raise
    except Exception as exc:
        with user_code_error_boundary(TypeCheckError, describe()):
            raise exc from None
