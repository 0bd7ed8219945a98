"""The checked-in schema, and the limits that apply before any resolver runs (no server needed)."""

from __future__ import annotations

from graphql import parse

from headwater.webserver.graphql.limits import MAX_COST, estimate_cost, page_size
from headwater.webserver.graphql.schema import SCHEMA_FILE, build_schema, main, schema_text


def test_schema_graphql_is_up_to_date() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "src/headwater/webserver/schema.graphql is stale: run "
        "`.venv/bin/python -m headwater.webserver.graphql.schema --write` and commit it"
    )
    assert main(["--check"]) == 0


def test_dagster_client_operations_validate_against_the_schema() -> None:
    from graphql import validate

    from headwater.compat import dagster_graphql as client

    schema = build_schema()._schema
    for query in (
        client._SUBMIT,
        client._JOBS,
        client._STATUS,
        client._RELOAD,
        client._SHUTDOWN,
        client._TERMINATE,
    ):
        assert validate(schema, parse(query)) == []


def test_depth_is_bounded_before_resolvers_run() -> None:
    nested = "dependencies { " * 15 + "groupName" + " }" * 15
    query = f'{{ assetNodeOrError(assetKey: {{path: ["a"]}}) {{ ... on AssetNode {{ {nested} }} }} }}'
    result = build_schema().execute_sync(query, context_value=None)
    assert result.errors and "exceeds maximum operation depth" in result.errors[0].message


def test_cost_estimate_follows_pages() -> None:
    schema = build_schema()._schema
    catalog = "{ assetNodes { ... on AssetNodeConnection { nodes { assetKey { path } groupName kinds "
    catalog += (
        "latestMaterialization { runId timestamp } assetChecks { name latestExecution { status } } } } } }"
    )
    assert 100_000 < estimate_cost(schema, parse(catalog)) < MAX_COST
    runs = "{ runsOrError(limit: 50) { ... on Runs { results { runId status } } } }"
    assert estimate_cost(schema, parse(runs)) < 500
    nested = "{ runsOrError(limit: 1000) { ... on Runs { results { eventConnection(limit: 5000) { events { message } } } } } }"
    assert estimate_cost(schema, parse(nested)) > MAX_COST
    via_variable = "query($n: Int) { runsOrError(limit: $n) { ... on Runs { results { runId } } } }"
    assert estimate_cost(schema, parse(via_variable), {"n": 3}) < estimate_cost(
        schema, parse(via_variable), {"n": 300}
    )
    assert (
        page_size(None, default=7) == 7
        and page_size(10**9, default=1) == 10_000
        and page_size(-5, default=1) == 1
    )


def test_an_unexpected_exception_in_a_mutation_is_a_python_error() -> None:
    # No webserver context: the resolver raises TypeError, which comes back as a typed result.
    query = 'mutation { cancelPartitionBackfill(backfillId: "x") { __typename ... on PythonError { className message } } }'
    result = build_schema().execute_sync(query, context_value=None)
    assert result.errors is None
    assert result.data == {
        "cancelPartitionBackfill": {
            "__typename": "PythonError",
            "className": "TypeError",
            "message": "TypeError: Not a webserver request context: None",
        }
    }
