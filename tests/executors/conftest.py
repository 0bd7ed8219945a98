"""Multiprocess executor tests: each bounded by SIGALRM, so a hung run fails instead of hanging."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from headwater.instance import Instance

TEST_TIMEOUT = 60


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[Instance]:
    inst = Instance.ephemeral(tmp_path / "home")
    yield inst
    inst.dispose()


@pytest.fixture(autouse=True)
def _bounded() -> Iterator[None]:
    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"test took more than {TEST_TIMEOUT}s (hung run?)")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(TEST_TIMEOUT)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
