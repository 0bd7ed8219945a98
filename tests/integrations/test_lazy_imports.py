"""``import headwater`` (and its Dagster API) never imports the integrations' heavy dependencies."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("duckdb", "pandas", "polars", "pyarrow", "headwater.integrations")


def _imported_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_the_core_imports_none_of_them() -> None:
    assert _imported_after("import headwater, headwater.compat.dagster") == set()


def test_aliases_import_an_integration_only_when_the_project_does() -> None:
    setup = "from headwater.compat import install_dagster_aliases; install_dagster_aliases()\nimport dagster"
    assert _imported_after(setup) == set()
    assert _imported_after(f"{setup}\nimport dagster_duckdb") == {"duckdb", "headwater.integrations"}
    pandas_too = _imported_after(f"{setup}\nfrom dagster_duckdb_pandas import DuckDBPandasIOManager")
    assert {"duckdb", "pandas"} <= pandas_too and "polars" not in pandas_too
