"""The one table of public names (``headwater._api_table``) and the two views built from it:
``headwater`` (native names) and ``headwater.compat.dagster`` (Dagster's names)."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import headwater
import headwater.compat.dagster as dg
from headwater._api_table import API, dagster_names, native_names

HERE = Path(__file__).resolve().parent

# dir(dagster) of the reference Dagster (1.13.29), recorded once; tests cannot import dagster.
DAGSTER_PUBLIC_NAMES = frozenset(
    line.strip()
    for line in (HERE / "dagster_public_names.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)

ROWS = [pytest.param(row, id=row[1] or row[0] or row[3]) for row in API]


def test_reference_name_list_is_dagster_1_13() -> None:
    assert len(DAGSTER_PUBLIC_NAMES) > 400
    assert {"asset", "Definitions", "DagsterInstance", "materialize"} <= DAGSTER_PUBLIC_NAMES


@pytest.mark.parametrize("row", ROWS)
def test_every_row_imports(row: tuple[str | None, str | None, str, str]) -> None:
    native, dagster, module, attr = row
    assert native is not None or dagster is not None, "a row needs a native or a Dagster name"
    assert hasattr(importlib.import_module(module), attr), f"{module} has no {attr}"


def test_names_are_unique() -> None:
    natives = [n for n, _d, _m, _a in API if n is not None]
    dagsters = [d for _n, d, _m, _a in API if d is not None]
    assert len(natives) == len(set(natives))
    assert len(dagsters) == len(set(dagsters))


def test_native_names_are_headwater_all() -> None:
    assert set(headwater.__all__) == set(native_names())
    assert headwater.__all__ == sorted(headwater.__all__)


def test_dagster_names_are_compat_all() -> None:
    assert set(dg.__all__) == set(dagster_names())


def test_dagster_names_exist_in_reference_dagster() -> None:
    unknown = sorted(set(dagster_names()) - DAGSTER_PUBLIC_NAMES)
    assert not unknown, f"not public names of Dagster 1.13 (give them a None Dagster name): {unknown}"


SHARED = [pytest.param(n, d, m, a, id=d) for n, d, m, a in API if n is not None and d is not None]


@pytest.mark.parametrize(("native", "dagster", "module", "attr"), SHARED)
def test_both_views_are_the_same_object(native: str, dagster: str, module: str, attr: str) -> None:
    expected = getattr(importlib.import_module(module), attr)
    assert getattr(headwater, native) is expected
    assert getattr(dg, dagster) is expected


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'schedule_from_partitions'"):
        dg.schedule_from_partitions  # noqa: B018
    with pytest.raises(AttributeError):
        headwater.DagsterInstance  # noqa: B018


def test_renamed_names() -> None:
    assert dg.DagsterRunStatus is headwater.RunStatus
    assert dg.DagsterEventType is headwater.EventType
    assert dg.DagsterInvalidDefinitionError is headwater.InvalidDefinitionError
    assert dg.DagsterInvalidConfigError is headwater.InvalidConfigError
    assert dg.DagsterTypeCheckDidNotPass is headwater.TypeCheckDidNotPass
    assert dg.DagsterError is headwater.HeadwaterError
    assert dg.get_dagster_logger is headwater.get_logger


def test_every_instance_is_a_dagster_instance() -> None:
    with headwater.Instance.ephemeral() as instance:
        assert isinstance(instance, dg.DagsterInstance)
    assert issubclass(headwater.Instance, dg.DagsterInstance)
    assert issubclass(dg.DagsterInstance, headwater.Instance)
    assert not isinstance(object(), dg.DagsterInstance)


def _instance_home(tmp_path: Path, env: dict[str, str], call: str = "get()") -> str:
    code = (
        "import headwater.compat.dagster as dg\n"
        f"instance = dg.DagsterInstance.{call}\n"
        "print(instance.root_directory)\n"
        "instance.dispose()\n"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("HEADWATER_HOME", "DAGSTER_HOME")}
    out = subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, cwd=tmp_path, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_dagster_instance_get_reads_dagster_home(tmp_path: Path) -> None:
    (tmp_path / "dh").mkdir()
    (tmp_path / "hh").mkdir()
    assert Path(_instance_home(tmp_path, {"DAGSTER_HOME": str(tmp_path / "dh")})) == tmp_path / "dh"
    # Instance.get's keyword arguments pass through
    dh = {"DAGSTER_HOME": str(tmp_path / "dh")}
    assert Path(_instance_home(tmp_path, dh, "get(upgrade=True)")) == tmp_path / "dh"
    assert (tmp_path / "dh" / "headwater.db").exists()
    both = {"DAGSTER_HOME": str(tmp_path / "dh"), "HEADWATER_HOME": str(tmp_path / "hh")}
    assert Path(_instance_home(tmp_path, both)) == tmp_path / "hh"
    assert Path(_instance_home(tmp_path, {})) == tmp_path / ".headwater"


def test_import_headwater_is_fast_and_light() -> None:
    code = (
        "import json, sys, time\n"
        "t = time.perf_counter()\n"
        "import headwater\n"
        "import headwater.compat.dagster\n"
        "elapsed = time.perf_counter() - t\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'sqlalchemy'))\n"
        "print(json.dumps([elapsed, heavy]))\n"
    )
    runs = [
        json.loads(
            subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        )
        for _ in range(3)
    ]
    assert all(heavy == [] for _elapsed, heavy in runs), runs[0][1]
    assert min(elapsed for elapsed, _heavy in runs) < 0.2, runs
