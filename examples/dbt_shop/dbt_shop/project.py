"""Where the example's dbt project, data and DuckDB database are."""

from __future__ import annotations

import os
from pathlib import Path

from headwater.integrations.dbt import DbtProject

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE / "data"

#: The DuckDB file that the ingestion assets write and dbt transforms (dbt's profiles.yml reads
#: DBT_SHOP_DATABASE, so both sides see the same file).
DATABASE = os.environ.setdefault(
    "DBT_SHOP_DATABASE",
    str(Path(os.environ.get("HEADWATER_HOME", ".headwater")).resolve() / "dbt_shop.duckdb"),
)
REPORTS_DIR = Path(DATABASE).parent / "reports"

shop_project = DbtProject(HERE.parent / "transform")
# `headwater dev` re-parses the dbt project on each (re)load; elsewhere the manifest is written once.
shop_project.prepare_if_dev()
if not shop_project.manifest_path.exists():
    shop_project.prepare()
