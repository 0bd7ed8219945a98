import dagster as dg


@dg.asset(group_name="ingest", kinds={"python"})
def raw_orders() -> list[dict]:
    return [{"id": 1, "amount": 12.5}, {"id": 2, "amount": None}, {"id": 3, "amount": 7.0}]


@dg.asset(group_name="ingest")
def raw_customers() -> list[dict]:
    return [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Grace"}]
