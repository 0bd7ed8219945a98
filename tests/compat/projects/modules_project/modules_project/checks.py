from dagster import AssetCheckResult, asset_check


@asset_check(asset="sorted_events")
def events_are_sorted(sorted_events: list[int]) -> AssetCheckResult:
    return AssetCheckResult(passed=sorted_events == sorted(sorted_events))
