"""The in-process executor. It lives in the execution layer (it is the default every run can fall
back on without reaching up a layer); this module is where executors are looked up by name."""

from __future__ import annotations

from headwater.execution.in_process_executor import InProcessExecutor, in_process_executor

__all__ = ["InProcessExecutor", "in_process_executor"]
