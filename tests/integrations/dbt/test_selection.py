"""dbt's selection syntax over a manifest (no dbt process): methods, set operations, graph operators."""

from __future__ import annotations

from typing import Any

import pytest

from headwater.integrations.dbt import DagsterDbtError, DbtManifest
from headwater.integrations.dbt.selection import select_unique_ids


def _node(kind: str, name: str, path: str, parents: list[str], tags: list[str], mat: str = "table") -> Any:
    return {
        "unique_id": f"{kind}.shop.{name}",
        "resource_type": kind,
        "name": name,
        "package_name": "shop",
        "fqn": ["shop", *path.split("/")[1:-1], name],
        "original_file_path": path,
        "tags": tags,
        "config": {"materialized": mat, "tags": tags},
        "depends_on": {"nodes": parents},
    }


MANIFEST = DbtManifest(
    {
        "nodes": {
            n["unique_id"]: n
            for n in [
                _node("seed", "countries", "seeds/countries.csv", [], []),
                _node(
                    "model",
                    "stg_orders",
                    "models/staging/stg_orders.sql",
                    ["source.shop.raw.orders"],
                    ["s"],
                    "view",
                ),
                _node("model", "stg_customers", "models/staging/stg_customers.sql", [], ["s"], "view"),
                _node(
                    "model",
                    "revenue",
                    "models/marts/revenue.sql",
                    ["model.shop.stg_orders", "model.shop.stg_customers"],
                    [],
                ),
                _node(
                    "model",
                    "report",
                    "models/marts/report.sql",
                    ["model.shop.revenue", "seed.shop.countries"],
                    ["daily"],
                ),
            ]
        },
        "sources": {
            "source.shop.raw.orders": {
                "unique_id": "source.shop.raw.orders",
                "resource_type": "source",
                "source_name": "raw",
                "name": "orders",
                "fqn": ["shop", "raw", "orders"],
                "original_file_path": "models/sources.yml",
            }
        },
    }
)


def names(select: str, exclude: str | None = None) -> set[str]:
    return {uid.split(".")[-1] for uid in select_unique_ids(MANIFEST, select, exclude)}


@pytest.mark.parametrize(
    ("select", "exclude", "expected"),
    [
        ("fqn:*", None, {"countries", "stg_orders", "stg_customers", "revenue", "report", "orders"}),
        ("tag:s", None, {"stg_orders", "stg_customers"}),
        ("staging", None, {"stg_orders", "stg_customers"}),  # an fqn prefix (a folder)
        ("shop.marts.*", None, {"revenue", "report"}),
        ("path:models/marts", None, {"revenue", "report"}),
        ("models/staging/stg_orders.sql", None, {"stg_orders"}),
        ("file:report.sql", None, {"report"}),
        ("resource_type:seed", None, {"countries"}),
        ("config.materialized:view", None, {"stg_orders", "stg_customers"}),
        ("source:raw+", None, {"orders", "stg_orders", "revenue", "report"}),
        ("+revenue", None, {"revenue", "stg_orders", "stg_customers", "orders"}),
        ("1+revenue", None, {"revenue", "stg_orders", "stg_customers"}),
        ("stg_orders+1", None, {"stg_orders", "revenue"}),
        ("@stg_customers", None, {"stg_customers", "revenue", "report", "stg_orders", "orders", "countries"}),
        ("tag:s,config.materialized:view stg_customers", None, {"stg_orders", "stg_customers"}),
        ("tag:s,stg_orders", None, {"stg_orders"}),
        ("fqn:*", "tag:s resource_type:source", {"countries", "revenue", "report"}),
    ],
)
def test_selection(select: str, exclude: str | None, expected: set[str]) -> None:
    assert names(select, exclude) == expected


def test_unsupported_method_is_named() -> None:
    with pytest.raises(DagsterDbtError, match="'state' is not supported"):
        names("state:modified")
