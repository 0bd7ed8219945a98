"""The one boundary around user code: user exceptions become one error type carrying the original
exception and its traceback; framework errors pass through unchanged.

Every call into user code goes through it: op and asset bodies, IO managers, hooks, resource
construction and teardown (``execution.resource_builder``), and the code-location server's imports
and requests (``locations.server``), so a user exception is reported the same way everywhere.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from headwater.definitions.results import Failure, RetryRequested
from headwater.errors import HeadwaterError, UserCodeExecutionError

#: What passes through unchanged: Headwater's own errors, the user's signals to the engine
#: (``Failure``, ``RetryRequested``) and the interpreter's.
PASS_THROUGH: tuple[type[BaseException], ...] = (
    HeadwaterError,
    Failure,
    RetryRequested,
    KeyboardInterrupt,
    SystemExit,
    GeneratorExit,
)


@contextmanager
def user_code_error_boundary(
    error_cls: type[UserCodeExecutionError], message: str | Callable[[Exception], str]
) -> Iterator[None]:
    """Run a block of user code; wrap anything it raises (other than ``PASS_THROUGH``) in ``error_cls``.

    ``message`` is the error's text, or a function of the user's exception that makes it.
    """
    try:
        yield
    except PASS_THROUGH:
        raise
    except Exception as exc:
        raise error_cls(
            message(exc) if callable(message) else message,
            user_exception=exc,
            original_traceback="".join(traceback.format_exception(exc)),
        ) from exc
