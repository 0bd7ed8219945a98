"""The one boundary around user code: user exceptions become one error type carrying the original
exception and its traceback; framework errors pass through unchanged."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager

from headwater.definitions.results import Failure, RetryRequested
from headwater.errors import HeadwaterError, UserCodeExecutionError


@contextmanager
def user_code_error_boundary(error_cls: type[UserCodeExecutionError], message: str) -> Iterator[None]:
    """Run a block of user code; wrap anything it raises (other than our own errors) in ``error_cls``.

    ``Failure`` and ``RetryRequested`` are user signals and pass through, as do Headwater errors,
    KeyboardInterrupt and SystemExit.
    """
    try:
        yield
    except (HeadwaterError, Failure, RetryRequested, KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except Exception as exc:
        raise error_cls(
            message,
            user_exception=exc,
            original_traceback="".join(traceback.format_exception(exc)),
        ) from exc
