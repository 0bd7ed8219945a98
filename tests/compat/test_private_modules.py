"""Dagster's private module paths that projects import (``dagster._core.errors`` ...): each alias points
at a module that exists, holds only names Dagster's module has, and its classes are Headwater's."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import pytest

import headwater.errors
from headwater.locations.server.loader import DAGSTER_ALIASES

PRIVATE = {alias: target for alias, target in DAGSTER_ALIASES.items() if alias.startswith("dagster.")}

# Public names of Dagster 1.13.29's modules, for the names these modules offer (recorded with
# /opt/dagster-venv/bin/python; tests cannot import dagster).
DAGSTER_MODULE_NAMES = {
    "dagster._core.errors": {
        "DagsterAssetCheckFailedError", "DagsterError", "DagsterExecutionHandleOutputError",
        "DagsterExecutionInterruptedError", "DagsterExecutionLoadInputError",
        "DagsterExecutionStepExecutionError", "DagsterInvalidConfigError", "DagsterInvalidDefinitionError",
        "DagsterInvalidInvocationError", "DagsterInvalidMetadata", "DagsterInvalidPropertyError",
        "DagsterInvalidSubsetError", "DagsterInvariantViolationError", "DagsterMaxRetriesExceededError",
        "DagsterResourceFunctionError", "DagsterRunNotFoundError", "DagsterStepOutputNotFoundError",
        "DagsterTypeCheckDidNotPass", "DagsterTypeCheckError", "DagsterUnknownPartitionError",
        "DagsterUnknownResourceError",
        "DagsterUnmetExecutorRequirementsError",
        "DagsterUserCodeExecutionError",
    },
    "dagster._core.test_utils": {"instance_for_test"},
    "dagster._core.storage.db_io_manager": {
        "DbClient", "DbIOManager", "DbTypeHandler", "TablePartitionDimension", "TableSlice",
    },
    "dagster._core.definitions.tags": {"KIND_PREFIX", "build_kind_tag", "build_kind_tag_key", "has_kind"},
    "dagster._utils.backoff": {
        "BACKOFF_MAX_RETRIES", "async_backoff", "backoff", "exponential_delay_generator",
    },
}  # fmt: skip


def test_every_alias_has_its_parent_packages() -> None:
    for alias in PRIVATE:
        parent = alias.rpartition(".")[0]
        assert parent == "dagster" or parent in PRIVATE, f"{alias}: alias its package {parent} too"


@pytest.mark.parametrize(("alias", "target"), sorted(PRIVATE.items()))
def test_alias_targets_offer_only_dagsters_names(alias: str, target: str) -> None:
    module = importlib.import_module(target)
    names = set(getattr(module, "__all__", ()))
    assert names == DAGSTER_MODULE_NAMES.get(alias, set()), alias


def test_the_errors_module_names_every_error_stored_under_dagster_core_errors() -> None:
    errors_module = importlib.import_module(PRIVATE["dagster._core.errors"])
    for _name, cls in inspect.getmembers(headwater.errors, inspect.isclass):
        stored = cls.__dict__.get("stored_name")
        if isinstance(stored, str) and stored.startswith("dagster._core.errors."):
            exported = getattr(errors_module, stored.rpartition(".")[2])
            assert issubclass(cls, exported), (cls, exported)  # ResourceNotFoundError: a refinement


def test_a_process_with_the_aliases_imports_them_as_projects_do() -> None:
    code = """
import headwater.compat
headwater.compat.install_dagster_aliases()
import dagster
import dagster._core.errors
from dagster._core.errors import DagsterExecutionStepExecutionError
from dagster._core.test_utils import instance_for_test
from dagster._utils.backoff import backoff
from dagster._core.definitions.tags import has_kind
import headwater
assert DagsterExecutionStepExecutionError is headwater.StepExecutionError
assert dagster._core.errors.DagsterError is dagster.DagsterError is headwater.HeadwaterError
assert instance_for_test is dagster.instance_for_test
try:
    from dagster._core.errors import DagsterSnapshotDoesNotExist
except ImportError as exc:
    print("missing:", exc)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "cannot import name 'DagsterSnapshotDoesNotExist'" in out.stdout


def test_async_backoff_retries_what_retry_on_accepts() -> None:
    import asyncio

    from headwater.compat.dagster_private.utils.backoff import async_backoff

    calls: list[int] = []

    async def flaky(n: int) -> int:
        calls.append(n)
        if len(calls) < 3:
            raise ConnectionError("again")
        return n * 2

    def no_delay():  # type: ignore[no-untyped-def]
        while True:
            yield 0.0

    retry = lambda exc: isinstance(exc, ConnectionError)  # noqa: E731
    assert asyncio.run(async_backoff(flaky, retry, args=[4], delay_generator=no_delay())) == 8
    assert calls == [4, 4, 4]
    calls.clear()
    with pytest.raises(ConnectionError):
        asyncio.run(async_backoff(flaky, retry, kwargs={"n": 1}, max_retries=1, delay_generator=no_delay()))
    calls.clear()
    with pytest.raises(ConnectionError):
        asyncio.run(async_backoff(flaky, lambda exc: False, args=[1]))
    assert calls == [1]  # not retried
