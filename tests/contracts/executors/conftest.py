"""The executor contract: every test in this directory runs against every executor.

``executor`` is a factory: ``executor()`` or ``executor(max_concurrent=2)`` gives the executor under
test (the in-process executor ignores ``max_concurrent``: it runs one step at a time). ``instance``
is an ephemeral instance rooted in ``tmp_path``, so the default FilesystemIOManager writes there.
Each test is bounded (SIGALRM): a hung run fails the test instead of hanging the suite.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from headwater.execution.in_process_executor import in_process_executor
from headwater.executors.multiprocess import MultiprocessExecutor
from headwater.instance import Instance

EXECUTORS = ["in_process", "multiprocess"]
TEST_TIMEOUT = 60

MakeExecutor = Callable[..., Any]


@pytest.fixture(params=EXECUTORS)
def executor_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def executor(executor_name: str) -> MakeExecutor:
    def make(max_concurrent: int | None = None) -> Any:
        if executor_name == "in_process":
            return in_process_executor
        return MultiprocessExecutor(max_concurrent=max_concurrent)

    return make


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[Instance]:
    inst = Instance.ephemeral(tmp_path / "home")
    yield inst
    inst.dispose()


@pytest.fixture(autouse=True)
def _bounded() -> Iterator[None]:
    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"executor contract test took more than {TEST_TIMEOUT}s (hung run?)")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(TEST_TIMEOUT)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
