from dagster import (
    AssetSelection,
    Definitions,
    define_asset_job,
    load_asset_checks_from_modules,
    load_assets_from_modules,
    load_assets_from_package_module,
)

from . import checks
from .assets import analytics, core

core_assets = load_assets_from_modules([core], group_name="core")
analytics_assets = load_assets_from_package_module(analytics, key_prefix="analytics", group_name="analytics")

everything_job = define_asset_job("everything", selection=AssetSelection.all())

defs = Definitions(
    assets=[*core_assets, *analytics_assets],
    asset_checks=load_asset_checks_from_modules([checks]),
    jobs=[everything_job],
)
