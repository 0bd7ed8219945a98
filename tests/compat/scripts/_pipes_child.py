"""The external process of pipes_subprocess.py: written against the standalone dagster_pipes package."""

import sys

from dagster_pipes import open_dagster_pipes

with open_dagster_pipes() as pipes:
    pipes.log.info(f"child sees asset {pipes.asset_key} with extras {sorted(pipes.extras)}")
    pipes.log.warning("careful")
    n = pipes.get_extra("n")
    pipes.report_asset_materialization(
        metadata={"rows": n, "where": {"raw_value": "/tmp/x", "type": "path"}, "ok": True, "tags": ["a"]},
        data_version="v1",
    )
    pipes.report_asset_check(check_name="positive", passed=n > 0, metadata={"n": n})
    pipes.report_custom_message({"hello": n})
    if len(sys.argv) > 1 and sys.argv[1] == "fail":
        raise ValueError("child failed on purpose")
