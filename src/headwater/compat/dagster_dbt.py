"""``dagster_dbt`` under Headwater: ``from headwater.compat.dagster_dbt import dbt_assets, DbtCliResource``
(Dagster's ``from dagster_dbt import ...``). In user code loaded by Headwater (``install_dagster_aliases``),
``import dagster_dbt`` gives this module. Its names are the integration's (``integrations.dbt.__all__``)."""

from __future__ import annotations

from headwater.integrations.dbt import *  # noqa: F403
from headwater.integrations.dbt import __all__ as __all__
