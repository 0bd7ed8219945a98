"""Load a Dagster project the way its layout says and print what it defines and what a run of it does.

    python inspect_project.py PROJECT_DIR

Written against Dagster (``import dagster as dg``); the tests run it under Dagster (recording) and under
``headwater.compat.dagster`` (comparing). The module comes from the project's pyproject.toml:
``[tool.dg.project] root_module`` (definitions in ``<root_module>.definitions``) or ``[tool.dagster]
module_name``.
"""

import importlib
import sys
import tomllib
from pathlib import Path

import dagster as dg

root = Path(sys.argv[1]).resolve()
config = tomllib.loads((root / "pyproject.toml").read_text())
tool = config["tool"]
if "dg" in tool:
    module_name = tool["dg"]["project"]["root_module"] + ".definitions"
    sys.path.insert(0, str(root / "src"))
else:
    module_name = tool["dagster"]["module_name"]
    sys.path.insert(0, str(root))

module = importlib.import_module(module_name)
defs = module.defs
if not isinstance(defs, dg.Definitions):
    defs = defs()  # an @definitions function
dg.Definitions.validate_loadable(defs)

graph_specs = sorted(defs.resolve_all_asset_specs(), key=lambda s: s.key.to_user_string())
for spec in graph_specs:
    deps = sorted(d.asset_key.to_user_string() for d in spec.deps)
    print(f"asset {spec.key.to_user_string()} group={spec.group_name} deps={deps}")
job = defs.resolve_implicit_global_asset_job_def()
print("jobs", sorted(j.name for j in defs.resolve_all_job_defs() if not j.name.startswith("__")))
print("resources", sorted(defs.resources or {}))
result = job.execute_in_process()
print("success", result.success)
print("materialized", sorted(e.asset_key.to_user_string() for e in result.get_asset_materialization_events()))
for e in sorted(result.get_asset_check_evaluations(), key=lambda e: e.check_name):
    print("check", e.asset_key.to_user_string(), e.check_name, e.passed)
