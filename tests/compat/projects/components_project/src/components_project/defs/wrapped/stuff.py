import dagster as dg


@dg.asset(deps=["summary"])
def wrapped() -> int:
    return 42


defs = dg.Definitions(assets=[wrapped])
