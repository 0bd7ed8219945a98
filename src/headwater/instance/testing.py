"""``instance_for_test``: a persistent instance in a temporary directory, for tests (Dagster's helper).

It lives with the instance (not in ``headwater.testing``, which re-exports it) so that the Dagster
compatibility layer can offer it as ``dagster._core.test_utils.instance_for_test`` too.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from typing import Any

from headwater.instance.config import HOME_ENV
from headwater.instance.core import Instance

DAGSTER_HOME_ENV = "DAGSTER_HOME"


@contextlib.contextmanager
def instance_for_test(
    overrides: Mapping[str, Any] | None = None,
    set_dagster_home: bool = True,
    temp_dir: str | None = None,
) -> Iterator[Instance]:
    """A persistent instance (SQLite) in ``temp_dir`` or a temporary directory removed afterwards;
    ``overrides`` is ``headwater.yaml`` content. Runs launched out of process and multiprocess runs can
    use it. With ``set_dagster_home`` (the default, as in Dagster) ``$HEADWATER_HOME`` and
    ``$DAGSTER_HOME`` name that directory while the block runs, so ``Instance.get()`` (and
    ``DagsterInstance.get()``) open the same storage."""
    instance = Instance.local_temp(temp_dir, overrides=overrides)
    saved = {name: os.environ.get(name) for name in (HOME_ENV, DAGSTER_HOME_ENV)}
    try:
        if set_dagster_home:
            root = os.fspath(instance.root_directory)
            os.environ[HOME_ENV] = os.environ[DAGSTER_HOME_ENV] = root
        yield instance
    finally:
        if set_dagster_home:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        instance.dispose()
